"""Markdown to safe HTML: markdown-it-py renders, then bleach cleans.

Bare URLs are linked by markdown-it's own linkify (never bleach's, which read `README.md` as a
domain and ate a closing parenthesis), and the sanitizer never re-reads an escaped `&amp;` as an
entity. docs/MARKDOWN.md lists where the output differs from CommonMark, and why. The only
bleach importer besides markdown_limits.py, which bounds what one render costs.
"""

from __future__ import annotations

import threading

import bleach
from bleach.html5lib_shim import Filter
from flask import Flask
from linkify_it import LinkifyIt
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


def _new_md() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
        .enable(["table", "strikethrough", "linkify"])
        .use(container_plugin, name="spoiler", render=_render_spoiler)
        .use(use_bounded_tables)
    )
    md.linkify = _Linkify()
    return md


def _new_cleaner() -> bleach.Cleaner:
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_RelFilter],
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


SPOILER_HIDDEN = "<p><em>A spoiler is hidden here: read it on the review's page.</em></p>\n"


def render(text: str | None, *, hide_spoilers: bool = False) -> Markup:
    """Render Markdown first and sanitize after: the other order lets tricks through.

    `hide_spoilers`: each `::: spoiler` block becomes a short notice (feeds, summaries)."""
    md, cleaner = _pipeline()
    env: dict = {}
    tokens = md.parse(text or "", env)
    if hide_spoilers:
        tokens = _without_spoilers(tokens)
    if html_size(tokens) > MAX_HTML_CHARS:
        return TOO_LARGE + Markup("<pre>%s</pre>") % escape(text)
    html = md.renderer.render(tokens, md.options, env)
    return Markup(_unescape_amp(cleaner.clean(_escape_amp(html))))


def has_spoiler_block(text: str | None) -> bool:
    """Whether the text may hold a `::: spoiler` block (cheap: no parsing)."""
    return ":::" in (text or "")


def _without_spoilers(tokens: list) -> list:
    kept, depth = [], 0
    for token in tokens:
        if token.type == "container_spoiler_open":
            if depth == 0:
                kept.append(token.__class__("html_block", "", 0, content=SPOILER_HIDDEN))
            depth += 1
        elif token.type == "container_spoiler_close":
            depth -= 1
        elif depth == 0:
            kept.append(token)
    return kept


# bleach reads `&amp;ouml;` back as the live entity `&ouml;`; markdown-it writes a literal `&`
# only as `&amp;`, so it goes through the sanitizer as `&#38;` (the same character) and back.
def _escape_amp(html: str) -> str:
    return html.replace("&amp;", "&#38;")


def _unescape_amp(html: str) -> str:
    return html.replace("&#38;", "&amp;")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render
