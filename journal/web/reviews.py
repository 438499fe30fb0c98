"""Blueprint: the public reading pages and the writer's dashboard."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request
from flask_login import login_required

from ..extensions import db
from ..models import DRAFT, PUBLISHED, Review, Tag
from ..published import published_reviews
from .inputs import requested_page
from .lookups import visible_review_or_404

bp = Blueprint("reviews", __name__)

STATUSES = {"draft": DRAFT, "published": PUBLISHED}


@bp.get("/")
def index():
    page = db.paginate(
        published_reviews(), page=requested_page(), per_page=current_app.config["REVIEWS_PER_PAGE"]
    )
    return render_template("reviews/index.html", page=page)


@bp.get("/reviews/<slug>")
def show(slug: str):
    return render_template("reviews/show.html", review=visible_review_or_404(slug))


@bp.get("/write/")
@login_required
def dashboard():
    query, filter = dashboard_filter(
        sa.select(Review).order_by(Review.updated_at.desc(), Review.id.desc())
    )
    reviews = db.session.scalars(query).all()
    drafts = [r for r in reviews if not r.is_published]
    published = [r for r in reviews if r.is_published]
    return render_template(
        "reviews/dashboard.html", drafts=drafts, published=published, filter=filter
    )


def dashboard_filter(query: sa.Select) -> tuple[sa.Select, dict]:
    """Narrow the dashboard's query by `?genre=<slug>` and `?status=draft|published`."""
    genre = request.args.get("genre", "", type=str)
    status = request.args.get("status", "", type=str)
    if genre:
        query = query.where(Review.tags.any(Tag.slug == genre))
    if status in STATUSES:
        query = query.where(Review.status == STATUSES[status])
    genres = db.session.scalars(sa.select(Tag).order_by(Tag.key)).all()
    return query, {"genre": genre, "status": status, "genres": genres}
