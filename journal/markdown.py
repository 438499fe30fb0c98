"""Markdown to safe HTML: markdown-it-py renders, then bleach cleans.

The only bleach importer besides markdown_limits.py, which bounds what one render costs.
"""

from __future__ import annotations

import threading

import bleach
from bleach.linkifier import LinkifyFilter
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from mdit_py_plugins.container import container_plugin

from .markdown_limits import MAX_HTML_CHARS, LinearTreeWalker, html_size, use_bounded_tables

# Stored with every cached rendering (rendered.py): change it whenever the HTML that `render`
# makes of the same text changes, and every stored rendering is made again on its next read.
RENDER_VERSION = 1

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


def _new_md() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(container_plugin, name="spoiler", render=_render_spoiler)
        .use(use_bounded_tables)
    )


def _new_cleaner() -> bleach.Cleaner:
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            lambda source: LinkifyFilter(source, callbacks=[_link_rel], skip_tags={"pre", "code"})
        ],
    )
    cleaner.walker = LinearTreeWalker
    return cleaner


TOO_LARGE = Markup('<p class="render-limit">Shown as plain text: formatted, it is too large.</p>')

# A Cleaner (its html5lib parser) is not thread-safe and the development server renders on
# threads: shared, renders mixed their output. Each thread gets its own pair.
_local = threading.local()


def _pipeline() -> tuple[MarkdownIt, bleach.Cleaner]:
    pipeline = getattr(_local, "pipeline", None)
    if pipeline is None:
        pipeline = _local.pipeline = (_new_md(), _new_cleaner())
    return pipeline


def clean(html: str) -> str:
    """HTML through this thread's sanitizer."""
    return _pipeline()[1].clean(html)


def render(text: str | None) -> Markup:
    """Render Markdown first and sanitize after: the other order lets tricks through."""
    md, cleaner = _pipeline()
    env: dict = {}
    tokens = md.parse(text or "", env)
    if html_size(tokens) > MAX_HTML_CHARS:
        return TOO_LARGE + Markup("<pre>%s</pre>") % escape(text)
    return Markup(cleaner.clean(md.renderer.render(tokens, md.options, env)))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render
