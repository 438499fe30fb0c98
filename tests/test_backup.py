"""SQLite settings per connection, one transaction per save, backups by hand and before upgrades."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask_migrate import upgrade as alembic_upgrade

from journal import create_app, editing
from journal.cli import cli
from journal.database import backup_sqlite, upgrade_schema
from journal.extensions import db
from journal.models import Review

from .conftest import sqlite_only

pytestmark = sqlite_only  # pragmas, the online backup API and pre-upgrade file copies


def pragmas(connection) -> tuple:
    return tuple(
        connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "foreign_keys", "busy_timeout")
    )


def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout(app):
    with app.app_context():
        with db.engine.connect() as first, db.engine.connect() as second:
            assert first.connection.dbapi_connection is not second.connection.dbapi_connection
            assert pragmas(first) == pragmas(second) == ("wal", 1, 5000)
        db.engine.dispose()
        seen = []

        def in_a_thread():
            with app.app_context(), db.engine.connect() as connection:
                seen.append(pragmas(connection))

        thread = threading.Thread(target=in_a_thread)
        thread.start()
        thread.join()
        assert seen == [("wal", 1, 5000)]


def test_foreign_keys_are_enforced(app):
    with (
        app.app_context(),
        pytest.raises(sa.exc.IntegrityError),
        db.engine.begin() as connection,
    ):
        connection.exec_driver_sql(
            "INSERT INTO revisions (review_id, created_at, updated_at, kind, version, data)"
            " VALUES (999, '2025-01-01', '2025-01-01', 'save', 1, '{}')"
        )


def test_a_save_is_one_transaction(app, sample_review, monkeypatch):
    review_id = sample_review("Night Shift", body="Kept.")
    with app.app_context():
        review = db.session.get(Review, review_id)

        def broken_snapshot(review):
            raise RuntimeError("disk full, say")

        monkeypatch.setattr(editing, "snapshot", broken_snapshot)
        with pytest.raises(RuntimeError):
            editing.save(review, {"title": "Changed", "body": "Half-written."})
        db.session.rollback()
        db.session.expire_all()
        review = db.session.get(Review, review_id)
        assert (review.title, review.body, review.version) == ("Night Shift", "Kept.", 1)


def consistent(path) -> tuple[int, int]:
    """integrity_check passes, and every review has the revision its save wrote with it."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        reviews = connection.execute("SELECT count(*) FROM reviews").fetchone()[0]
        revised = connection.execute("SELECT count(DISTINCT review_id) FROM revisions").fetchone()
        return reviews, revised[0]
    finally:
        connection.close()


def test_backup_is_consistent_while_saves_go_on(app, tmp_path):
    saves = 120
    done = threading.Event()
    failures = []

    def keep_saving():
        try:
            with app.app_context():
                for n in range(saves):
                    editing.save(editing.new_review(), {"title": f"Review {n}", "body": "x" * n})
        except Exception as error:  # reported below; a thread cannot fail the test itself
            failures.append(error)
        finally:
            done.set()

    writer = threading.Thread(target=keep_saving)
    writer.start()
    copies = []
    with app.app_context():
        for n in range(200):  # bounded: stops once the writer is done
            if done.is_set() and n > 0:
                break
            target = tmp_path / f"copy-{n}.db"
            backup_sqlite(str(target))
            copies.append(target)
    writer.join()
    assert not failures
    counts = [consistent(copy) for copy in copies]
    assert any(0 < reviews < saves for reviews, _ in counts), "no copy made mid-way"
    assert all(reviews == revised for reviews, revised in counts)
    with app.app_context():
        backup_sqlite(str(tmp_path / "final.db"))
    assert consistent(tmp_path / "final.db") == (saves, saves)


def test_journal_backup_command(app, tmp_path, monkeypatch, sample_review):
    sample_review("Night Shift")
    monkeypatch.setenv("JOURNAL_SECRET_KEY", "test")
    target = tmp_path / "out" / "copy.db"
    result = CliRunner().invoke(cli, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "Backed up the database" in result.output
    assert consistent(target) == (1, 1)


@pytest.fixture
def old_instance(tmp_path, monkeypatch):
    """A journal whose database is at the first migration and holds a review."""
    instance = tmp_path / "old"
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("JOURNAL_SECRET_KEY", "test")
    app = create_app({"TESTING": True})
    with app.app_context():
        alembic_upgrade(directory=app.extensions["migrate"].directory, revision="0001")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO reviews (title, slug, body, status, created_at, updated_at, version)"
                " VALUES ('Old one', 'old-one', 'Old words.', 'draft', '2025-01-01',"
                " '2025-01-01', 1)"
            )
        db.engine.dispose()
    return app, instance


def test_upgrade_backs_up_a_database_with_pending_migrations(old_instance):
    app, instance = old_instance
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()
    backups = list((instance / "backups").iterdir())
    assert len(backups) == 1 and backups[0].name.endswith("-pre-upgrade.db")
    assert backups[0].stat().st_mode & 0o077 == 0
    copy = sqlite3.connect(backups[0])
    try:
        assert copy.execute("SELECT title FROM reviews").fetchall() == [("Old one",)]
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        copy.close()
    with app.app_context():
        upgrade_schema()  # up to date now: no second copy
        db.engine.dispose()
    assert len(list((instance / "backups").iterdir())) == 1


def test_cli_start_backs_up_before_migrating(old_instance, tmp_path):
    _app, instance = old_instance
    result = CliRunner().invoke(cli, ["backup", str(tmp_path / "by-hand.db")])
    assert result.exit_code == 0, result.output
    assert len(list((instance / "backups").iterdir())) == 1


def test_a_new_database_needs_no_backup(tmp_path, monkeypatch):
    instance = tmp_path / "fresh"
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(instance))
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()
    assert not (instance / "backups").exists()
