"""Invisible control characters in pasted text: normalized, never a reason to refuse a save.

A Word paste brings vertical tabs, a PDF form feeds, a broken file a NUL. Vertical tab and form
feed become line breaks; every other control character except tab, newline and carriage return
is removed, and the caller tells the writer how many. The one rule for the forms and for import.
"""

from __future__ import annotations

import re

LINE_BREAKS = "\x0b\x0c"  # vertical tab, form feed
_REMOVED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(f"[{LINE_BREAKS}]")


def normalize_controls(text: str, one_line: bool = False) -> tuple[str, int]:
    """`text` with control characters normalized, and how many were removed.

    In one-line text (a title, a name) a line break cannot stand, so VT and FF become spaces.
    """
    text, removed = _REMOVED.subn("", text)
    text = _LINE_BREAKS.sub(" " if one_line else "\n", text)
    return text, removed


def removed_note(count: int) -> str:
    """What the page says after a save that removed control characters."""
    noun = "character" if count == 1 else "characters"
    return f"{count} invisible control {noun} removed"
