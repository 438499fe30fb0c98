"""A review's episode notes and diary viewings: add, change and delete. No request objects here.

Both lists are saved like characters: a change claims the row's version in the UPDATE itself
(journal/versions.py), so a save from a stale form raises `Conflict` with the row as it is now.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from . import fields
from .extensions import db
from .formatting import journal_zone
from .models import EpisodeNote, Review, Viewing
from .versions import Conflict, StaleVersion, claim_version

TABLES = {EpisodeNote: fields.EPISODE_NOTE_FIELDS, Viewing: fields.VIEWING_FIELDS}


class DuplicateEpisode(ValueError):
    """A second note for an episode that has one."""

    def __init__(self, episode: int) -> None:
        super().__init__(f"Episode {episode} already has a note.")
        self.episode = episode


def today() -> date:
    """Today in the journal's time zone: the last day a viewing may have."""
    return datetime.now(journal_zone()).date()


def date_problem(day: date, last: date) -> str | None:
    """The editor's and import's one rule for a date watched: from 1900 to `last` (today)."""
    spec = fields.VIEWING["watched_on"]
    if day.year < spec.low or day > last:
        return spec.message
    return None


def _check_episode(review_id: int, episode: int, note_id: int | None = None) -> None:
    taken = sa.select(EpisodeNote.id).where(
        EpisodeNote.review_id == review_id, EpisodeNote.episode == episode
    )
    if note_id is not None:
        taken = taken.where(EpisodeNote.id != note_id)
    if db.session.scalar(taken) is not None:
        raise DuplicateEpisode(episode)


def _assign(row: EpisodeNote | Viewing, data: dict[str, Any]) -> None:
    for name, value in fields.normalized(TABLES[type(row)], data).items():
        setattr(row, name, value)


def add_item(review: Review, model: type[EpisodeNote] | type[Viewing], data: dict[str, Any]):
    """A new episode note or viewing of `review`. Raises DuplicateEpisode."""
    if model is EpisodeNote:
        _check_episode(review.id, data["episode"])
    row = model(review_id=review.id, version=1)
    _assign(row, data)
    db.session.add(row)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # another tab added the same episode meanwhile
        db.session.rollback()
        raise DuplicateEpisode(data["episode"]) from None
    return row


def update_item(row: EpisodeNote | Viewing, data: dict[str, Any], version: int):
    """Save `data` only if nobody saved since `version`. Raises Conflict, LookupError (deleted
    elsewhere) or DuplicateEpisode."""
    if isinstance(row, EpisodeNote):
        _check_episode(row.review_id, data["episode"], row.id)
    model = type(row)
    try:
        claim_version(row, version)
    except StaleVersion:
        current = db.session.scalar(sa.select(model).where(model.id == row.id))
        if current is None:
            raise LookupError("deleted elsewhere") from None
        raise Conflict(current) from None
    _assign(row, data)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DuplicateEpisode(data["episode"]) from None
    return row


def delete_item(row: EpisodeNote | Viewing) -> None:
    db.session.delete(row)
    db.session.commit()
