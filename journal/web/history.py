"""Blueprint: a review's History (every revision, a diff of any two) and Restore.

The diff itself is journal/diffs.py, over the snapshots journal/revisions.py keeps.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from .. import diffs, revisions
from ..extensions import db
from ..formatting import DATE_TIME, format_time
from ..models import Review
from .forms import ConfirmForm
from .inputs import database_id
from .lookups import review_revision_or_404

bp = Blueprint("history", __name__)

# History ----------------------------------------------------------------------------------


@bp.get("/write/<int:review_id>/history")
@login_required
def show(review_id: int):
    review = db.get_or_404(Review, review_id)
    entries = revisions.history(review)
    sizes = {}
    for newer, older in zip(entries, [*entries[1:], None], strict=True):
        sizes[newer.id] = diffs.snapshot_change_size(older.data if older else None, newer.data)
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
    old_id, new_id = database_id(request.args.get("from")), database_id(request.args.get("to"))
    if request.args.get("from") is not None or request.args.get("to") is not None:
        if old_id is None or new_id is None:
            abort(400, "Choose two revisions to compare.")
        old, new = review_revision_or_404(review, old_id), review_revision_or_404(review, new_id)
        compare = {"old": old, "new": new, "lines": diffs.snapshot_diff(old.data, new.data)}
    elif len(entries) >= 2:
        old_id, new_id = entries[1].id, entries[0].id
    return render_template(
        "editor/history.html",
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
    revision = review_revision_or_404(review, revision_id)
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
    return redirect(url_for("editor.edit", review_id=review.id), code=303)
