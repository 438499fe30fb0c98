"""Blueprint: the review editor, where a review is written, saved, published and deleted.

The editor page (`/write/new`, `/write/<id>`), its Preview, its debounced autosave, the conflict
view a stale save leads to, and a fresh CSRF token for a page left open across a new login.
The form is journal/web/forms.py's ReviewForm (built from journal/fields.py); the domain is
journal/editing.py (save, publish, delete) and journal/revisions.py (autosave bursts, conflicts,
restore); the templates are templates/editor/.
"""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from .. import diffs, editing, fields, revisions, tagging
from ..cleantext import removed_note
from ..database import is_busy
from ..extensions import db
from ..formatting import format_time
from ..markdown import render as render_markdown
from ..models import DRAFT, PUBLISHED, Review
from ..versions import Conflict
from . import htmx
from .forms import MEDIA_TYPES, ConfirmForm, ReviewForm
from .inputs import database_id
from .lookups import review_revision_or_404

bp = Blueprint("editor", __name__)

EDITOR_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,32}")


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


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["editor_token"] = editor_token
    app.jinja_env.globals["pending_autosave"] = revisions.pending_autosave


def editor_token() -> str:
    """One editor page's token: kept across a re-rendered form, new for a freshly opened page."""
    sent = request.form.get("editor", "") if request.method == "POST" else ""
    return sent if EDITOR_TOKEN.fullmatch(sent) else secrets.token_urlsafe(12)


# The editor -------------------------------------------------------------------------------


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
                database_id(form.version.data),
                request.form.get("editor"),
            )
        except Conflict as conflict:
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
        return redirect(url_for("editor.edit", review_id=review.id), code=303)
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
    form.tags.data = tagging.tag_field_text(names)
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
        action=url_for("editor.edit", review_id=review.id),
        button="Unpublish",
        hidden=[*kept, ("action", "unpublish"), ("confirmed", "yes")],
        cancel_fields=[*kept, ("action", "back")],
    )


def _render_editor(review: Review, form: ReviewForm, preview=None):
    return render_template(
        "editor/editor.html", review=review, form=form, preview=preview, media_types=MEDIA_TYPES
    )


@bp.post("/write/preview")
@login_required
def preview():
    form = ReviewForm()
    return render_template("editor/_preview.html", preview=render_markdown(form.body.data))


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
        cancel_url=url_for("editor.edit", review_id=review.id),
    )


# Conflicts --------------------------------------------------------------------------------


def conflict_page(conflict: Conflict, mine_body: str | None = None, body_error=None):
    """Both texts side by side; the refused one is already kept in History."""
    review, mine = conflict.current, conflict.mine
    theirs = editing.snapshot(review)
    changed = [
        (f.label, f.shown(theirs.get(f.name)), f.shown(mine.data.get(f.name)))
        for f in fields.FACT_FIELDS
        if f.shown(theirs.get(f.name)) != f.shown(mine.data.get(f.name))
    ]
    if theirs.get("tags") != mine.data.get("tags"):
        changed.append(
            ("Tags", ", ".join(theirs.get("tags") or []), ", ".join(mine.data.get("tags") or []))
        )
    return render_template(
        "editor/conflict.html",
        review=review,
        mine=mine,
        theirs=theirs,
        changed=changed,
        lines=diffs.snapshot_diff(theirs, mine.data),
        form=ConfirmForm(),
        mine_body=mine_body,
        body_error=body_error,
    )


@bp.post("/write/<int:review_id>/conflicts/<int:revision_id>/mine")
@login_required
def keep_mine(review_id: int, revision_id: int):
    review = db.get_or_404(Review, review_id)
    mine = review_revision_or_404(review, revision_id)
    theirs_version = database_id(request.form.get("theirs_version"))
    if not ConfirmForm().validate_on_submit() or theirs_version is None:
        abort(400, "The choice was incomplete. Go back to the conflict and choose again.")
    body = request.form.get("body")
    if body is not None:
        body, error = _checked_body(body)
        if error:
            conflict = Conflict(review, mine)
            return conflict_page(conflict, mine_body=body, body_error=error), 422
    try:
        revisions.keep_mine(review, mine, theirs_version, body)
    except Conflict as conflict:
        return conflict_page(conflict, mine_body=body), 409
    flash("Kept your version. The other one stays in History.", "success")
    return redirect(url_for("editor.edit", review_id=review.id), code=303)


def _checked_body(body: str) -> tuple[str, str | None]:
    """The Body field as the editor reads it (control characters normalized), and its error."""
    form = ReviewForm(formdata=None, meta={"csrf": False}, body=body)
    return form.body.data, None if form.body.validate(form) else " ".join(form.body.errors)


@bp.post("/write/<int:review_id>/conflicts/<int:revision_id>/theirs")
@login_required
def keep_theirs(review_id: int, revision_id: int):
    review = db.get_or_404(Review, review_id)
    review_revision_or_404(review, revision_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The choice was incomplete. Go back to the conflict and choose again.")
    flash("Kept the saved version. Your text stays in History.", "success")
    return redirect(url_for("editor.edit", review_id=review.id), code=303)


# Autosave ---------------------------------------------------------------------------------


def _status(state: str, message: str, code: int = 200, **context):
    html = render_template("editor/_autosave_status.html", state=state, message=message, **context)
    return make_response(html, code)


@bp.post("/write/autosave")
def autosave():
    """The editor's debounced autosave. Always answers with the status line, never a redirect."""
    if not current_user.is_authenticated:
        # No HX-Redirect here: navigating away would cost the text on the page.
        return _status("login", "Not saved — log in again (in another tab).", 401)
    review_id = database_id(request.form.get("review_id"))
    review = db.get_or_404(Review, review_id) if review_id else editing.new_review()
    editor = request.form.get("editor", "")
    if not EDITOR_TOKEN.fullmatch(editor):
        abort(400, "The editor page is incomplete. Reload it (your text is kept in this browser).")
    form = ReviewForm()
    if not form.validate():
        field = next(f for f in form if f.errors)
        label = field.label.text if field.name != "csrf_token" else "Security token"
        return _status("invalid", f"Not saved — {label}: {' '.join(field.errors)}", 422)
    data = form.data
    genres = [t.name for t in review.tags]
    data["tags"] = tagging.settled_tag_text(data["tags"], genres)
    genres_before = [t.id for t in review.tags]
    try:
        result = revisions.autosave(review, data, database_id(form.version.data), editor)
    except sa.exc.OperationalError as error:
        if not is_busy(error):
            raise
        db.session.rollback()
        message = "Not saved yet — the journal is busy (an import?). Your text stays here; "
        return _status("busy", message + "it is saved with your next change.", 503)
    if result.live:
        tagging.drop_unused_tags(genres_before)
        db.session.commit()
    when = format_time(result.revision.updated_at, "%H:%M")
    if form.removed_controls:
        when += f" ({removed_note(form.removed_controls)})"
    if result.stale:
        response = _status(
            "conflict",
            "Not saved — this review was changed in another tab or device. "
            "Press Save to compare both versions; your text is kept in History.",
            409,
        )
    elif result.live:
        message = f"Saved {when}"
        if not result.review.title:
            message += " as an untitled draft — give it a title to publish it."
        response = _status(
            "saved", message, 200, review=result.review, oob=True, created=result.created
        )
    else:
        response = _status(
            "pending",
            f"Saved {when} in History — press Save to update the published review.",
            200,
        )
    if result.created:
        htmx.replace_url(response, url_for("editor.edit", review_id=result.review.id))
    return response


@bp.get("/write/token")
def token():
    """A fresh CSRF token for an editor left open across a new login (fetched by app.js)."""
    if not current_user.is_authenticated:
        response = jsonify(error="Log in again (in another tab).")
        response.status_code = 401
    else:
        response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
