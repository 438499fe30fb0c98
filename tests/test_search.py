"""Search: FTS5 ranking and snippets, privacy of drafts, hostile queries, index kept in step."""

import pytest
import sqlalchemy as sa

from journal import search_index
from journal.editing import delete, save
from journal.extensions import db
from journal.models import Character, Review, Tag
from journal.search import highlight, rebuild_index, reindex_review, search_reviews

from .conftest import ON_POSTGRES, sqlite_only


def index_table() -> str:
    return search_index.PG_TABLE if ON_POSTGRES else search_index.TABLE


def titles(response):
    import re

    hit = r'<li class="search-hit"[^>]*>\s*<h2><a href="[^"]+">([^<]+)</a>'
    return re.findall(hit, response.text)


def test_search_finds_every_field_and_ranks_titles_first(client, sample_review, app):
    sample_review("Body only", status="published", body="A long story about a surgeon.")
    sample_review("The surgeon", status="published", body="Nothing else.")
    sample_review("Work", status="published", work_title="Night Clinic")
    sample_review("Hangul", status="published", original_title="중증외상센터")
    sample_review("Verdict", status="published", verdict="Gripping from start to finish")
    sample_review("Genre", status="published", tags="Melodrama")
    rid = sample_review("Cast", status="published")
    with app.app_context():
        db.session.add(Character(review_id=rid, name="Baek Kang", notes="a stubborn genius"))
        db.session.commit()
    assert titles(client.get("/search?q=surgeon")) == ["The surgeon", "Body only"]
    assert titles(client.get("/search?q=night clinic")) == ["Work"]
    assert titles(client.get("/search?q=중증외상센터")) == ["Hangul"]
    assert titles(client.get("/search?q=gripping")) == ["Verdict"]
    assert titles(client.get("/search?q=melodrama")) == ["Genre"]
    assert titles(client.get("/search?q=baek")) == ["Cast"]
    assert titles(client.get("/search?q=stubborn")) == ["Cast"]
    assert titles(client.get("/search?q=surg")) == ["The surgeon", "Body only"]  # as one types


def test_readers_see_published_only_and_the_writer_also_drafts(client, writer, sample_review):
    sample_review("Public piece", status="published", body="orchid")
    sample_review("Private piece", body="orchid")
    page = client.get("/search?q=orchid")
    assert set(titles(page)) == {"Public piece", "Private piece"}
    assert "Draft" in page.text
    writer.logout()
    assert titles(client.get("/search?q=orchid")) == ["Public piece"]


def test_snippets_are_escaped_and_highlighted(client, sample_review):
    sample_review(
        "Hostile",
        status="published",
        body='Hostile: <script>alert(1)</script> <b>bold</b> the "orchid" grows',
    )
    page = client.get("/search?q=orchid")
    assert "<mark>orchid</mark>" in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "<b>bold" not in page.text


def test_highlight_escapes_text_and_ignores_stray_markers():
    assert str(highlight("a <i>\x02x&y\x03 \x02z")) == "a &lt;i&gt;<mark>x&amp;y</mark> z"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "-",
        "-orchid",
        "orchid*",
        "NEAR",
        "NEAR(orchid grows)",
        "(",
        ")(",
        "orchid AND",
        "OR",
        "NOT orchid",
        "^orchid",
        "col:orchid",
        "title:orchid",
        "{title}: x",
        "'",
        "%",
        "_",
        "\\",
        "a" * 500,
        "orchid " * 50,
        "🌸",
        "\x00",
    ],
)
def test_hostile_queries_never_error(client, sample_review, query):
    sample_review("Flowers", status="published", body="the orchid grows")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_empty_query_shows_a_hint(client):
    response = client.get("/search?q=")
    assert response.status_code == 200
    assert "Type a word" in response.text


def test_live_search_returns_the_results_partial_with_vary(client, sample_review):
    sample_review("Live", status="published", body="lantern")
    partial = client.get("/search?q=lantern", headers={"HX-Request": "true"})
    assert "<body" not in partial.text and 'id="search-results"' in partial.text
    assert "HX-Request" in partial.headers["Vary"]
    page = client.get("/search?q=lantern")
    assert "<body" in page.text and "HX-Request" in page.headers["Vary"]
    assert 'data-hx-get="/search"' in page.text and 'data-hx-target="#search-results"' in page.text
    assert 'data-hx-push-url="true"' in page.text
    boosted = client.get("/search?q=lantern", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<body" in boosted.text


def test_index_follows_edits_deletes_characters_and_genre_changes(app, client, sample_review):
    rid = sample_review("Changing", status="published", body="first words", tags="Alpha")
    with app.app_context():
        review = db.session.get(Review, rid)
        save(review, {"title": "Changing", "body": "second words", "tags": "Beta"})
    assert titles(client.get("/search?q=first")) == []
    assert titles(client.get("/search?q=second")) == ["Changing"]
    assert titles(client.get("/search?q=alpha")) == []
    assert titles(client.get("/search?q=beta")) == ["Changing"]
    with app.app_context():
        character = Character(review_id=rid, name="Zelda", notes="")
        db.session.add(character)
        db.session.commit()
        assert titles(client.get("/search?q=zelda")) == ["Changing"]
        character.name = "Yorick"
        db.session.commit()
        assert titles(client.get("/search?q=zelda")) == []
        assert titles(client.get("/search?q=yorick")) == ["Changing"]
        db.session.delete(character)
        db.session.commit()
        assert titles(client.get("/search?q=yorick")) == []
        tag = db.session.scalar(sa.select(Tag).where(Tag.name == "Beta"))
        tag.name = "Gamma"
        db.session.commit()
    assert titles(client.get("/search?q=gamma")) == ["Changing"]
    with app.app_context():
        delete(db.session.get(Review, rid))
        count = db.session.execute(sa.text(f"SELECT count(*) FROM {index_table()}")).scalar()
    assert count == 0
    assert titles(client.get("/search?q=second")) == []


def test_merging_and_deleting_genres_update_the_index(app, client, writer, sample_review):
    sample_review("Merged", status="published", tags="Melo")
    with app.app_context():
        ids = {t.name: t.id for t in db.session.scalars(sa.select(Tag))}
        sample_review("Target", status="published", tags="Romance")
        ids = {t.name: t.id for t in db.session.scalars(sa.select(Tag))}
    client.post(f"/write/tags/{ids['Melo']}/merge", data={"target": ids["Romance"]})
    assert titles(client.get("/search?q=melo")) == []
    assert set(titles(client.get("/search?q=romance"))) == {"Merged", "Target"}
    client.post(f"/write/tags/{ids['Romance']}/delete")
    assert titles(client.get("/search?q=romance")) == []


@sqlite_only  # PostgreSQL always has its tsvector index
def test_like_fallback_without_the_index(app, sample_review):
    """What a database without FTS5 (PostgreSQL) gets: LIKE over the same fields."""
    sample_review("Fallback", status="published", body="a <b>quiet</b> orchid", tags="Calm")
    sample_review("Hidden", body="orchid")
    with app.app_context():
        search_index.drop(db.session.connection())
        db.session.commit()
        results = search_reviews("orchid", include_drafts=False)
        assert [h.review.title for h in results.hits] == ["Fallback"]
        assert "<mark>orchid</mark>" in str(results.hits[0].snippet)
        assert "&lt;b&gt;" in str(results.hits[0].snippet)
        assert [h.review.title for h in search_reviews("calm", True).hits] == ["Fallback"]
        assert search_reviews('"NEAR(*', True).hits == []
        assert len(search_reviews("orchid", True).hits) == 2


def test_index_rebuild_matches_triggers(app, sample_review):
    sample_review("One", status="published", body="alpha", tags="X")
    with app.app_context():
        rows = sa.text(f"SELECT * FROM {index_table()} ORDER BY 1")
        before = db.session.execute(rows).all()
        rebuild_index()
        reindex_review(1)
        after = db.session.execute(rows).all()
    assert before == after


def test_pagination_of_results(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, REVIEWS_PER_PAGE=2)
    with app.app_context():
        from journal.editing import new_review

        for n in range(3):
            save(new_review(), {"title": f"Orchid {n}", "body": "orchid"}, "published")
    client = app.test_client()
    first = client.get("/search?q=orchid")
    assert len(titles(first)) == 2 and 'rel="next"' in first.text
    second = client.get("/search?q=orchid&page=2")
    assert len(titles(second)) == 1 and 'rel="prev"' in second.text
    assert client.get("/search?q=orchid&page=abc").status_code == 200


@sqlite_only  # SQLite's batch mode drops triggers; PostgreSQL alters tables in place
def test_lost_triggers_are_recreated_on_first_request(make_app, sample_review):
    """A later migration that rebuilds a table in SQLite batch mode drops its triggers."""
    app = make_app(WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.session.execute(sa.text("DROP TRIGGER review_search_au"))
        db.session.execute(sa.text("DELETE FROM review_search"))
        db.session.commit()
    sample_review("Repaired", status="published", body="restored words")
    client = app.test_client()
    assert titles(client.get("/search?q=restored")) == ["Repaired"]
    with app.app_context():
        review = db.session.scalar(sa.select(Review))
        save(review, {"title": "Repaired", "body": "changed text"})
    assert titles(client.get("/search?q=changed")) == ["Repaired"]
