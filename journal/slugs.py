"""URL slugs that stay readable for any script, Hangul included."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import sqlalchemy as sa

MAX_SLUG_LENGTH = 80
_NOT_WORD = re.compile(r"[^\w]+")


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case words joined by hyphens; letters of every script are kept as they are."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = [w for w in _NOT_WORD.sub(" ", text).replace("_", " ").split() if w]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def slug_family(column: sa.ColumnElement[str], base: str) -> sa.ColumnElement[bool]:
    """Every slug `unique_slug` may try for `base` (and a few more), so a caller reads the
    taken ones in one query instead of one query per try."""
    from .database import is_sqlite

    # Any numbered form, truncated or not, starts with this stem (up to "-9999999").
    stem = base[: MAX_SLUG_LENGTH - 8]
    if is_sqlite():  # BINARY collation, code point order: the prefix is one range of the index
        return sa.and_(column >= stem, column < stem + "\U0010ffff")
    return column.startswith(stem, autoescape=True)  # a locale's collation orders otherwise


def unique_slug(base: str, taken: Callable[[str], bool], fallback: str = "review") -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is free first.

    `taken` answers from memory (a set read with `slug_family`): it is asked once per try.
    """
    base = base or fallback
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_SLUG_LENGTH - len(suffix)] + suffix
    return candidate


# Names a static site generator gives a meaning of its own: a Hugo page `index` in a section
# hides every other page of it (and the build still succeeds); `page` is Hugo's pagination path.
RESERVED_SLUGS = frozenset({"index", "_index", "page"})


def is_reserved_slug(slug: str) -> bool:
    return slug in RESERVED_SLUGS
