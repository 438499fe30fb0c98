"""Fixtures: an app on its own SQLite file per test, client, CLI runner, a logged-in writer."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from journal import create_app
from journal.auth import set_writer_password
from journal.database import upgrade_schema
from journal.editing import new_review, save
from journal.extensions import db

WRITER = ("writer", "correct horse battery")


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """The schema built once through the real migrations; each test gets a copy of the file."""
    folder = tmp_path_factory.mktemp("template")
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'journal.db'}", "SECRET_KEY": "t"}
    )
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()
    return folder / "journal.db"


@pytest.fixture
def make_app(tmp_path, migrated_db, monkeypatch):
    """Apps on this test's own database file; their connections are closed after the test."""
    made = []

    def make(**config):
        instance = tmp_path / "instance"
        instance.mkdir(exist_ok=True)
        database = instance / "journal.db"
        if not database.exists():
            shutil.copy(migrated_db, database)
        monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(instance))
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
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
