"""URL slugs that stay readable for any script, Hangul included."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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


def unique_slug(base: str, taken: Callable[[str], bool], fallback: str = "review") -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is free first."""
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
