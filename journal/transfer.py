"""Blueprint: a review as Markdown, the writer's zip export, and import with a dry run first.

An upload waits between "Check" and "Import" in a private folder under the instance folder,
named by a random token; it is deleted after the import, when the check finds errors, or at
the latest an hour later (swept by requests, not by a timer thread per upload).
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import click
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

from . import exchange, importing
from .archives import Limits, Source, SourceFile, UnsafeArchive, read_path
from .extensions import csrf
from .formatting import counted
from .reviews import visible_review_or_404
from .security import private_files

# cli_group=None: `journal export` and `journal import` are top-level commands.
bp = Blueprint("transfer", __name__, cli_group=None)

UPLOAD_MAX_AGE = 3600
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
    purge_expired_uploads(_uploads_root())
    if upload is None or not upload.filename:
        return _import_error("Choose a Markdown (.md) or zip file to check.", 422)
    token = _store_upload(upload)
    plan, problem = _plan(token)
    if problem or not plan.items:
        _discard(token)
        status = 422 if problem or not plan.ok else 200
        page = render_template("transfer/import.html", plan=plan, upload=None, error=problem)
        return page, status
    page = render_template("transfer/import.html", plan=plan, upload=token, error=None)
    return page, 200 if plan.ok else 422


@bp.post("/write/import/confirm")
@login_required
def confirm_import():
    token = request.form.get("upload", "")
    purge_expired_uploads(_uploads_root())
    if not _TOKEN.fullmatch(token) or not _upload_dir(token).is_dir():
        message = "That upload is gone (uploads wait an hour). Choose the file and check it again."
        return _import_error(message, 410)
    scale = request.form.get("rating_scale", "")
    plan, problem = _plan(token, int(scale) if scale in ("5", "10") else None)
    if problem:
        _discard(token)
        return render_template("transfer/import.html", plan=plan, upload=None, error=problem), 422
    try:
        importing.apply_import(plan, skip_unreadable=request.form.get("skip_unreadable") == "1")
    except importing.ImportRefused as refused:
        page = "transfer/import.html"
        return render_template(page, plan=plan, upload=token, refusal=str(refused)), 422
    _discard(token)
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
    folder = _upload_dir(token)
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


def _uploads_root() -> Path:
    root = Path(current_app.instance_path, "imports")
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def _upload_dir(token: str) -> Path:
    return _uploads_root() / token


def _store_upload(upload) -> str:
    token = secrets.token_hex(16)
    folder = _upload_dir(token)
    folder.mkdir(mode=0o700)
    upload.save(folder / "upload")
    (folder / "name").write_text(_display_name(upload.filename), encoding="utf-8")
    return token


def _display_name(filename: str) -> str:
    """The upload's own name, for messages and dates only: never used as a path."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "upload"


def _discard(token: str) -> None:
    shutil.rmtree(_upload_dir(token), ignore_errors=True)


def purge_expired_uploads(root: Path, max_age: int = UPLOAD_MAX_AGE) -> None:
    if not root.is_dir():
        return
    cutoff = time.time() - max_age
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


@bp.before_app_request
def _purge_now_and_then() -> None:
    """Uploads left waiting go within the hour even when no timer survived a restart."""
    global _last_purge
    if time.monotonic() - _last_purge < 300:
        return
    _last_purge = time.monotonic()
    root = Path(current_app.instance_path, "imports")
    if os.path.isdir(root):
        purge_expired_uploads(root)


# ---- command line ----


@bp.cli.command("export")
@click.argument("path", type=click.Path(file_okay=True, dir_okay=True, writable=True))
def export_command(path: str) -> None:
    """Export every review, drafts included, to a folder or (PATH ending in .zip) a zip."""
    with (
        click.progressbar(length=exchange.count_reviews(), label="Exporting") as bar,
        private_files(),  # drafts included: for the writer's eyes
    ):
        summary = exchange.export_to(path, progress=lambda _name: bar.update(1))
    for warning in summary.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    click.echo(f"Exported {counted(summary.total, 'review')} to {path}: {summary.describe()}.")


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, readable=True))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--skip-unreadable", is_flag=True, help="Skip the files that cannot be read; import the rest."
)
@click.option(
    "--rating-scale",
    type=click.Choice(["5", "10"]),
    help="What ratings without a scale are out of (asked when none is above 5).",
)
def import_command(
    path: str, dry_run: bool, skip_unreadable: bool, rating_scale: str | None
) -> None:
    """Import a .md file, a folder or a .zip (from export, Hugo, Jekyll, Obsidian or by hand)."""
    try:
        source = read_path(path, Limits.from_config(current_app.config))
    except UnsafeArchive as error:
        message = f"{path} was refused whole, nothing was imported: {error}."
        raise click.ClickException(message) from None
    with click.progressbar(length=len(source.files), label="Reading") as bar:
        plan = importing.plan_import(
            source,
            progress=lambda _file: bar.update(1),
            rating_scale=int(rating_scale) if rating_scale else None,
        )
    for name, reason in plan.skipped:
        click.echo(f"Skipped {name}: {reason}")
    for warning in plan.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    for name, message in plan.errors:
        click.secho(f"Error in {name}: {message}", fg="red", err=True)
    if plan.errors and not skip_unreadable and not dry_run:
        raise click.ClickException(
            f"{len(plan.errors)} file(s) cannot be read; nothing imported. "
            "Fix them, or use --skip-unreadable to import the rest."
        )
    if plan.asks_rating_scale:
        question = f"{plan.scale_question()} Say which with --rating-scale 5 or --rating-scale 10."
        if not dry_run:
            raise click.ClickException(question + " Nothing imported.")
        click.secho(question, fg="yellow", err=True)
    published = sum(1 for item in plan.items if item.record.status == "published")
    characters = sum(len(item.record.characters) for item in plan.items)
    genres = len({tag.casefold() for item in plan.items for tag in item.record.tags})
    counts = (
        f"{published} published, {counted(len(plan.items) - published, 'draft')}, "
        f"{counted(characters, 'character')}, {counted(genres, 'genre')}"
    )
    if dry_run:
        for item in plan.items:
            record = item.record
            if item.action != "unchanged":
                click.echo(f"Would {item.action} {item.slug} ({record.status}) from {item.name}")
        click.echo(f"Dry run, nothing written: {plan.describe()} ({counts}).")
        return
    importing.apply_import(plan, skip_unreadable=skip_unreadable)
    click.echo(f"Imported {path}: {plan.describe_done()} ({counts}).")
