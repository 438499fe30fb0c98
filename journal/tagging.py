"""Genres: one tag per case- and space-folded name, spelled as first typed."""

from __future__ import annotations

import sqlalchemy as sa

from .extensions import db
from .models import Tag
from .slugs import slugify, unique_slug


def clean_name(name: str) -> str:
    return " ".join(name.split())


def tag_key(name: str) -> str:
    return clean_name(name).casefold()


def parse_tag_names(text: str | None) -> list[str]:
    """Comma-separated names, cleaned, first spelling of each kept, order kept."""
    names: dict[str, str] = {}
    for part in (text or "").split(","):
        name = clean_name(part)[:60]
        if name:
            names.setdefault(tag_key(name), name)
    return list(names.values())


def tags_for_names(names: list[str]) -> list[Tag]:
    """The Tag for each name, creating the ones that do not exist yet."""
    if not names:
        return []
    keys = [tag_key(n) for n in names]
    existing = {t.key: t for t in db.session.scalars(sa.select(Tag).where(Tag.key.in_(keys)))}
    tags = []
    for name, key in zip(names, keys, strict=True):
        tag = existing.get(key)
        if tag is None:
            tag = Tag(name=name, key=key, slug=unique_slug(slugify(name), _slug_taken, "genre"))
            db.session.add(tag)
            db.session.flush()
            existing[key] = tag
        tags.append(tag)
    return tags


def _slug_taken(slug: str) -> bool:
    return db.session.scalar(sa.select(Tag.id).where(Tag.slug == slug)) is not None
