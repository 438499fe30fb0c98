"""Blueprint: a review's cover, saved from the editor's Cover section and served at /covers/.

The section is a form of its own (templates/editor/_cover.html), so an upload never rides on
the editor's autosave and never replaces the text being typed. Its route has its own request
limit, larger than the app's general one (like import's). Covers of published reviews are
public and cached for a year (their names change with the image); a cover only drafts use is
the writer's, answered 404 to anyone else and never stored by a cache. The checks are
journal/covers.py's.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from .. import covers
from ..extensions import csrf, db
from ..models import Review
from . import htmx

bp = Blueprint("covers", __name__)

YEAR = 31_536_000


def _limit() -> int:
    return current_app.config.get("COVER_MAX_UPLOAD_BYTES", covers.MAX_BYTES)


def _root():
    return covers.covers_root(current_app.instance_path)


@bp.app_template_global()
def cover_url(review: Review, small: bool = False) -> str | None:
    if not review.cover:
        return None
    return url_for("covers.serve", file=covers.file_names(review.cover)[1 if small else 0])


@bp.app_template_global()
def cover_small_height(review: Review) -> int | None:
    return covers.small_height(review.cover_width, review.cover_height)


@bp.get("/covers/<file>")
def serve(file: str):
    match = covers.FILE_NAME.fullmatch(file)
    if not match:
        abort(404)
    shown = covers.visibility(match.group(1))
    if shown is None or (shown == "writer" and not current_user.is_authenticated):
        abort(404)
    path = _root() / file
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/webp", conditional=True, max_age=YEAR)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if shown == "public":
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/write/<int:review_id>/cover")
@login_required
@csrf.exempt  # checked below, once this route's larger limit is in place
def save(review_id: int):
    review = db.get_or_404(Review, review_id)
    request.max_content_length = _limit()
    try:
        if (request.content_length or 0) > _limit():  # refused before any of it is read
            raise RequestEntityTooLarge()
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        upload = request.files.get("image")
        alt = " ".join(request.form.get("alt", "").split())
        action = request.form.get("action", "save")
    except RequestEntityTooLarge:
        message = f"The image is larger than the {_limit() / (1024 * 1024):g} MB a cover may be."
        return _answer(review, 413, error=message, alt=None)
    if action == "remove":
        covers.set_cover(review, _root(), None, None)
        return _answer(review, message="Cover removed.")
    has_file = upload is not None and bool(upload.filename)
    if not has_file and not review.cover:
        return _answer(review, 422, error="Choose an image for the cover (JPEG, PNG or WebP).",
                       alt=alt)  # fmt: skip
    if not alt:
        return _answer(review, 422, error=covers.ALT_REQUIRED, alt=alt, field="alt")
    if len(alt) > 300:
        return _answer(review, 422, error="Keep the alt text under 300 characters.", alt=alt,
                       field="alt")  # fmt: skip
    if not has_file:
        covers.set_alt(review, alt)
        return _answer(review, message="Cover saved.")
    try:
        cover = covers.process(upload.stream.read(_limit() + 1), max_bytes=_limit())
    except covers.CoverProblem as problem:
        return _answer(review, 422, error=str(problem), alt=alt)
    covers.set_cover(review, _root(), cover, alt)
    return _answer(review, message="Cover saved.")


def _answer(review: Review, status: int = 200, *, message=None, error=None, alt=None,
            field="image"):  # fmt: skip
    """The Cover section for htmx; for a plain form, the editor again or the section's page."""
    if status == 200 and not htmx.wants_partial():
        flash(message, "success")
        return redirect(url_for("editor.edit", review_id=review.id), code=303)
    return htmx.page_or_partial(
        "editor/cover_page.html",
        "editor/_cover.html",
        status,
        review=review,
        cover_error=error,
        cover_message=message,
        error_field=field,
        alt=review.cover_alt if alt is None else alt,
    )
