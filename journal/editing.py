"""Writing reviews: apply the editor's fields, save, publish, unpublish, delete. No request here."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from .extensions import db
from .models import DRAFT, PUBLISHED, Review, Revision, utcnow
from .slugs import slugify, unique_slug
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
    if "tags" in data:
        review.tags = tags_for_names(parse_tag_names(data["tags"]))
    _assign_slug(review)


def _assign_slug(review: Review) -> None:
    """A slug follows the title until the review is first published, then never changes."""
    if review.published_at is not None and review.slug:
        return
    base = slugify(review.work_title or review.title)
    if review.slug and re.fullmatch(re.escape(base or "review") + r"(-\d+)?", review.slug):
        return
    review.slug = unique_slug(base, lambda s: _slug_taken(s, review.id))


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


def save(review: Review, data: dict[str, Any], status: str | None = None) -> Review:
    """Apply `data`, set `status` if given, bump the version, record a revision, commit."""
    apply_fields(review, data)
    if status == PUBLISHED and review.published_at is None:
        review.published_at = utcnow()  # the first publication's time; republishing keeps it
    if status is not None:
        review.status = status
    review.updated_at = utcnow()
    if review.id is None:
        db.session.add(review)
    else:
        review.version += 1
    db.session.flush()
    db.session.add(Revision(review=review, version=review.version, data=snapshot(review)))
    db.session.commit()
    return review


def new_review() -> Review:
    return Review(title="", body="", status=DRAFT, version=1, tags=[], characters=[])


def delete(review: Review) -> None:
    db.session.delete(review)
    db.session.commit()
