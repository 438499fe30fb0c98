"""Blueprint: the public reading pages, the writer's dashboard and the review editor."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from . import editing, revisions
from .extensions import db
from .forms import MEDIA_TYPES, ConfirmForm, ReviewForm
from .history import conflict_page
from .inputs import database_id, requested_page
from .markdown import render as render_markdown
from .models import DRAFT, PUBLISHED, Review

bp = Blueprint("reviews", __name__)

ACTIONS = {"save": None, "publish": PUBLISHED, "unpublish": DRAFT}
CONFIRMATIONS = {
    "save": "Saved.",
    "publish": "Published.",
    "unpublish": "Unpublished: it is a draft again.",
}


def published_reviews() -> sa.Select:
    return (
        sa.select(Review)
        .where(Review.status == PUBLISHED)
        .order_by(Review.published_at.desc(), Review.id.desc())
        .options(selectinload(Review.tags))
    )


def visible_review_or_404(slug: str) -> Review:
    """A published review for anyone; a draft only for the writer."""
    review = db.session.scalar(sa.select(Review).where(Review.slug == slug))
    if review is None or (not review.is_published and not current_user.is_authenticated):
        abort(404)
    return review


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
    from .tags import dashboard_filter

    query, filter = dashboard_filter(
        sa.select(Review).order_by(Review.updated_at.desc(), Review.id.desc())
    )
    reviews = db.session.scalars(query).all()
    drafts = [r for r in reviews if not r.is_published]
    published = [r for r in reviews if r.is_published]
    return render_template(
        "reviews/dashboard.html", drafts=drafts, published=published, filter=filter
    )


@bp.route("/write/new", methods=["GET", "POST"])
@login_required
def new():
    return _editor(editing.new_review())


@bp.route("/write/<int:review_id>", methods=["GET", "POST"])
@login_required
def edit(review_id: int):
    return _editor(db.get_or_404(Review, review_id))


def _editor(review: Review):
    form = ReviewForm(obj=review if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = ", ".join(t.name for t in review.tags)
        form.version.data = str(review.version)
    action = request.form.get("action", "save")
    if action == "preview" and form.is_submitted():
        return _render_editor(review, form, preview=render_markdown(form.body.data))
    if form.validate_on_submit():
        if action not in ACTIONS:
            abort(400, "Unknown editor action.")
        try:
            revisions.save_manual(
                review,
                form.data,
                ACTIONS[action],
                _version(form.version.data),
                request.form.get("editor"),
            )
        except revisions.Conflict as conflict:
            return conflict_page(conflict), 409
        flash(CONFIRMATIONS[action], "success")
        return redirect(url_for("reviews.edit", review_id=review.id), code=303)
    return _render_editor(review, form), 422 if form.errors else 200


def _version(value: str | None) -> int | None:
    return database_id(value)


def _render_editor(review: Review, form: ReviewForm, preview=None):
    return render_template(
        "reviews/editor.html", review=review, form=form, preview=preview, media_types=MEDIA_TYPES
    )


@bp.post("/write/preview")
@login_required
def preview():
    form = ReviewForm()
    return render_template("reviews/_preview.html", preview=render_markdown(form.body.data))


@bp.route("/write/<int:review_id>/delete", methods=["GET", "POST"])
@login_required
def delete(review_id: int):
    review = db.get_or_404(Review, review_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = review.title
        editing.delete(review)
        flash(f"Deleted “{title}”.", "success")
        return redirect(url_for("reviews.dashboard"), code=303)
    return render_template(
        "confirm_delete.html",
        form=form,
        heading=f"Delete “{review.title}”?",
        consequence="The review, its characters and its history are removed for good."
        + (" Readers will no longer find it." if review.is_published else ""),
        cancel_url=url_for("reviews.edit", review_id=review.id),
    )
