"""What a static site would run that the journal shows as text (issue 9, finding 12).

The journal renders Markdown with raw HTML off and links only to http, https and mailto
(journal/markdown.py). An export keeps the text as written, and the generators read it their
own way, as the builds in tests/test_static_sites.py show: Jekyll's kramdown puts raw HTML on
the page as written and keeps every link; Hugo's goldmark (without `unsafe = true`) leaves raw
HTML out and blanks a plain `javascript:`, `vbscript:` or `data:` link, but keeps disguised
ones (`JAVASCRIPT:`, `&#106;avascript:`, `<javascript:…>`), which run when clicked.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from .markdown import ALLOWED_PROTOCOLS

_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_md.validateLink = lambda _url: True  # see every link, as the generators do
_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.S)
_TAG = re.compile(r"\s*</?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_RUNS = {"javascript", "vbscript", "data"}


def findings(text: str) -> tuple[list[str], list[str]]:
    """(raw HTML tags, link schemes the journal does not link) in a Markdown text."""
    if "<" not in text and "](" not in text and "]:" not in text:
        return [], []
    tags: dict[str, None] = {}
    schemes: dict[str, None] = {}
    stack = list(reversed(_md.parse(text)))
    while stack:
        token = stack.pop()
        if token.children:
            stack.extend(reversed(token.children))
        if token.type in ("html_block", "html_inline"):
            if not _COMMENT.fullmatch(token.content):  # comments show nowhere
                tag = _TAG.match(token.content)
                tags[f"<{tag.group(1).lower()}>" if tag else "raw HTML"] = None
        elif token.type in ("link_open", "image"):
            scheme = _scheme(str(token.attrGet("href") or token.attrGet("src") or ""))
            if scheme and scheme not in ALLOWED_PROTOCOLS:
                schemes[scheme] = None
    return list(tags), list(schemes)


def _scheme(url: str) -> str | None:
    """The scheme a browser would see: entities decoded, tabs and newlines dropped."""
    url = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    match = _SCHEME.match(url)
    return match.group(1) if match else None


def unsafe_warning(path: str, body: str) -> str | None:
    """A warning for the export report, or None when the generators show what the journal does."""
    tags, schemes = findings(body)
    if not tags and not schemes:
        return None
    held, jekyll, hugo = [], [], []
    if tags:
        held.append(f"raw HTML ({', '.join(tags[:5])})")
        jekyll.append("puts the raw HTML on the page as written, so any script in it runs")
        hugo.append(
            "leaves the raw HTML out (it runs too if `markup.goldmark.renderer.unsafe` is on)"
        )
    if schemes:
        held.append(f"links the journal does not make ({', '.join(s + ':' for s in schemes[:5])})")
        jekyll.append("keeps those links")
        if _RUNS.intersection(schemes):
            hugo.append(
                "blanks a plain `javascript:`, `vbscript:` or `data:` link but keeps disguised "
                "ones (`JAVASCRIPT:`, `&#106;avascript:`, `<javascript:…>`), which run when clicked"
            )
        else:
            hugo.append("keeps those links")
    return (
        f"{path}: the body holds {' and '.join(held)}, which the journal shows as text. "
        f"Jekyll (kramdown) {', and '.join(jekyll)}; Hugo (goldmark) {', and '.join(hugo)}."
    )
