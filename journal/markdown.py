"""Markdown to safe HTML: markdown-it-py renders, then bleach cleans. The only bleach importer.

Bare URLs are linked by markdown-it's own linkify (never bleach's, which read `README.md` as a
domain and ate a closing parenthesis), and the sanitizer never re-reads an escaped `&amp;` as an
entity. docs/MARKDOWN.md lists where the output differs from CommonMark, and why.
"""

from __future__ import annotations

import threading

import bleach
from bleach.html5lib_shim import Filter
from flask import Flask
from linkify_it import LinkifyIt
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


class _RelFilter(Filter):
    """Every link the sanitizer lets through gets `rel="nofollow noopener"`."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                token["data"][(None, "rel")] = "nofollow noopener"
            yield token


class _Linkify(LinkifyIt):
    """Bare text becomes a link only with a scheme (`https://…`) or a `www.` name, as in GFM:
    file names such as `README.md` or `config.py` look like domains and must stay text.

    LinkifyIt keeps its last match on the instance, so the shared one is used under a lock."""

    def __init__(self) -> None:
        super().__init__(options={"fuzzy_email": False})
        self._lock = threading.Lock()

    def match(self, text):
        with self._lock:
            found = super().match(text) or []
        kept = [m for m in found if m.schema or m.raw.lower().startswith("www.")]
        return kept or None

    def test(self, text):
        return self.match(text) is not None

    def match_at_start(self, text):
        with self._lock:
            return super().match_at_start(text)


_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .enable(["table", "strikethrough", "linkify"])
    .use(container_plugin, name="spoiler", render=_render_spoiler)
)
_md.linkify = _Linkify()
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_RelFilter],
)


def render(text: str | None) -> Markup:
    """Render Markdown first and sanitize after: the other order lets tricks through."""
    return Markup(_unescape_amp(_cleaner.clean(_escape_amp(_md.render(text or "")))))


# bleach reads `&amp;ouml;` back as the live entity `&ouml;`; markdown-it writes a literal `&`
# only as `&amp;`, so it goes through the sanitizer as `&#38;` (the same character) and back.
def _escape_amp(html: str) -> str:
    return html.replace("&amp;", "&#38;")


def _unescape_amp(html: str) -> str:
    return html.replace("&#38;", "&amp;")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render
