"""Blueprint: a review as Markdown, the writer's zip export, and import with a dry run first.

An upload waits between "Check" and "Import" in journal/uploads.py's private folder; requests
sweep the expired ones now and then (no timer thread per upload).
"""

from __future__ import annotations

import io
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge

from .. import exchange, importing, uploads
from ..archives import Limits, Source, SourceFile, UnsafeArchive, read_path
from ..extensions import csrf
from ..formatting import counted
from .lookups import visible_review_or_404

bp = Blueprint("transfer", __name__)

_TOKEN = re.compile(r"[0-9a-f]{32}")
_last_purge = 0.0


@bp.get("/reviews/<slug>.md")
def review_markdown(slug: str):
    review = visible_review_or_404(slug)
    response = send_file(
        io.BytesIO(exchange.export_review(review).encode("utf-8")),
        mimetype="text/markdown; charset=utf-8",
        as_attachment=True,
        download_name=f"{review.slug}.md",
        max_age=0,
    )
    if not review.is_published:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/write/export")
@login_required
def export_zip():
    warnings = exchange.scan_warnings()
    if warnings:  # shown on the writer's next page; the download itself starts at once
        flash(
            f"The export holds {counted(len(warnings), 'review')} that a static site shows "
            "differently from the journal: the Export report on the Import page says which, "
            "and what Jekyll and Hugo will do.",
            "warning",
        )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    stream = exchange.export_zip_stream(exchange.ExportSummary())
    response = Response(stream_with_context(stream), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="review-journal-{stamp}.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/write/export/report")
@login_required
def export_report():
    return render_template("transfer/export_report.html", warnings=exchange.scan_warnings())


@bp.get("/write/import")
@login_required
def import_page():
    return render_template("transfer/import.html", plan=None, upload=None, error=None)


@bp.post("/write/import")
@login_required
@csrf.exempt  # checked below, once the larger limit for this route is in place
def check_import():
    request.max_content_length = current_app.config["IMPORT_MAX_UPLOAD_BYTES"]
    try:
        _protect()
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        limit = current_app.config["IMPORT_MAX_UPLOAD_BYTES"] / (1024 * 1024)
        return _import_error(f"The file is larger than the {limit:g} MB an import accepts.", 413)
    uploads.purge_expired_uploads(_root())
    if upload is None or not upload.filename:
        return _import_error("Choose a Markdown (.md) or zip file to check.", 422)
    token = uploads.store_upload(_root(), upload)
    plan, problem = _plan(token)
    if problem or not plan.items:
        uploads.discard(_root(), token)
        status = 422 if problem or not plan.ok else 200
        page = render_template("transfer/import.html", plan=plan, upload=None, error=problem)
        return page, status
    page = render_template("transfer/import.html", plan=plan, upload=token, error=None)
    return page, 200 if plan.ok else 422


@bp.post("/write/import/confirm")
@login_required
def confirm_import():
    token = request.form.get("upload", "")
    uploads.purge_expired_uploads(_root())
    if not _TOKEN.fullmatch(token) or not uploads.upload_dir(_root(), token).is_dir():
        message = "That upload is gone (uploads wait an hour). Choose the file and check it again."
        return _import_error(message, 410)
    scale = request.form.get("rating_scale", "")
    plan, problem = _plan(token, int(scale) if scale in ("5", "10") else None)
    if problem:
        uploads.discard(_root(), token)
        return render_template("transfer/import.html", plan=plan, upload=None, error=problem), 422
    try:
        importing.apply_import(plan, skip_unreadable=request.form.get("skip_unreadable") == "1")
    except importing.ImportRefused as refused:
        page = "transfer/import.html"
        return render_template(page, plan=plan, upload=token, refusal=str(refused)), 422
    uploads.discard(_root(), token)
    flash(f"Imported: {plan.describe_done()}.", "success")
    return redirect(url_for("reviews.dashboard"), code=303)


def _protect() -> None:
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def _import_error(message: str, status: int):
    return render_template("transfer/import.html", plan=None, upload=None, error=message), status


def _plan(
    token: str, rating_scale: int | None = None
) -> tuple[importing.ImportPlan | None, str | None]:
    folder = uploads.upload_dir(_root(), token)
    name = (folder / "name").read_text(encoding="utf-8")
    path = folder / "upload"
    limits = Limits.from_config(current_app.config)
    try:
        if name.lower().endswith(".zip") or _looks_like_zip(path):
            source = read_path(path, limits)
        elif name.lower().endswith((".md", ".markdown")):
            data = path.read_bytes()
            if len(data) > limits.max_file_bytes:
                raise UnsafeArchive(f"{name} is larger than the limit for one file")
            source = Source([SourceFile(name, data)], [])
        else:
            return importing.ImportPlan(skipped=[(name, "not a Markdown file or zip")]), None
    except UnsafeArchive as error:
        return None, f"{name} was refused whole, nothing was imported: {error}."
    return importing.plan_import(source, rating_scale=rating_scale), None


def _looks_like_zip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _root() -> Path:
    return uploads.uploads_root(current_app.instance_path)


@bp.before_app_request
def _purge_now_and_then() -> None:
    """Uploads left waiting go within the hour even when no timer survived a restart."""
    global _last_purge
    if time.monotonic() - _last_purge < 300:
        return
    _last_purge = time.monotonic()
    root = Path(current_app.instance_path, "imports")
    if os.path.isdir(root):
        uploads.purge_expired_uploads(root)
