"""What readers see: the queries over published reviews that several pages share."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from .models import PUBLISHED, Review, Tag, Viewing, review_tags


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


def published_viewings() -> sa.Select:
    """The diary: viewings of published reviews, newest first, each with its review."""
    return (
        sa.select(Viewing)
        .join(Viewing.review)
        .where(Review.status == PUBLISHED)
        .order_by(Viewing.watched_on.desc(), Viewing.id.desc())
        .options(contains_eager(Viewing.review))
    )
