"""Actors: not a table the writer keeps, but the characters' actor names, folded to one slug.

"Ju Ji Hoon", "ju ji hoon " and "Ju Ji-hoon" are one actor: the slug is the name's identity, so it
stays the same when the spelling's case (or a hyphen) changes.
"""

from __future__ import annotations

from .slugs import slugify


def actor_slug(name: str | None) -> str | None:
    """The actor's stable slug, or None for no actor (or a name with no letters or digits)."""
    return slugify(name) or None if name else None
