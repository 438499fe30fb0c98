"""Finding the row a URL names, or answering 404, and the writer-only inline-editing hooks:
shared by the blueprints."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Review, Revision, Tag
from . import htmx


def visible_review_or_404(slug: str) -> Review:
    """A published review for anyone; a draft only for the writer."""
    review = db.session.scalar(sa.select(Review).where(Review.slug == slug))
    if review is None or (not review.is_published and not current_user.is_authenticated):
        abort(404)
    return review


def tag_by_slug_or_404(slug: str) -> Tag:
    tag = db.session.scalar(sa.select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return tag


def review_revision_or_404(review: Review, revision_id: int) -> Revision:
    revision = db.session.get(Revision, revision_id)
    if revision is None or revision.review_id != review.id:
        abort(404)
    return revision


def writers_inline_editing(bp: Blueprint) -> None:
    """Every endpoint of `bp` is the writer's, and answers htmx with a partial and a plain
    browser with a page or a redirect (so each answer varies on HX-Request)."""
    bp.before_request(login_required(lambda **_values: None))
    bp.after_request(htmx.varies)
