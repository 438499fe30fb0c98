"""Writing reviews: apply the editor's fields, save, publish, unpublish, delete. No request here."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from .extensions import db
from .models import DRAFT, PUBLISHED, Character, Review, Revision, utcnow
from .slugs import is_reserved_slug, slugify, unique_slug
from .tagging import parse_tag_names, tags_for_names

FIELDS = (
    "title",
    "work_title",
    "original_title",
    "media_type",
    "year",
    "where_to_watch",
    "episodes",
    "runtime_minutes",
    "rating",
    "verdict",
    "body",
)


def apply_fields(review: Review, data: dict[str, Any]) -> None:
    """Copy editor fields onto the review; empty optional text becomes None."""
    for name in FIELDS:
        value = data.get(name)
        if isinstance(value, str) and name not in ("title", "body"):
            value = value or None
        setattr(review, name, value if value is not None or name != "body" else "")
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
    review.slug = unique_slug(base, lambda s: is_reserved_slug(s) or _slug_taken(s, review.id))


def _slug_taken(slug: str, review_id: int | None) -> bool:
    query = sa.select(Review.id).where(Review.slug == slug)
    if review_id is not None:
        query = query.where(Review.id != review_id)
    return db.session.scalar(query) is not None


def snapshot(review: Review) -> dict[str, Any]:
    data = {name: getattr(review, name) for name in FIELDS}
    if data["rating"] is not None:
        data["rating"] = str(data["rating"])
    data["tags"] = [t.name for t in review.tags]
    data["status"] = review.status
    return data


class StaleVersion(Exception):
    """The review changed since the version the save was made from (an edit conflict)."""


def claim_version(row: Review | Character, expected_version: int) -> None:
    """The conflict test in the UPDATE itself: bump the version only if it is still the one seen.

    Works for any row with `id` and `version` (reviews, characters).
    """
    model = type(row)
    result = db.session.execute(
        sa.update(model)
        .where(model.id == row.id, model.version == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleVersion(row.id)
    set_committed_value(row, "version", expected_version + 1)


def save(
    review: Review,
    data: dict[str, Any],
    status: str | None = None,
    *,
    expected_version: int | None = None,
    kind: str = "save",
) -> Review:
    """Apply `data`, set `status` if given, bump the version, record a revision, commit.

    With `expected_version`, a review changed since that version is left alone: StaleVersion.
    """
    is_new = review.id is None
    if not is_new and expected_version is not None:
        claim_version(review, expected_version)
    if is_new:
        db.session.add(review)
    apply_fields(review, data)
    if status == PUBLISHED and review.published_at is None:
        review.published_at = utcnow()  # the first publication's time; republishing keeps it
    if status is not None:
        review.status = status
    review.updated_at = utcnow()
    if not is_new and expected_version is None:
        review.version += 1
    db.session.flush()
    db.session.add(
        Revision(review=review, version=review.version, kind=kind, data=snapshot(review))
    )
    db.session.commit()
    return review


def new_review() -> Review:
    return Review(title="", body="", status=DRAFT, version=1, tags=[], characters=[])


def delete(review: Review) -> None:
    db.session.delete(review)
    db.session.commit()
