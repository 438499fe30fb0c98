"""Blueprint: genre pages for readers, tag suggestions in the editor, the genre manager."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from .. import tagging
from ..extensions import db
from ..models import Review, Tag
from ..published import published_with_tag
from .forms import ConfirmForm, TextForm, text_field
from .inputs import requested_page
from .lookups import tag_by_slug_or_404

bp = Blueprint("tags", __name__)


class RenameForm(TextForm):
    name = text_field("New name", 60, DataRequired("Give the genre a name."))


def _genre_id(value) -> int | None:
    return int(value) if value not in (None, "") else None


class MergeForm(FlaskForm):
    # No genre is chosen in advance: the writer says which one is kept.
    target = SelectField("Genre to keep", coerce=_genre_id, validate_choice=True)


@bp.get("/tags")
def index():
    return render_template("tags/index.html", counts=tagging.tag_counts(include_drafts=False))


@bp.get("/tags/<slug>")
def show(slug: str):
    tag = tag_by_slug_or_404(slug)
    page = db.paginate(
        published_with_tag(tag),
        page=requested_page(),
        per_page=current_app.config["REVIEWS_PER_PAGE"],
    )
    if page.total == 0 and not current_user.is_authenticated:
        abort(404)  # a genre with no published review is invisible to readers
    return render_template("tags/show.html", tag=tag, page=page)


@bp.get("/write/tags/suggest")
def suggest():
    # Asked in the background while the writer types: after the session expired, answer
    # "nothing to suggest" rather than 401, whose HX-Redirect would take the editor away.
    if not current_user.is_authenticated:
        return "", 204
    fragment, rows = tagging.suggestions(request.args.get("tags", ""))
    return render_template("tags/_suggestions.html", fragment=fragment, rows=rows)


@bp.get("/write/tags/")
@login_required
def manage():
    return render_template("tags/manage.html", rows=tagging.manage_rows())


@bp.route("/write/tags/<int:tag_id>/rename", methods=["GET", "POST"])
@login_required
def rename(tag_id: int):
    tag = db.get_or_404(Tag, tag_id)
    form = RenameForm(data={"name": tag.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        old = tag.name
        try:
            tagging.rename_tag(tag, form.name.data)
        except tagging.GenreError as error:
            db.session.rollback()
            form.name.errors = [str(error)]
        else:
            flash(f"Renamed “{old}” to “{tag.name}”.", "success")
            return redirect(url_for("tags.manage"), code=303)
    return render_template("tags/rename.html", tag=tag, form=form), 422 if form.errors else 200


@bp.route("/write/tags/<int:tag_id>/merge", methods=["GET", "POST"])
@login_required
def merge(tag_id: int):
    tag = db.get_or_404(Tag, tag_id)
    form = MergeForm()
    others = db.session.scalars(sa.select(Tag).where(Tag.id != tag.id).order_by(Tag.key)).all()
    form.target.choices = [("", "Choose the genre to keep")] + [(t.id, t.name) for t in others]
    if not others:
        form.target.errors = ["There is no other genre to merge into."]
    elif form.validate_on_submit() and form.target.data is not None:
        target = db.session.get(Tag, form.target.data)
        name, target_name = tag.name, target.name
        count = tagging.merge_tag(tag, target)
        reviews = "1 review" if count == 1 else f"{count} reviews"
        flash(f"Merged “{name}” into “{target_name}” ({reviews}).", "success")
        return redirect(url_for("tags.manage"), code=303)
    if request.method == "POST" and not form.errors:
        form.target.errors = ["Choose the genre to keep."]
    status = 422 if request.method == "POST" else 200
    return render_template("tags/merge.html", tag=tag, form=form), status


@bp.route("/write/tags/<int:tag_id>/delete", methods=["GET", "POST"])
@login_required
def delete(tag_id: int):
    tag = db.get_or_404(Tag, tag_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = tag.name
        tagging.delete_tag(tag)
        flash(f"Deleted the genre “{name}”; its reviews are kept.", "success")
        return redirect(url_for("tags.manage"), code=303)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Review).where(Review.tags.any(Tag.id == tag.id))
    )
    reviews = "review" if count == 1 else "reviews"
    return render_template(
        "confirm_delete.html",
        form=form,
        heading=f"Delete the genre “{tag.name}”?",
        consequence=f"It is removed from {count} {reviews}; the reviews themselves are kept.",
        cancel_url=url_for("tags.manage"),
    )
