"""Revisions: every save kept, autosave bursts collapsed, conflicts refused, restore.

Their diffs are journal/diffs.py's.

Plain functions over models and data; no request objects. The conflict test lives in
`versions.claim_version` (`UPDATE reviews SET version = ? WHERE id = ? AND version = ?`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa

from . import editing, fields
from .editing import apply_fields, snapshot
from .extensions import db
from .models import Review, Revision, utcnow
from .tagging import parse_tag_names
from .versions import Conflict, StaleVersion, claim_version

# Autosaves from one tab less than this apart are one editing burst, kept as one revision.
BURST = timedelta(minutes=10)

SAVE, AUTOSAVE, CONFLICT, RESTORE = "save", "autosave", "conflict", "restore"
KIND_LABELS = {
    SAVE: "Saved",
    AUTOSAVE: "Autosaved",
    CONFLICT: "Refused as a conflict",
    RESTORE: "Restored",
}


# Snapshots --------------------------------------------------------------------------------


def snapshot_of_data(data: dict[str, Any], status: str) -> dict[str, Any]:
    """The editor's fields as a revision snapshot, without touching the review."""
    snap = {f.name: f.to_snapshot(data.get(f.name)) for f in fields.REVIEW_FIELDS}
    snap["tags"] = parse_tag_names(data.get("tags"))
    snap["status"] = status
    return snap


def data_for_save(snap: dict[str, Any]) -> dict[str, Any]:
    """A snapshot turned back into editor data that `editing.save` accepts."""
    data = fields.normalized(fields.REVIEW_FIELDS, snap)
    try:
        data["rating"] = Decimal(data["rating"]) if data["rating"] not in (None, "") else None
    except InvalidOperation:
        data["rating"] = None
    data["tags"] = ", ".join(snap.get("tags") or [])
    return data


# Saving -----------------------------------------------------------------------------------


def effective_base(review: Review, base_version: int | None, editor: str | None) -> int | None:
    """The version a save from this editor page may replace.

    A manual save pressed while the same page's autosave was on its way is not a conflict: when
    every revision newer than the page's version is an autosave by this very page, the save
    may replace the current version.
    """
    if base_version is None or review.id is None or base_version == review.version or not editor:
        return base_version
    newer = db.session.scalars(
        sa.select(Revision).where(
            Revision.review_id == review.id,
            Revision.version > base_version,
            Revision.kind != CONFLICT,
        )
    ).all()
    if newer and all(r.kind == AUTOSAVE and r.editor == editor for r in newer):
        return review.version
    return base_version


def save_manual(
    review: Review,
    data: dict[str, Any],
    status: str | None,
    base_version: int | None,
    editor: str | None = None,
) -> Review:
    """Save, Publish or Unpublish pressed: its own revision, or Conflict when made stale."""
    base = effective_base(review, base_version, editor)
    try:
        return editing.save(review, data, status, expected_version=base)
    except StaleVersion:
        review = db.session.get(Review, review.id)
        mine = keep_refused(review, data, status or review.status, base_version, editor)
        raise Conflict(review, mine) from None


def keep_refused(
    review: Review, data: dict[str, Any], status: str, base_version: int | None, editor: str | None
) -> Revision:
    """Keep the text of a refused save as a revision at once, whichever side wins later.

    It joins the same page's refused autosaves of the moment (one text, one revision).
    """
    snap = snapshot_of_data(data, status)
    if editor:
        mine = _burst_revision(review, CONFLICT, editor, base_version or 0, snap)
    else:
        mine = Revision(review_id=review.id, kind=CONFLICT, version=base_version or 0, data=snap)
        db.session.add(mine)
    db.session.commit()
    return mine


@dataclass
class AutosaveResult:
    review: Review
    revision: Revision
    live: bool  # the review itself now holds the text (a draft); False: kept in the revision only
    stale: bool = False  # the review changed elsewhere since the page's version
    created: bool = False
    notes: list[str] = field(default_factory=list)


def autosave(
    review: Review, data: dict[str, Any], base_version: int | None, editor: str
) -> AutosaveResult:
    """Autosave never publishes and never overwrites a newer version.

    A draft (or a review never saved, which becomes a draft) takes the text; a published review
    stays as it is and the text waits in a revision until Save or Publish. One tab's autosaves of
    one burst update one revision.
    """
    created = review.id is None
    if created or (not review.is_published and base_version is not None):
        try:
            if not created:
                claim_version(review, base_version)
            apply_fields(review, data)
            review.updated_at = utcnow()
            if created:
                db.session.add(review)
            db.session.flush()
            revision = _burst_revision(review, AUTOSAVE, editor, review.version, snapshot(review))
            db.session.commit()
            return AutosaveResult(review, revision, live=True, created=created)
        except StaleVersion:
            review = db.session.get(Review, review.id)
            revision = _burst_revision(
                review, CONFLICT, editor, base_version, snapshot_of_data(data, review.status)
            )
            db.session.commit()
            return AutosaveResult(review, revision, live=False, stale=True)
    version = base_version if base_version is not None else review.version
    revision = _burst_revision(
        review, AUTOSAVE, editor, version, snapshot_of_data(data, review.status)
    )
    db.session.commit()
    return AutosaveResult(review, revision, live=False, stale=version != review.version)


def _burst_revision(
    review: Review, kind: str, editor: str, version: int, data: dict[str, Any]
) -> Revision:
    """Update this tab's revision of the running burst, or start a new one (not committed)."""
    now = utcnow()
    latest = db.session.scalar(
        sa.select(Revision).where(Revision.review_id == review.id).order_by(Revision.id.desc())
    )
    if (
        latest is not None
        and latest.kind == kind
        and latest.editor == editor
        and latest.updated_at >= now - BURST
    ):
        latest.data = data
        latest.version = version
        latest.updated_at = now
        return latest
    revision = Revision(
        review_id=review.id,
        kind=kind,
        editor=editor,
        version=version,
        data=data,
        created_at=now,
        updated_at=now,
    )
    db.session.add(revision)
    return revision


def restore(review: Review, revision: Revision) -> Review:
    """Bring an old revision's text back as a new revision; nothing is destroyed."""
    return editing.save(review, data_for_save(revision.data), None, kind=RESTORE)


def keep_mine(
    review: Review, mine: Revision, theirs_version: int, body: str | None = None
) -> Review:
    """The conflict view's "Keep mine": save the refused text over the version it was shown.

    `body`, when given, is the writer's own merge of both texts (it replaces mine's body).
    """
    status = mine.data.get("status") or review.status
    data = data_for_save(mine.data)
    if body is not None:
        data["body"] = body
    try:
        return editing.save(review, data, status, expected_version=theirs_version)
    except StaleVersion:
        review = db.session.get(Review, review.id)
        raise Conflict(review, mine) from None


def pending_autosave(review: Review) -> Revision | None:
    """A published review's autosaved text that was not yet saved or published."""
    if review.id is None or not review.is_published:
        return None
    latest = db.session.scalar(
        sa.select(Revision).where(Revision.review_id == review.id).order_by(Revision.id.desc())
    )
    return latest if latest is not None and latest.kind == AUTOSAVE else None


def history(review: Review) -> list[Revision]:
    return list(
        db.session.scalars(
            sa.select(Revision).where(Revision.review_id == review.id).order_by(Revision.id.desc())
        )
    )
