"""Blueprints: a review's episode notes and diary viewings, edited in place on the editor page.

Both lists work as the cast list does (journal/web/characters.py): htmx gets the partial that
replaces the item's own element; without JavaScript the same URLs are pages and forms with
POST/redirect/GET. One set of views serves both lists; `Kind` says what differs. The domain is
journal/episodes.py.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..cleantext import removed_note
from ..episodes import TABLES, DuplicateEpisode, add_item, delete_item, today, update_item
from ..extensions import db
from ..formatting import format_day
from ..models import EpisodeNote, Review, Viewing
from ..versions import Conflict
from . import htmx
from .forms import ConfirmForm, EpisodeNoteForm, TextForm, ViewingForm
from .inputs import database_id
from .lookups import writers_inline_editing


@dataclass(frozen=True)
class Kind:
    endpoint: str  # the blueprint's name
    path: str  # its URLs under /write/<review_id>/
    model: type
    form: type[TextForm]
    dom: str  # an item's element id is "<dom>-<id>"
    section: str  # the editor section's id
    template: str  # templates/episodes/_<template>.html and _<template>_form.html
    describe: Callable[[object], str]  # the item within a sentence: "episode 3"
    noun: str  # "episode note": the form page's heading is "Add episode note"


NOTES = Kind(
    "episode_notes", "episodes", EpisodeNote, EpisodeNoteForm, "episode-note", "episode-notes",
    "note", lambda n: f"episode {n.episode}", "episode note",
)  # fmt: skip
VIEWINGS = Kind(
    "viewings", "viewings", Viewing, ViewingForm, "viewing", "diary", "viewing",
    lambda v: f"the viewing of {format_day(v.watched_on)}", "viewing",
)  # fmt: skip


def _blueprint(kind: Kind) -> Blueprint:
    bp = Blueprint(kind.endpoint, __name__, url_prefix=f"/write/<int:review_id>/{kind.path}")

    def item_or_404(review_id: int, item_id: int):
        item = db.session.get(kind.model, item_id)
        if item is None or item.review_id != review_id:
            abort(404)
        return item

    def back_to_editor(review_id: int, anchor: str = kind.section):
        return redirect(url_for("editor.edit", review_id=review_id, _anchor=anchor), code=303)

    def removed(form: TextForm) -> str:
        count = form.removed_controls
        return f" {removed_note(count).capitalize()}." if count else ""

    def form_response(review, form, item=None, status=200, **context):
        """The form partial for htmx; without JavaScript the same form on a page of its own."""
        if item is None and not re.fullmatch(r"[a-z0-9]{1,16}", form.key.data or ""):
            form.key.data = secrets.token_hex(4)
        return htmx.page_or_partial(
            "episodes/form_page.html",
            f"episodes/_{kind.template}_form.html",
            status,
            review=review,
            form=form,
            item=item,
            kind=kind,
            today=today().isoformat(),
            **context,
        )

    def saved(review_id: int, item, form: TextForm, verb: str):
        if not htmx.wants_partial():
            flash(f"{verb} {kind.describe(item)}.{removed(form)}", "success")
            return back_to_editor(review_id, f"{kind.dom}-{item.id}")
        return render_template(
            f"episodes/_{kind.template}.html", item=item, focus=True, note=removed(form).strip()
        )

    def data_of(form: TextForm) -> dict:
        return {f.name: getattr(form, f.name).data for f in TABLES[kind.model]}

    writers_inline_editing(bp)

    @bp.get("/new")
    def new(review_id: int):
        return form_response(db.get_or_404(Review, review_id), kind.form(formdata=None))

    @bp.post("")
    def create(review_id: int):
        review = db.get_or_404(Review, review_id)
        form = kind.form()
        if not form.validate_on_submit():
            return form_response(review, form, status=422)
        try:
            item = add_item(review, kind.model, data_of(form))
        except DuplicateEpisode as duplicate:
            form.episode.errors = [str(duplicate)]
            return form_response(review, form, status=422)
        return saved(review_id, item, form, "Added")

    @bp.get("/<int:item_id>")
    def show(review_id: int, item_id: int):
        item = item_or_404(review_id, item_id)
        if not htmx.wants_partial():
            return back_to_editor(review_id, f"{kind.dom}-{item.id}")
        return render_template(f"episodes/_{kind.template}.html", item=item, focus=True)

    @bp.get("/<int:item_id>/edit")
    def edit(review_id: int, item_id: int):
        item = item_or_404(review_id, item_id)
        form = kind.form(formdata=None, obj=item)
        form.version.data = str(item.version)
        return form_response(item.review, form, item)

    @bp.post("/<int:item_id>")
    def update(review_id: int, item_id: int):
        item = item_or_404(review_id, item_id)
        form = kind.form()
        if not form.validate_on_submit():
            return form_response(item.review, form, item, status=422)
        # A form without its version is treated as stale, never as the latest.
        version = database_id(form.version.data) or 0
        try:
            item = update_item(item, data_of(form), version)
        except DuplicateEpisode as duplicate:
            form.episode.errors = [str(duplicate)]
            return form_response(item.review, form, item, status=422)
        except LookupError:
            abort(404, "This was deleted elsewhere (another tab?). Your text is still in the form.")
        except Conflict as conflict:
            form.version.data = str(conflict.current.version)
            return form_response(item.review, form, item, status=409, theirs=conflict.current)
        return saved(review_id, item, form, "Saved")

    @bp.route("/<int:item_id>/delete", methods=["GET", "POST"])
    def delete(review_id: int, item_id: int):
        item = item_or_404(review_id, item_id)
        form = ConfirmForm()
        described = kind.describe(item)
        sentence = described[0].upper() + described[1:]
        title = item.review.title or "Untitled"
        if request.method == "POST" and form.validate_on_submit():
            delete_item(item)
            if htmx.wants_partial():
                return ""  # the item's element swaps itself for nothing
            flash(f"Deleted {described}.", "success")
            return back_to_editor(review_id)
        return render_template(
            "confirm_delete.html",
            form=form,
            heading=f"Delete {described}?",
            consequence=f"{sentence} is removed from “{title}” for good.",
            action=url_for(f"{kind.endpoint}.delete", review_id=review_id, item_id=item.id),
            cancel_url=url_for("editor.edit", review_id=review_id, _anchor=f"{kind.dom}-{item.id}"),
        )

    return bp


notes_bp = _blueprint(NOTES)
viewings_bp = _blueprint(VIEWINGS)
