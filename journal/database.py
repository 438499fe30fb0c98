"""Connection settings and schema upgrades."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, current_app
from flask_migrate import upgrade as alembic_upgrade

from . import search_index
from .extensions import db
from .filemodes import make_private

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another one to finish before giving up


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        path = sqlite_path()
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    if path and path != ":memory:":
        sa.event.listen(engine, "do_connect", lambda *_args: _private_database(path))


def _private_database(path: str) -> None:
    """Before SQLite opens (and perhaps creates) it: the file holds the password hash and the
    drafts. SQLite gives its -wal and -shm files the database file's mode."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    make_private(path)
    for companion in (path + "-wal", path + "-shm"):
        if os.path.exists(companion):
            make_private(companion)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Per connection: SQLite forgets these when a connection closes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.close()


def is_busy(error: Exception) -> bool:
    """SQLite's answer when another write held the database longer than BUSY_TIMEOUT_MS."""
    return isinstance(error, sa.exc.OperationalError) and "locked" in str(error.orig).lower()


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def sqlite_path() -> str | None:
    url = db.engine.url
    return url.database if url.get_backend_name() == "sqlite" and url.database else None


def backup_sqlite(target: str) -> None:
    """A consistent copy of the live database through SQLite's online backup API."""
    source_path = sqlite_path()
    if source_path is None:
        raise RuntimeError("journal backup copies SQLite databases; use pg_dump for PostgreSQL")
    os.makedirs(os.path.dirname(os.path.abspath(target)) or ".", exist_ok=True)
    make_private(target)  # a copy of everything, password hash included
    source = sqlite3.connect(source_path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def backup_database(target: str) -> str:
    """A consistent copy of the live database: SQLite's online backup, or pg_dump for PostgreSQL.
    Returns how it was made, for the CLI to say."""
    if sqlite_path() is not None:
        backup_sqlite(target)
        return "SQLite online backup"
    if db.engine.dialect.name == "postgresql":
        backup_postgresql(target)
        return "pg_dump, custom format: restore with pg_restore"
    raise RuntimeError(f"journal backup knows SQLite and PostgreSQL, not {db.engine.dialect.name}")


def backup_postgresql(target: str) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise RuntimeError(
            "pg_dump is not on the PATH: install PostgreSQL's client tools (Debian: "
            "apt-get install postgresql-client), or run pg_dump yourself"
        )
    url = db.engine.url
    environment = dict(os.environ, PGPASSWORD=url.password or "")
    libpq_url = sa.URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    ).render_as_string()
    os.makedirs(os.path.dirname(os.path.abspath(target)) or ".", exist_ok=True)
    make_private(target)
    done = subprocess.run(
        [pg_dump, "--format=custom", "--file", target, "--dbname", libpq_url],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pg_dump failed: {done.stderr.strip()}")
    os.chmod(target, 0o600)  # it holds the writer's password hash


def upgrade_schema() -> None:
    """Bring the schema up to date (needs an app context), backing up an existing database first."""
    directory = current_app.extensions["migrate"].directory
    if pending_migrations(directory):
        backup_before_upgrade()
    alembic_upgrade(directory=directory)
    use_search_language(current_app.config["SEARCH_LANGUAGE"])


def use_search_language(language: str) -> None:
    """PostgreSQL searches in one text search configuration; follow the setting (a rebuild)."""
    with db.engine.begin() as connection:
        if search_index.kind(connection) != "tsvector":
            return
        try:
            with connection.begin_nested():
                if search_index.pg_set_language(connection, language):
                    current_app.logger.warning("Search now uses %r; rebuilt its index.", language)
        except sa.exc.DBAPIError:
            current_app.logger.error(
                "JOURNAL_SEARCH_LANGUAGE=%r is not a PostgreSQL text search configuration "
                "(psql: \\dF lists them); search keeps %r.",
                language,
                search_index.pg_language(connection),
            )


def pending_migrations(directory: str) -> bool:
    """True when the database holds tables and its schema is behind the migrations' head."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config(directory)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        current = set(MigrationContext.configure(connection).get_current_heads())
    return bool(tables) and current != heads


def backup_before_upgrade() -> str | None:
    """A timestamped copy in instance/backups/ before a migration touches the data (SQLite)."""
    if sqlite_path() is None:
        current_app.logger.warning("Not SQLite: back up the database yourself before upgrading.")
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = os.path.join(current_app.instance_path, "backups", f"journal-{stamp}-pre-upgrade.db")
    backup_sqlite(target)
    current_app.logger.warning("Backed up the database to %s before upgrading its schema.", target)
    return target
