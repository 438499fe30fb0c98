"""Writing reviews: apply the editor's fields, save, publish, unpublish, delete. No request here."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import current_app

from . import covers, fields
from .extensions import db
from .models import DRAFT, PUBLISHED, Review, Revision, utcnow
from .slugs import is_reserved_slug, slug_family, slugify, unique_slug
from .tagging import drop_unused_tags, parse_tag_names, tags_for_names
from .versions import claim_version

FIELDS = tuple(fields.REVIEW)


def apply_fields(review: Review, data: dict[str, Any]) -> None:
    """Copy editor fields onto the review (the model normalizes each value)."""
    for name in FIELDS:
        setattr(review, name, data.get(name))
    # No autoflush: a new review must not reach the database before it has its slug.
    with db.session.no_autoflush:
        _assign_slug(review)
        if "tags" in data:
            review.tags = tags_for_names(parse_tag_names(data["tags"]))


def _assign_slug(review: Review) -> None:
    """A slug follows the title until the review is first published, then never changes."""
    if review.published_at is not None and review.slug:
        return
    base = slugify(review.work_title or review.title)
    if review.slug and re.fullmatch(re.escape(base or "review") + r"(-\d+)?", review.slug):
        return
    query = sa.select(Review.slug).where(slug_family(Review.slug, base or "review"))
    if review.id is not None:
        query = query.where(Review.id != review.id)
    taken = set(db.session.scalars(query))
    review.slug = unique_slug(base, lambda s: is_reserved_slug(s) or s in taken)


def note_progress(review: Review) -> None:
    """Remember the episodes seen at the first publication that gave a count: readers see
    "Reviewed after episode 8", and "Updated after episode 16" once the count rises."""
    if review.is_published and review.first_episodes_seen is None:
        review.first_episodes_seen = review.episodes_seen


def snapshot(review: Review) -> dict[str, Any]:
    data = {f.name: f.to_snapshot(getattr(review, f.name)) for f in fields.REVIEW_FIELDS}
    data["tags"] = [t.name for t in review.tags]
    data["status"] = review.status
    return data


def save(
    review: Review,
    data: dict[str, Any],
    status: str | None = None,
    *,
    expected_version: int | None = None,
    kind: str = "save",
) -> Review:
    """Apply `data`, set `status` if given, bump the version, record a revision, commit.

    With `expected_version`, a review changed since that version is left alone: StaleVersion
    (journal/versions.py).
    """
    is_new = review.id is None
    genres_before = [] if is_new else [t.id for t in review.tags]
    if not is_new and expected_version is not None:
        claim_version(review, expected_version)
    if is_new:
        db.session.add(review)
    apply_fields(review, data)
    if status == PUBLISHED and review.published_at is None:
        review.published_at = utcnow()  # the first publication's time; republishing keeps it
    if status is not None:
        review.status = status
    note_progress(review)
    review.updated_at = utcnow()
    if not is_new and expected_version is None:
        review.version += 1
    db.session.flush()
    db.session.add(
        Revision(review=review, version=review.version, kind=kind, data=snapshot(review))
    )
    drop_unused_tags(genres_before)
    db.session.commit()
    return review


def new_review() -> Review:
    return Review(title="", body="", status=DRAFT, version=1, tags=[], characters=[])


def delete(review: Review) -> None:
    genres, cover = [t.id for t in review.tags], review.cover
    db.session.delete(review)
    db.session.flush()
    drop_unused_tags(genres)
    db.session.commit()
    if cover:  # its files go too, unless another review shows the same image
        covers.drop_unused(covers.covers_root(current_app.instance_path), {cover})
