"""Blueprint: a review's cast list, edited in place on the editor page.

htmx requests get only the partial they replace; without JavaScript the same URLs work as
ordinary pages and forms with POST/redirect/GET. The domain is journal/characters.py.
"""

from __future__ import annotations

import re
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..castlist import already_in_cast, read_cast_list
from ..characters import add_cast, add_character, delete_character, move_character, update_character
from ..cleantext import removed_note
from ..extensions import db
from ..models import Character, Review
from ..versions import Conflict
from . import htmx
from .forms import CastListForm, CharacterForm, ConfirmForm, TextForm
from .inputs import database_id
from .lookups import writers_inline_editing

bp = Blueprint("characters", __name__, url_prefix="/write/<int:review_id>/characters")


def _review(review_id: int) -> Review:
    return db.get_or_404(Review, review_id)


# A character missing from its review's URL was deleted in another tab (or never was): say so.
DELETED_ELSEWHERE = "This character was deleted elsewhere (another tab?)."
TEXT_KEPT = " Your text is still in the form."


def _character(review_id: int, character_id: int, gone: str = DELETED_ELSEWHERE) -> Character:
    character = db.session.get(Character, character_id)
    if character is None:
        abort(404, gone)
    if character.review_id != review_id:
        abort(404)
    return character


def _back_to_editor(review_id: int, anchor: str = "characters"):
    return redirect(url_for("editor.edit", review_id=review_id, _anchor=anchor), code=303)


def _removed(form: TextForm) -> str:
    """A sentence saying how many control characters the form's text lost, or nothing."""
    count = form.removed_controls
    return f" {removed_note(count).capitalize()}." if count else ""


def _new_key(form: CharacterForm | None = None) -> str:
    key = (form.key.data or "") if form else ""
    return key if re.fullmatch(r"[a-z0-9]{1,16}", key) else secrets.token_hex(4)


def _form_response(review, form, character=None, status=200, **context):
    """The form partial for htmx; without JavaScript the same form on a page of its own."""
    if character is None:
        form.key.data = _new_key(form)
    return htmx.page_or_partial(
        "characters/form_page.html",
        "characters/_character_form.html",
        status,
        review=review,
        form=form,
        character=character,
        **context,
    )


writers_inline_editing(bp)


@bp.get("/new")
def new(review_id: int):
    return _form_response(_review(review_id), CharacterForm(formdata=None))


@bp.post("")
def create(review_id: int):
    review = _review(review_id)
    form = CharacterForm()
    if not form.validate_on_submit():
        return _form_response(review, form, status=422)
    character = add_character(review, form.data)
    if not htmx.wants_partial():
        flash(f"Added {character.name}.{_removed(form)}", "success")
        return _back_to_editor(review_id, f"character-{character.id}")
    return render_template(
        "characters/_character.html", c=character, focus=True, note=_removed(form).strip()
    )


@bp.get("/<int:character_id>")
def show(review_id: int, character_id: int):
    character = _character(review_id, character_id)
    if not htmx.wants_partial():
        return _back_to_editor(review_id, f"character-{character.id}")
    return render_template("characters/_character.html", c=character, focus=True)


@bp.get("/<int:character_id>/edit")
def edit(review_id: int, character_id: int):
    character = _character(review_id, character_id)
    form = CharacterForm(formdata=None, obj=character)
    form.version.data = str(character.version)
    return _form_response(character.review, form, character)


@bp.post("/<int:character_id>")
def update(review_id: int, character_id: int):
    character = _character(review_id, character_id, DELETED_ELSEWHERE + TEXT_KEPT)
    form = CharacterForm()
    if not form.validate_on_submit():
        return _form_response(character.review, form, character, status=422)
    # A form without its version is treated as stale, never as the latest.
    version = database_id(form.version.data) or 0
    try:
        character = update_character(character, form.data, version)
    except LookupError:
        abort(404, DELETED_ELSEWHERE + TEXT_KEPT)
    except Conflict as conflict:
        form.version.data = str(conflict.current.version)
        return _form_response(
            character.review, form, character, status=409, theirs=conflict.current
        )
    if not htmx.wants_partial():
        flash(f"Saved {character.name}.{_removed(form)}", "success")
        return _back_to_editor(review_id, f"character-{character.id}")
    return render_template(
        "characters/_character.html", c=character, focus=True, note=_removed(form).strip()
    )


@bp.post("/<int:character_id>/<any(up, down):direction>")
def move(review_id: int, character_id: int, direction: str):
    character = _character(review_id, character_id)
    neighbour = move_character(character, -1 if direction == "up" else 1)
    if not htmx.wants_partial():
        return _back_to_editor(review_id, f"character-{character.id}")
    # The moved character replaces itself together with its neighbour in the new order. The
    # neighbour is marked hx-preserve, so if it is open in a form there, the form stays as is.
    pair = [character] if neighbour is None else [character, neighbour]
    if direction == "down" and neighbour is not None:
        pair.reverse()
    return render_template("characters/_moved.html", pair=pair, moved=character)


@bp.route("/<int:character_id>/delete", methods=["GET", "POST"])
def delete(review_id: int, character_id: int):
    character = _character(review_id, character_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        name = character.name
        delete_character(character)
        if htmx.wants_partial():
            return ""  # the character's element swaps itself for nothing
        flash(f"Deleted {name}.", "success")
        return _back_to_editor(review_id)
    return render_template(
        "confirm_delete.html",
        form=form,
        heading=f"Delete {character.name}?",
        consequence=f"{character.name} is removed from the cast of “{character.review.title}” "
        "for good.",
        action=url_for("characters.delete", review_id=review_id, character_id=character.id),
        cancel_url=url_for("editor.edit", review_id=review_id, _anchor=f"character-{character.id}"),
    )


def _cast_response(review, form, reading=None, added=(), status=200, skipped=()):
    cast_names = [c.name for c in review.characters]
    known = already_in_cast(reading.entries, cast_names) if reading else []
    return htmx.page_or_partial(
        "characters/paste_page.html",
        "characters/_cast_paste.html",
        status,
        review=review,
        cast_form=form,
        reading=reading,
        added=added,
        known=known,
        skipped=skipped,
    )


@bp.post("/paste/read")
def read_cast(review_id: int):
    review = _review(review_id)
    form = CastListForm()
    if not form.validate_on_submit():
        return _cast_response(review, form, status=422)
    reading = read_cast_list(form.cast_list.data)
    if not reading.entries and not reading.unread:
        form.cast_list.errors.append("Paste one character a line first.")
        return _cast_response(review, form, status=422)
    return _cast_response(review, form, reading)


@bp.post("/paste")
def add_all(review_id: int):
    review = _review(review_id)
    form = CastListForm()
    if not form.validate_on_submit():
        return _cast_response(review, form, status=422)
    reading = read_cast_list(form.cast_list.data)
    if not reading.entries:
        form.cast_list.errors.append(
            "No line could be read as a character: write “Name (Actor) – notes”."
            if reading.unread
            else "Paste one character a line first."
        )
        return _cast_response(review, form, reading, status=422)
    skipped = []
    if request.form.get("skip_known"):
        skipped = already_in_cast(reading.entries, [c.name for c in review.characters])
        reading.entries = [e for e in reading.entries if e not in skipped]
    added = add_cast(review, reading.entries)
    if not reading.unread and not htmx.wants_partial():
        message = f"Added {len(added)} characters."
        if skipped:
            message += f" Skipped {len(skipped)} already in the cast."
        flash(message, "success")
        return _back_to_editor(review_id)
    # What could not be read stays in the field, to fix and add again.
    form = CastListForm(formdata=None, cast_list=reading.unread_text)
    reading.entries.clear()
    return _cast_response(review, form, reading, added, skipped=skipped)
