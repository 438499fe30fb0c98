"""A review's cast: add, change, move and delete characters. No request objects here."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from . import fields
from .castlist import CastEntry
from .extensions import db
from .models import Character, Review
from .versions import Conflict, StaleVersion, claim_version


def add_character(review: Review, data: dict[str, Any]) -> Character:
    """Append a character at the end of the review's cast."""
    last = db.session.scalar(
        sa.select(sa.func.max(Character.position)).where(Character.review_id == review.id)
    )
    character = Character(review_id=review.id, position=(last or 0) + 1, version=1)
    for name, value in fields.normalized(fields.CHARACTER_FIELDS, data).items():
        setattr(character, name, value)
    db.session.add(character)
    db.session.commit()
    return character


def add_cast(review: Review, entries: list[CastEntry]) -> list[Character]:
    return [add_character(review, entry.as_fields()) for entry in entries]


def update_character(character: Character, data: dict[str, Any], version: int) -> Character:
    """Save `data` only if nobody saved since `version`; the check is part of the UPDATE."""
    try:
        claim_version(character, version)
    except StaleVersion:
        current = db.session.scalar(sa.select(Character).where(Character.id == character.id))
        if current is None:
            raise LookupError("This character was deleted elsewhere.") from None
        raise Conflict(current) from None
    for name, value in fields.normalized(fields.CHARACTER_FIELDS, data).items():
        setattr(character, name, value)
    db.session.commit()
    return character


def move_character(character: Character, offset: int) -> Character | None:
    """Swap with the neighbour `offset` (-1 up, +1 down) places away; returns that neighbour."""
    cast = list(
        db.session.scalars(
            sa.select(Character)
            .where(Character.review_id == character.review_id)
            .order_by(Character.position, Character.id)
        )
    )
    here = cast.index(character)
    there = here + offset
    if not 0 <= there < len(cast):
        return None
    cast[here], cast[there] = cast[there], cast[here]
    for position, member in enumerate(cast, start=1):
        member.position = position
    db.session.commit()
    return cast[here]


def delete_character(character: Character) -> None:
    db.session.delete(character)
    db.session.commit()
