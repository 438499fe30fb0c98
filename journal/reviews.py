"""Blueprint: the public reading pages, the writer's dashboard and the review editor."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from . import editing, revisions
from .cleantext import removed_note
from .database import is_busy
from .extensions import db
from .forms import MEDIA_TYPES, ConfirmForm, ReviewForm
from .history import conflict_page
from .inputs import database_id, requested_page
from .markdown import render as render_markdown
from .models import DRAFT, PUBLISHED, Review
from .tagging import tag_field_text

bp = Blueprint("reviews", __name__)

BUSY = (
    "Not saved: the journal is busy with another save (an import?). Your text is still here; "
    "press the button again in a moment."
)
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
    form = _opening_form(review) if request.method == "GET" else ReviewForm()
    action = request.form.get("action", "save")
    if action == "preview" and form.is_submitted():
        return _render_editor(review, form, preview=render_markdown(form.body.data))
    if action == "back" and form.is_submitted():
        return _render_editor(review, form)  # Cancel on a confirmation: the text, unsaved
    if form.validate_on_submit():
        if action not in ACTIONS:
            abort(400, "Unknown editor action.")
        if form.needs_title(ACTIONS[action] or review.status):
            return _render_editor(review, form), 422
        if action == "unpublish" and request.form.get("confirmed") != "yes":
            return _confirm_unpublish(review)
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
        except sa.exc.OperationalError as error:
            if not is_busy(error):
                raise
            db.session.rollback()
            flash(BUSY, "error")
            return _render_editor(review, form), 503
        message = CONFIRMATIONS[action]
        if form.removed_controls:
            message += f" {removed_note(form.removed_controls).capitalize()}."
        if not review.title:
            message += " It is an untitled draft: give it a title to publish it."
        flash(message, "success")
        return redirect(url_for("reviews.edit", review_id=review.id), code=303)
    return _render_editor(review, form), 422 if form.errors else 200


def _opening_form(review: Review) -> ReviewForm:
    """The editor as it opens: a published review's pending autosave, else the review itself.

    The banner says "press Save" for a pending autosave, so Save must send that text.
    """
    pending = revisions.pending_autosave(review)
    if pending is not None:
        data = revisions.data_for_save(pending.data)
        form = ReviewForm(formdata=None, data=data)
        names = pending.data.get("tags") or []
    else:
        form = ReviewForm(formdata=None, obj=review)
        names = [t.name for t in review.tags]
    form.tags.data = tag_field_text(names)
    form.version.data = str(review.version)
    return form


def _confirm_unpublish(review: Review):
    """Unpublish asks first, like Delete; the typed text travels along in hidden fields."""
    kept = [(k, v) for k, v in request.form.items(multi=True) if k not in ("action", "csrf_token")]
    return render_template(
        "confirm_delete.html",
        form=ConfirmForm(),
        heading=f"Unpublish “{review.title}”?",
        consequence="Readers will no longer find it; it becomes a draft again, with the text "
        "in the editor saved. You can publish it again at any time.",
        action=url_for("reviews.edit", review_id=review.id),
        button="Unpublish",
        hidden=[*kept, ("action", "unpublish"), ("confirmed", "yes")],
        cancel_fields=[*kept, ("action", "back")],
    )


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
        heading=f"Delete “{review.title or 'Untitled'}”?",
        consequence="The review, its characters and its history are removed for good."
        + (" Readers will no longer find it." if review.is_published else ""),
        cancel_url=url_for("reviews.edit", review_id=review.id),
    )
