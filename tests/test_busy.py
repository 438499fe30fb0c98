"""A long import never holds the editor off for minutes, and a busy save keeps its text (503)."""

from __future__ import annotations

import itertools
import json
import sqlite3

import pytest
import sqlalchemy as sa

from journal import database
from journal.archives import Source, SourceFile
from journal.extensions import db
from journal.importing import apply_import, plan_import
from journal.models import Review, Tag
from journal.slugs import MAX_SLUG_LENGTH, slug_family, unique_slug

from .conftest import sqlite_only


class StatementCounter:
    def __init__(self, engine):
        self.count = 0
        self.engine = engine

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def punctuation_names(count: int) -> list[str]:
    marks = "!?$%&*+=~^@"
    names = ("".join(p) for n in itertools.count(1) for p in itertools.product(marks, repeat=n))
    return list(itertools.islice(names, count))


def test_1200_punctuation_only_genres_import_in_bounded_work(app):
    names = punctuation_names(1200)
    text = f"---\ntitle: Symbols\ndate: 2025-01-01\ntags: {json.dumps(names)}\n---\nBody.\n"
    assert len(text) < 20_000
    with app.app_context():
        plan = plan_import(Source([SourceFile("symbols.md", text.encode())], []))
        assert plan.ok, plan.errors
        with StatementCounter(db.engine) as statements:
            apply_import(plan)
        # Before: one query per slug tried, 1 + 2 + ... + 1200 of them (720,600).
        assert statements.count < 3 * len(names) + 100
        slugs = set(db.session.scalars(sa.select(Tag.slug)))
        assert len(slugs) == 1200 and "genre" in slugs and "genre-1200" in slugs


def test_numbered_slugs_come_from_one_query_and_skip_every_taken_one(app):
    with app.app_context():
        taken = {"genre", "genre-2", "genre-3", "genre-rock"}
        assert unique_slug("genre", taken.__contains__) == "genre-4"
        long = "x" * MAX_SLUG_LENGTH
        db.session.add_all(
            [
                Tag(name=f"t{n}", key=f"t{n}", slug=s)
                for n, s in enumerate(("a", "ab", long, long[:78] + "-2", "b"))
            ]
        )
        db.session.commit()
        family = set(db.session.scalars(sa.select(Tag.slug).where(slug_family(Tag.slug, long))))
        assert family == {long, long[:78] + "-2"}
        assert unique_slug(long, family.__contains__) == long[:78] + "-3"
        family = set(db.session.scalars(sa.select(Tag.slug).where(slug_family(Tag.slug, "a"))))
        assert family == {"a", "ab"}


def test_many_reviews_with_one_title_get_numbered_slugs(app, sample_review):
    ids = [sample_review(title="!!!") for _ in range(30)]
    with app.app_context():
        slugs = [db.session.get(Review, i).slug for i in ids]
    assert slugs[:3] == ["review", "review-2", "review-3"] and len(set(slugs)) == 30


@pytest.fixture
def locked(app, monkeypatch):
    """Another connection holds SQLite's write lock (as a long import does); writes here wait
    a tenth of a second for it instead of five."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    with app.app_context():
        db.engine.dispose()  # new connections take the short timeout
        path = database.sqlite_path()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        yield lambda: other.execute("BEGIN IMMEDIATE")
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


@sqlite_only  # SQLite's one write lock
def test_a_save_while_the_database_is_busy_is_a_503_with_the_text_kept(
    app, client, writer, sample_review, locked
):
    review_id = sample_review(body="Saved text.")
    page = client.get(f"/write/{review_id}").get_data(as_text=True)
    assert "Saved text." in page
    locked()
    form = {
        "title": "A quiet drama",
        "body": "Typed while busy <3",
        "version": "1",
        "action": "save",
        "editor": "tab-12345678",
    }
    response = client.post(f"/write/{review_id}", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Typed while busy &lt;3</textarea>" in html
    assert "the journal is busy" in html and 'data-unsaved="true"' in html

    response = client.post("/write/autosave", data={**form, "review_id": review_id})
    assert response.status_code == 503
    assert 'data-state="busy"' in response.get_data(as_text=True)
    assert "journal is busy" in response.get_data(as_text=True)

    response = client.post("/write/new", data={**form, "version": ""})
    assert response.status_code == 503
    assert "Typed while busy &lt;3</textarea>" in response.get_data(as_text=True)


@sqlite_only  # SQLite's one write lock
def test_other_writes_while_busy_answer_503_not_500(app, client, writer, sample_review, locked):
    review_id = sample_review()
    locked()
    response = client.post(f"/write/{review_id}/characters", data={"name": "Mira"})
    assert response.status_code == 503
    assert "busy" in response.get_data(as_text=True)


@sqlite_only  # SQLite's one write lock
def test_an_import_renders_its_bodies_outside_the_write_lock(app, monkeypatch):
    """Rendering Markdown is the slow part of an import: while it runs, the editor can save."""
    from journal import markdown

    with app.app_context():
        path = database.sqlite_path()
    real, held = markdown.render, []

    def render_and_check_the_lock(text):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        except sqlite3.OperationalError:
            held.append(text)
        finally:
            other.close()
        return real(text)

    monkeypatch.setattr(markdown, "render", render_and_check_the_lock)
    files = [
        SourceFile(f"r{n}.md", f"---\ntitle: R{n}\ndate: 2025-01-0{n}\n---\nBody *{n}*.\n".encode())
        for n in range(1, 6)
    ]
    with app.app_context():
        apply_import(plan_import(Source(files, [])))
        bodies = list(db.session.scalars(sa.select(Review.body_html)))
    assert held == [] and sorted(bodies) == [f"<p>Body <em>{n}</em>.</p>\n" for n in range(1, 6)]
