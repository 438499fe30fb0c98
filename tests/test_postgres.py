"""What only PostgreSQL has: tsvector search in a chosen language, pg_dump backups.

Runs when the suite runs on PostgreSQL (README: JOURNAL_DATABASE_URL=postgresql+psycopg://...).
"""

from __future__ import annotations

import os
import subprocess

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask_migrate import downgrade as alembic_downgrade
from flask_migrate import upgrade as alembic_upgrade

from journal import create_app
from journal.cli import cli
from journal.database import upgrade_schema
from journal.extensions import db
from journal.search import search_reviews

from . import postgres as pg
from .conftest import ON_POSTGRES, POSTGRES_URL

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs the suite on PostgreSQL")
PREVIOUS_RELEASE = "0005"  # the schema head of the last landed release


def titles(query, drafts=True):
    return [hit.review.title for hit in search_reviews(query, drafts).hits]


def test_hangul_names_and_prefixes_are_found_in_the_simple_language(app, sample_review):
    sample_review(
        "Trauma bay",
        status="published",
        original_title="중증외상센터",
        body="Baek Kang-hyuk runs the unit.",
    )
    with app.app_context():
        assert titles("중증외상센터") == ["Trauma bay"]
        assert titles("kang") == ["Trauma bay"]
        assert titles("trau") == ["Trauma bay"]  # the last word is a prefix while typing
        assert titles("surgeons") == []


def test_a_search_language_stems_words_after_a_rebuild(make_app, sample_review):
    app = make_app(WTF_CSRF_ENABLED=False, SEARCH_LANGUAGE="english")
    sample_review("Surgeons", status="published", body="The surgeons were running.")
    with app.app_context():
        assert titles("surgeon run") == []  # 'simple' keeps every word as typed
        upgrade_schema()  # as every journal command does before it starts
        assert titles("surgeon run") == ["Surgeons"]
        assert titles("surgeon run") == ["Surgeons"]
        language = db.session.execute(sa.text("SELECT config::text FROM search_settings"))
        assert language.scalar() == "english"


def test_an_unknown_search_language_is_logged_and_search_keeps_working(
    make_app, sample_review, caplog
):
    app = make_app(WTF_CSRF_ENABLED=False, SEARCH_LANGUAGE="klingon")
    sample_review("Kept", status="published", body="orchid")
    with app.app_context():
        upgrade_schema()
    assert "not a PostgreSQL text search configuration" in caplog.text
    assert app.test_client().get("/search?q=orchid").status_code == 200
    with app.app_context():
        assert titles("orchid") == ["Kept"]


def test_typed_operators_and_quotes_are_plain_words(app, sample_review):
    sample_review("Quoted", status="published", body="it's a 'quoted' or & not ! thing")
    with app.app_context():
        for query in ["'quoted'", "or & not", "!thing", "quoted:*", "a <-> b", "\\"]:
            search_reviews(query, True)  # never an error
        assert titles("'quoted'") == ["Quoted"]


def test_journal_backup_runs_pg_dump(app, database_url, tmp_path, monkeypatch, sample_review):
    sample_review("Dumped")
    monkeypatch.setenv("JOURNAL_SECRET_KEY", "test")
    monkeypatch.setenv("JOURNAL_DATABASE_URL", database_url)
    target = tmp_path / "journal.dump"
    result = CliRunner().invoke(cli, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "pg_dump" in result.output
    assert target.stat().st_mode & 0o077 == 0
    listing = subprocess.run(
        ["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public reviews" in listing


def test_journal_backup_says_how_without_pg_dump(app, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNAL_SECRET_KEY", "test")
    monkeypatch.setenv("JOURNAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(cli, ["backup", str(tmp_path / "x.dump")])
    assert result.exit_code != 0 and "pg_dump is not on the PATH" in result.output


@pytest.fixture
def empty_database():
    name = f"journal_empty_{os.getpid()}"
    pg.drop_database(POSTGRES_URL, name)
    pg.create_database(POSTGRES_URL, name)
    yield pg.url_of(POSTGRES_URL, name)
    pg.drop_database(POSTGRES_URL, name)


def test_migrations_from_the_previous_release_fill_the_search_index(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "t"})
    directory = app.extensions["migrate"].directory
    with app.app_context():
        alembic_upgrade(directory=directory, revision=PREVIOUS_RELEASE)
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO reviews (title, slug, body, status, created_at, updated_at, version)"
                " VALUES ('Old one', 'old-one', 'Kept words.', 'published', now(), now(), 1)"
            )
        upgrade_schema()
        assert titles("kept") == ["Old one"]
        db.session.remove()  # its open transaction would block the downgrade's DROP TRIGGER
        alembic_downgrade(directory=directory, revision=PREVIOUS_RELEASE)
        upgrade_schema()
        assert titles("kept") == ["Old one"]
        db.session.remove()
        db.engine.dispose()
