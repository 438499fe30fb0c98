"""Blueprint: a review's cast list, edited in place on the editor page.

htmx requests get only the partial they replace; without JavaScript the same URLs work as
ordinary pages and forms with POST/redirect/GET. The domain functions at the top take and
return models, never the request.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .castlist import NAME_MAX, NOTES_MAX, CastEntry, already_in_cast, read_cast_list
from .cleantext import removed_note
from .editing import StaleVersion, claim_version
from .extensions import db
from .forms import ConfirmForm, TextForm, multiline_text, text_field
from .htmx import wants_partial
from .models import Character, Review

bp = Blueprint("characters", __name__, url_prefix="/write/<int:review_id>/characters")

CAST_LIST_MAX = 50_000
FIELDS = ("name", "actor", "nickname", "notes")


class CharacterForm(TextForm):
    name = text_field("Name", NAME_MAX, DataRequired("Give the character a name."))
    actor = text_field("Actor", NAME_MAX, Optional())
    nickname = text_field("Nickname", NAME_MAX, Optional())
    notes = TextAreaField(
        "Notes",
        validators=[
            Length(max=NOTES_MAX, message=f"Notes are limited to {NOTES_MAX:,} characters."),
            multiline_text,
        ],
    )
    version = HiddenField()
    key = HiddenField()  # tells apart several unsaved "Add character" forms on one page


class CastListForm(TextForm):
    cast_list = TextAreaField(
        "Cast list",
        validators=[
            Length(
                max=CAST_LIST_MAX, message=f"Paste at most {CAST_LIST_MAX:,} characters at once."
            ),
            multiline_text,
        ],
    )


class Conflict(Exception):
    """The character was saved elsewhere since this form was opened."""

    def __init__(self, current: Character) -> None:
        super().__init__(current.id)
        self.current = current


# --- domain ---------------------------------------------------------------------------------


def cleaned(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in FIELDS}
    for name in ("actor", "nickname"):
        values[name] = (values[name] or "").strip() or None
    values["notes"] = (values["notes"] or "").strip()
    return values


def add_character(review: Review, data: dict[str, Any]) -> Character:
    """Append a character at the end of the review's cast."""
    last = db.session.scalar(
        sa.select(sa.func.max(Character.position)).where(Character.review_id == review.id)
    )
    character = Character(review_id=review.id, position=(last or 0) + 1, version=1)
    for name, value in cleaned(data).items():
        setattr(character, name, value)
    db.session.add(character)
    db.session.commit()
    return character


def add_cast(review: Review, entries: list[CastEntry]) -> list[Character]:
    return [add_character(review, entry.as_fields()) for entry in entries]


def update_character(character: Character, data: dict[str, Any], version: int) -> Character:
    """Save `data` only if nobody saved since `version`; the check is part of the UPDATE."""
    try:
        claim_version(character, version)
    except StaleVersion:
        current = db.session.scalar(sa.select(Character).where(Character.id == character.id))
        if current is None:
            raise LookupError("This character was deleted elsewhere.") from None
        raise Conflict(current) from None
    for name, value in cleaned(data).items():
        setattr(character, name, value)
    db.session.commit()
    return character


def move_character(character: Character, offset: int) -> Character | None:
    """Swap with the neighbour `offset` (-1 up, +1 down) places away; returns that neighbour."""
    cast = list(
        db.session.scalars(
            sa.select(Character)
            .where(Character.review_id == character.review_id)
            .order_by(Character.position, Character.id)
        )
    )
    here = cast.index(character)
    there = here + offset
    if not 0 <= there < len(cast):
        return None
    cast[here], cast[there] = cast[there], cast[here]
    for position, member in enumerate(cast, start=1):
        member.position = position
    db.session.commit()
    return cast[here]


def delete_character(character: Character) -> None:
    db.session.delete(character)
    db.session.commit()


# --- views ----------------------------------------------------------------------------------


def _review(review_id: int) -> Review:
    return db.get_or_404(Review, review_id)


def _character(review_id: int, character_id: int) -> Character:
    character = db.session.get(Character, character_id)
    if character is None or character.review_id != review_id:
        abort(404)
    return character


def _back_to_editor(review_id: int, anchor: str = "characters"):
    return redirect(url_for("reviews.edit", review_id=review_id, _anchor=anchor), code=303)


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
    inline = wants_partial()
    html = render_template(
        "characters/_character_form.html" if inline else "characters/form_page.html",
        review=review,
        form=form,
        character=character,
        inline=inline,
        **context,
    )
    return html, status


@bp.before_request
@login_required
def _writer_only():
    """Every endpoint here is the writer's."""


@bp.after_request
def _vary(response):
    """Each URL here answers htmx with a partial and a plain browser with a page or redirect."""
    response.vary.add("HX-Request")
    return response


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
    if not wants_partial():
        flash(f"Added {character.name}.{_removed(form)}", "success")
        return _back_to_editor(review_id, f"character-{character.id}")
    return render_template(
        "characters/_character.html", c=character, focus=True, note=_removed(form).strip()
    )


@bp.get("/<int:character_id>")
def show(review_id: int, character_id: int):
    character = _character(review_id, character_id)
    if not wants_partial():
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
    character = _character(review_id, character_id)
    form = CharacterForm()
    if not form.validate_on_submit():
        return _form_response(character.review, form, character, status=422)
    try:
        version = int(form.version.data or "")
    except ValueError:
        version = 0  # a form without its version is treated as stale, never as the latest
    try:
        character = update_character(character, form.data, version)
    except LookupError:
        abort(
            404,
            "This character was deleted elsewhere (another tab?). Your text is still in the form.",
        )
    except Conflict as conflict:
        form.version.data = str(conflict.current.version)
        return _form_response(
            character.review, form, character, status=409, theirs=conflict.current
        )
    if not wants_partial():
        flash(f"Saved {character.name}.{_removed(form)}", "success")
        return _back_to_editor(review_id, f"character-{character.id}")
    return render_template(
        "characters/_character.html", c=character, focus=True, note=_removed(form).strip()
    )


@bp.post("/<int:character_id>/<any(up, down):direction>")
def move(review_id: int, character_id: int, direction: str):
    character = _character(review_id, character_id)
    neighbour = move_character(character, -1 if direction == "up" else 1)
    if not wants_partial():
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
        if wants_partial():
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
        cancel_url=url_for(
            "reviews.edit", review_id=review_id, _anchor=f"character-{character.id}"
        ),
    )


def _cast_response(review, form, reading=None, added=(), status=200, skipped=()):
    inline = wants_partial()
    cast_names = [c.name for c in review.characters]
    known = already_in_cast(reading.entries, cast_names) if reading else []
    html = render_template(
        "characters/_cast_paste.html" if inline else "characters/paste_page.html",
        review=review,
        cast_form=form,
        reading=reading,
        added=added,
        inline=inline,
        known=known,
        skipped=skipped,
    )
    return html, status


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
    if not reading.unread and not wants_partial():
        message = f"Added {len(added)} characters."
        if skipped:
            message += f" Skipped {len(skipped)} already in the cast."
        flash(message, "success")
        return _back_to_editor(review_id)
    # What could not be read stays in the field, to fix and add again.
    form = CastListForm(formdata=None, cast_list=reading.unread_text)
    reading.entries.clear()
    return _cast_response(review, form, reading, added, skipped=skipped)
