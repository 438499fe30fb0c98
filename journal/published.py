"""What readers see: the queries over published reviews that several pages share."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .models import PUBLISHED, Review, Tag, review_tags


def published_reviews() -> sa.Select:
    """Published reviews, newest first, with their genres."""
    return (
        sa.select(Review)
        .where(Review.status == PUBLISHED)
        .order_by(Review.published_at.desc(), Review.id.desc())
        .options(selectinload(Review.tags))
    )


def published_with_tag(tag: Tag) -> sa.Select:
    tagged = sa.exists().where(
        review_tags.c.review_id == Review.id, review_tags.c.tag_id == tag.id
    )  # straight on the link table's primary key, without joining tags
    return published_reviews().where(tagged)
