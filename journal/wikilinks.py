"""Obsidian's `[[wikilinks]]` and `![[embeds]]`, turned into Markdown at import time.

A link to another note of the same import becomes `[text](/reviews/<slug>)` (`|alias` gives
the text, `#heading` is shown after the note's name: reviews have no heading anchors). A link
to a note that is not imported becomes its plain text, with a warning. An embed of an imported
note becomes a link; any other embed (an image, a PDF, a note not imported) is left out and
listed as skipped. Code spans and fenced code blocks are left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

_LINK = re.compile(r"(!?)\[\[([^\[\]|#\n]*)(#[^\[\]|\n]*)?(?:\|([^\[\]\n]*))?\]\]")
_CODE = re.compile(
    r"(^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)|`+[^`\n]*`+)", re.M | re.S
)
_ESCAPE = re.compile(r"([\\`*_\[\]<>])")


def key(name: str) -> str:
    """How Obsidian matches a link to a note: by name or path, without `.md`, any case."""
    name = name.strip().replace("\\", "/")
    if name.lower().endswith((".md", ".markdown")):
        name = name.rsplit(".", 1)[0]
    return " ".join(name.split()).casefold()


@dataclass
class Converted:
    body: str
    unresolved: list[str] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)


def has_links(body: str) -> bool:
    return "[[" in body


def convert(body: str, slug_for: Callable[[str], str | None]) -> Converted:
    """`slug_for(key)`: the slug of the imported note a link names, or None."""
    result = Converted(body)
    if not has_links(body):
        return result
    parts, last = [], 0
    for code in _CODE.finditer(body):
        parts.append(_convert_text(body[last : code.start()], slug_for, result))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_convert_text(body[last:], slug_for, result))
    result.body = "".join(parts)
    return result


def _convert_text(text: str, slug_for, result: Converted) -> str:
    def replace(match: re.Match) -> str:
        bang, target, heading, alias = match.groups()
        slug = slug_for(key(target)) if target.strip() else None
        shown = alias.strip() if alias and alias.strip() else _label(target, heading)
        text = _ESCAPE.sub(r"\\\1", shown)
        if slug is not None:
            return f"[{text}](/reviews/{slug})"
        if bang:
            result.embeds.append(match.group(0))
            return ""
        result.unresolved.append(match.group(0))
        return text

    return _LINK.sub(replace, text)


def _label(target: str, heading: str | None) -> str:
    name = PurePosixPath(target.strip()).name or target.strip()
    if name.lower().endswith((".md", ".markdown")):
        name = name.rsplit(".", 1)[0]
    if heading and heading.strip("# "):
        return f"{name} › {heading.strip('# ')}" if name else heading.strip("# ")
    return name
