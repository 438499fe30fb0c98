"""Fixtures: an app on its own SQLite file per test, client, CLI runner, a logged-in writer."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3

import pytest

from journal import create_app
from journal.database import upgrade_schema
from journal.editing import new_review, save
from journal.extensions import db
from journal.writers import set_writer_password

from . import postgres as pg

WRITER = ("writer", "correct horse battery")


# README: `JOURNAL_DATABASE_URL=postgresql+psycopg://... python3 -m pytest` runs the suite on
# PostgreSQL: each test then gets its own database, copied from a migrated template database.
# Read once and taken out of the environment, so no app or subprocess picks it up by accident.
POSTGRES_URL = os.environ.pop("JOURNAL_DATABASE_URL", None)
ON_POSTGRES = bool(POSTGRES_URL)
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite-only by nature")
# Work that does not touch the engine (building a wheel, static sites, checking markup) runs in
# the SQLite pass only, so CI does not do it twice.
engine_independent = pytest.mark.skipif(
    ON_POSTGRES, reason="engine-independent: runs in the SQLite pass"
)


def pytest_configure(config):
    # The in-process development server leaves a static file's wrapper to the garbage collector
    # when the browser drops the request (navigating away); werkzeug's, not ours.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Exception ignored in. <_io.FileIO name='[^']*/static/"
        ":pytest.PytestUnraisableExceptionWarning",
    )
    config.addinivalue_line(
        "filterwarnings",
        "ignore:unclosed file <_io.BufferedReader name='[^']*/static/:ResourceWarning",
    )
    if ON_POSTGRES:  # apps made by CLI tests keep pooled connections until the garbage collector
        config.addinivalue_line(
            "filterwarnings",
            "ignore:Exception ignored in.*BaseConnection.__del__:"
            "pytest.PytestUnraisableExceptionWarning",
        )


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    """The schema built once through the real migrations; each test gets a copy of it
    (a file on SQLite, a database made from this template on PostgreSQL)."""
    if ON_POSTGRES:
        template = pg.template_database(POSTGRES_URL)
        yield template
        pg.drop_database(POSTGRES_URL, template)
        return
    folder = tmp_path_factory.mktemp("template")
    _migrate(f"sqlite:///{folder / 'journal.db'}")
    yield folder / "journal.db"


def _migrate(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t"})
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()


def empty_journal(url: str, keep: frozenset[str]) -> None:
    """Empty a journal in place, as if just migrated, while servers stay connected to it; the
    tables in `keep` (filled by the migrations) keep their rows."""
    if ON_POSTGRES:
        pg.empty(url, keep)
        return
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
    try:
        rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        tables = {name: sql or "" for name, sql in rows}
        shadows = {  # an FTS5 table's own storage, emptied with it
            f"{name}_{part}"
            for name, sql in tables.items()
            if sql.upper().startswith("CREATE VIRTUAL")
            for part in ("data", "idx", "content", "docsize", "config")
        }
        connection.execute("PRAGMA foreign_keys = OFF")
        with connection:
            for name in tables.keys() - shadows - keep:
                connection.execute(f'DELETE FROM "{name}"')
        connection.execute("PRAGMA foreign_keys = ON")
    finally:
        connection.close()


def filled_tables(url: str) -> frozenset[str]:
    """The tables a freshly migrated journal already has rows in."""
    if ON_POSTGRES:
        return frozenset(pg.filled_tables(url))
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            )
        ]
        return frozenset(
            n for n in names if connection.execute(f'SELECT 1 FROM "{n}" LIMIT 1').fetchone()
        )
    finally:
        connection.close()


@pytest.fixture
def database_url(tmp_path, migrated_db) -> str:
    """This test's own database, migrated."""
    if ON_POSTGRES:
        name = pg.copy_database(POSTGRES_URL, migrated_db)
        yield pg.url_of(POSTGRES_URL, name)
        pg.drop_database(POSTGRES_URL, name)
        return
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    database = instance / "journal.db"
    if not database.exists():
        shutil.copy(migrated_db, database)
    yield f"sqlite:///{database}"


@pytest.fixture
def make_app(tmp_path, database_url, monkeypatch):
    """Apps on this test's own database; their connections are closed after the test."""
    made = []

    def make(**config):
        instance = tmp_path / "instance"
        instance.mkdir(exist_ok=True)
        monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(instance))
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
        settings.update(config)
        made.append(create_app(settings))
        made[-1].test_settings = settings  # what a server started for this test must be given
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app(WTF_CSRF_ENABLED=False)


@pytest.fixture
def csrf_app(make_app):
    """CSRF on, as in production."""
    return make_app()


@pytest.fixture
def seoul_app(make_app):
    """A journal in the Asia/Seoul time zone (exports show +09:00), CSRF off."""
    return make_app(WTF_CSRF_ENABLED=False, TIMEZONE="Asia/Seoul")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class WriterActions:
    def __init__(self, app, client):
        self.app, self.client = app, client

    def create(self):
        with self.app.app_context():
            set_writer_password(*WRITER)

    def login(self, username=WRITER[0], password=WRITER[1]):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def writer(app, client) -> WriterActions:
    """The writer exists and is logged in on `client`."""
    actions = WriterActions(app, client)
    actions.create()
    actions.login()
    return actions


@pytest.fixture
def sample_review(app):
    """Create a review straight through the domain functions; returns its id."""

    def make(title="A quiet drama", status=None, **fields):
        data = {"title": title, "body": fields.pop("body", "Some *kind* words."), **fields}
        with app.app_context():
            review = save(new_review(), data, status)
            return review.id

    return make


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)
