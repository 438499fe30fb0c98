"""Markdown to safe HTML: markdown-it-py renders, then bleach cleans. The only bleach importer."""

from __future__ import annotations

import bleach
from bleach.linkifier import LinkifyFilter
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.container import container_plugin

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "em",
        "strong",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "details",
        "summary",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _render_spoiler(self, tokens, idx, _options, _env):
    if tokens[idx].nesting == 1:
        return "<details>\n<summary>Spoiler</summary>\n"
    return "</details>\n"


def _link_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .use(container_plugin, name="spoiler", render=_render_spoiler)
)
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        lambda source: LinkifyFilter(source, callbacks=[_link_rel], skip_tags={"pre", "code"})
    ],
)


def render(text: str | None) -> Markup:
    """Render Markdown first and sanitize after: the other order lets tricks through."""
    return Markup(_cleaner.clean(_md.render(text or "")))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render
