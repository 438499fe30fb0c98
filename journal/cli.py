"""The `journal` command: every Flask command plus the journal's own."""

from __future__ import annotations

import os
import socket
import threading
import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from flask.cli import run_command as _flask_run

from . import create_app, exchange, importing
from .archives import Limits, UnsafeArchive, read_path
from .database import backup_database, upgrade_schema
from .extensions import db
from .filemodes import private_files
from .formatting import counted
from .models import Writer
from .writers import issue_setup_token, set_writer_password, writer_exists

# Commands that touch the database bring the schema up to date first.
DATABASE_COMMANDS = {"run", "serve", "writer", "import", "export", "backup"}


class JournalGroup(FlaskGroup):
    def resolve_command(self, ctx, args):
        name, cmd, rest = super().resolve_command(ctx, args)
        if cmd is not None and cmd.name in DATABASE_COMMANDS and not _asks_for_help(rest):
            app = ctx.ensure_object(ScriptInfo).load_app()
            with app.app_context():
                upgrade_schema()
        return name, cmd, rest


def _asks_for_help(args: list[str]) -> bool:
    return "--help" in args or "-h" in args


def _factory() -> object:
    return create_app()


cli = JournalGroup(
    create_app=_factory,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
    help="Review Journal: write, tag, publish and export reviews.",
)


def announce_setup_link(host: str, port: int) -> None:
    """With no writer yet, print a one-time setup link as soon as the server accepts connections."""
    if writer_exists():
        return
    token = issue_setup_token()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host

    def wait_then_print() -> None:
        for _ in range(600):
            try:
                with socket.create_connection((shown_host, port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        click.secho(
            f"\nNo writer yet. Open this one-time link to create one:\n"
            f"  http://{shown_host}:{port}/setup/{token}\n",
            fg="yellow",
        )

    threading.Thread(target=wait_then_print, daemon=True).start()


# Not under the CLI's app context: a request handled on this thread would reuse its `g`.
@cli.command(
    "run", context_settings=_flask_run.context_settings, help=_flask_run.help, with_appcontext=False
)
@click.pass_context
def run(ctx: click.Context, **kwargs) -> None:
    if os.environ.get("WERKZEUG_RUN_MAIN") != "true":  # not again in the reloader's child
        app = ctx.ensure_object(ScriptInfo).load_app()
        with app.app_context():
            announce_setup_link(kwargs.get("host") or "127.0.0.1", kwargs.get("port") or 5000)
    ctx.invoke(_flask_run, **kwargs)


run.params = list(_flask_run.params)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Run the production server (gunicorn)."""
    from .server import run_gunicorn

    app = ctx.ensure_object(ScriptInfo).load_app()
    with app.app_context():
        announce_setup_link(host, port)
        db.engine.dispose()  # the workers fork from here: no connection may be shared
    run_gunicorn(app, host, port, workers)


@click.group()
def writer() -> None:
    """Manage the writer's account."""


@writer.command("set-password")
@click.argument("username", required=False)
@with_appcontext
def set_password(username: str | None) -> None:
    """Create the writer, or reset its password (and username)."""
    current = db.session.scalar(sa.select(Writer).order_by(Writer.id))
    username = username or (current.username if current else None) or click.prompt("Username")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.UsageError("Use a password of at least 8 characters.")
    set_writer_password(username.strip(), password)
    click.echo(f"The writer is now {username.strip()!r}. Log in at /login.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(path: str) -> None:
    """Make a consistent copy of the running database (SQLite online backup, or pg_dump)."""
    try:
        how = backup_database(path)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the database to {path} ({how}).")


@click.command("export")
@with_appcontext
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


@click.command("import")
@with_appcontext
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
    counts = plan.describe_contents()
    if dry_run:
        for item in plan.items:
            record = item.record
            if item.action != "unchanged":
                click.echo(f"Would {item.action} {item.slug} ({record.status}) from {item.name}")
        click.echo(f"Dry run, nothing written: {plan.describe()} ({counts}).")
        return
    importing.apply_import(plan, skip_unreadable=skip_unreadable)
    click.echo(f"Imported {path}: {plan.describe_done()} ({counts}).")


def init_app(app) -> None:
    """The journal's own commands live on app.cli, so `flask --app journal` has them too."""
    for command in (serve, writer, backup, export_command, import_command):
        app.cli.add_command(command)


def main() -> None:
    cli.main(prog_name="journal")
