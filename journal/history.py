"""Blueprint: History (diff, Restore), autosave, edit conflicts and a fresh CSRF token."""

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

from . import editing, revisions, tagging
from .cleantext import removed_note
from .database import is_busy
from .extensions import db
from .formatting import DATE_TIME, format_time
from .forms import ConfirmForm, ReviewForm
from .inputs import database_id
from .models import Review, Revision

bp = Blueprint("history", __name__)

EDITOR_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,32}")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["editor_token"] = editor_token
    app.jinja_env.globals["pending_autosave"] = revisions.pending_autosave


def editor_token() -> str:
    """One editor page's token: kept across a re-rendered form, new for a freshly opened page."""
    sent = request.form.get("editor", "") if request.method == "POST" else ""
    return sent if EDITOR_TOKEN.fullmatch(sent) else secrets.token_urlsafe(12)


def _int(value: str | None) -> int | None:
    return database_id(value)


def _review_revision(review: Review, revision_id: int) -> Revision:
    revision = db.session.get(Revision, revision_id)
    if revision is None or revision.review_id != review.id:
        abort(404)
    return revision


# History ----------------------------------------------------------------------------------


@bp.get("/write/<int:review_id>/history")
@login_required
def show(review_id: int):
    review = db.get_or_404(Review, review_id)
    entries = revisions.history(review)
    sizes = {}
    for newer, older in zip(entries, [*entries[1:], None], strict=True):
        sizes[newer.id] = revisions.change_size(older.data if older else None, newer.data)
    current = next(
        (
            e
            for e in entries
            if e.kind in (revisions.SAVE, revisions.RESTORE)
            or (e.kind == revisions.AUTOSAVE and not review.is_published)
        ),
        None,
    )
    compare = None
    old_id, new_id = _int(request.args.get("from")), _int(request.args.get("to"))
    if request.args.get("from") is not None or request.args.get("to") is not None:
        if old_id is None or new_id is None:
            abort(400, "Choose two revisions to compare.")
        old, new = _review_revision(review, old_id), _review_revision(review, new_id)
        compare = {"old": old, "new": new, "lines": revisions.diff(old.data, new.data)}
    elif len(entries) >= 2:
        old_id, new_id = entries[1].id, entries[0].id
    return render_template(
        "history/history.html",
        review=review,
        entries=entries,
        sizes=sizes,
        current=current,
        compare=compare,
        old_id=old_id,
        new_id=new_id,
        labels=revisions.KIND_LABELS,
        form=ConfirmForm(),
    )


@bp.post("/write/<int:review_id>/history/<int:revision_id>/restore")
@login_required
def restore(review_id: int, revision_id: int):
    review = db.get_or_404(Review, review_id)
    revision = _review_revision(review, revision_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The restore request was incomplete. Reload History and try again.")
    when = format_time(revision.updated_at, DATE_TIME)
    if review.is_published and request.form.get("confirmed") != "yes":
        return render_template(  # readers would see the old text at once: ask first
            "confirm_delete.html",
            form=ConfirmForm(),
            heading=f"Restore the text of {when}?",
            consequence=f"“{review.title}” is published: readers see the restored text at once. "
            "The current text stays in History.",
            button="Restore",
            hidden=[("confirmed", "yes")],
            cancel_url=url_for("history.show", review_id=review.id),
        )
    revisions.restore(review, revision)
    flash(f"Restored the text of {when} as a new revision. Nothing was removed from History.")
    return redirect(url_for("reviews.edit", review_id=review.id), code=303)


# Conflicts --------------------------------------------------------------------------------


def conflict_page(conflict: revisions.Conflict, mine_body: str | None = None, body_error=None):
    """Both texts side by side; the refused one is already kept in History."""
    review, mine = conflict.review, conflict.mine
    theirs = editing.snapshot(review)
    changed = [
        (label, theirs.get(name), mine.data.get(name))
        for name, label in revisions.FIELD_LABELS.items()
        if (theirs.get(name) or None) != (mine.data.get(name) or None)
    ]
    if theirs.get("tags") != mine.data.get("tags"):
        changed.append(
            ("Tags", ", ".join(theirs.get("tags") or []), ", ".join(mine.data.get("tags") or []))
        )
    return render_template(
        "history/conflict.html",
        review=review,
        mine=mine,
        theirs=theirs,
        changed=changed,
        lines=revisions.diff(theirs, mine.data),
        form=ConfirmForm(),
        mine_body=mine_body,
        body_error=body_error,
    )


@bp.post("/write/<int:review_id>/conflicts/<int:revision_id>/mine")
@login_required
def keep_mine(review_id: int, revision_id: int):
    review = db.get_or_404(Review, review_id)
    mine = _review_revision(review, revision_id)
    theirs_version = _int(request.form.get("theirs_version"))
    if not ConfirmForm().validate_on_submit() or theirs_version is None:
        abort(400, "The choice was incomplete. Go back to the conflict and choose again.")
    body = request.form.get("body")
    if body is not None:
        body, error = _checked_body(body)
        if error:
            conflict = revisions.Conflict(review, mine)
            return conflict_page(conflict, mine_body=body, body_error=error), 422
    try:
        revisions.keep_mine(review, mine, theirs_version, body)
    except revisions.Conflict as conflict:
        return conflict_page(conflict, mine_body=body), 409
    flash("Kept your version. The other one stays in History.", "success")
    return redirect(url_for("reviews.edit", review_id=review.id), code=303)


def _checked_body(body: str) -> tuple[str, str | None]:
    """The Body field as the editor reads it (control characters normalized), and its error."""
    form = ReviewForm(formdata=None, meta={"csrf": False}, body=body)
    return form.body.data, None if form.body.validate(form) else " ".join(form.body.errors)


@bp.post("/write/<int:review_id>/conflicts/<int:revision_id>/theirs")
@login_required
def keep_theirs(review_id: int, revision_id: int):
    review = db.get_or_404(Review, review_id)
    _review_revision(review, revision_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The choice was incomplete. Go back to the conflict and choose again.")
    flash("Kept the saved version. Your text stays in History.", "success")
    return redirect(url_for("reviews.edit", review_id=review.id), code=303)


# Autosave ---------------------------------------------------------------------------------


def _status(state: str, message: str, code: int = 200, **context):
    html = render_template("reviews/_autosave_status.html", state=state, message=message, **context)
    return make_response(html, code)


@bp.post("/write/autosave")
def autosave():
    """The editor's debounced autosave. Always answers with the status line, never a redirect."""
    if not current_user.is_authenticated:
        # No HX-Redirect here: navigating away would cost the text on the page.
        return _status("login", "Not saved — log in again (in another tab).", 401)
    review_id = _int(request.form.get("review_id"))
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
        result = revisions.autosave(review, data, _int(form.version.data), editor)
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
        response.headers["HX-Replace-Url"] = url_for("reviews.edit", review_id=result.review.id)
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
