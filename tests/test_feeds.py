"""Atom feeds: valid Atom 1.0 read by a real feed parser, genres as categories, safe content."""

import feedparser

from journal.extensions import db
from journal.models import Review


def parse(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_journal_feed_lists_published_reviews_newest_first(client, sample_review):
    sample_review("Older", status="published", tags="Melo, Medical", verdict="Fine & tender")
    sample_review(
        "Newer <review>",
        status="published",
        body="**Bold** <script>alert(1)</script> [x](javascript:alert(1))",
        tags="K-drama",
    )
    sample_review("Secret draft", tags="Melo")
    feed = parse(client.get("/feed.atom"))
    assert feed.feed.title == "Review Journal"
    assert [e.title for e in feed.entries] == ["Newer <review>", "Older"]
    newer, older = feed.entries
    assert newer.link == "http://localhost/reviews/newer-review"
    assert newer.id == newer.link
    assert newer.published_parsed and newer.updated_parsed
    assert [t.term for t in newer.tags] == ["K-drama"]
    assert sorted(t.term for t in older.tags) == ["Medical", "Melo"]
    assert older.summary == "Fine & tender"
    content = newer.content[0].value
    assert "<strong>Bold</strong>" in content
    assert "<script" not in content and 'href="javascript' not in content
    assert "&lt;script&gt;" in content  # raw HTML in Markdown shows as text
    assert any(link.rel == "self" for link in feed.feed.links)


def test_genre_feed_has_only_that_genre(client, sample_review):
    sample_review("Melo one", status="published", tags="Melo")
    sample_review("Other", status="published", tags="Thriller")
    feed = parse(client.get("/tags/melo/feed.atom"))
    assert feed.feed.title == "Review Journal: Melo"
    assert [e.title for e in feed.entries] == ["Melo one"]
    assert client.get("/tags/nothing/feed.atom").status_code == 404


def test_empty_feed_is_still_valid(client):
    feed = parse(client.get("/feed.atom"))
    assert feed.entries == []


def test_control_characters_from_imports_do_not_break_the_xml(app, client, sample_review):
    review_id = sample_review("Clean", status="published")
    with app.app_context():
        review = db.session.get(Review, review_id)
        review.body = "bad\x01byte"
        review.verdict = "also\x0bbad"
        db.session.commit()
    feed = parse(client.get("/feed.atom"))
    assert "bad" in feed.entries[0].content[0].value and "also" in feed.entries[0].summary


def test_pages_advertise_their_feeds(client, sample_review):
    sample_review("Advertised", status="published", tags="Melo")
    home = client.get("/").text
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert 'href="/feed.atom"' in home
    genre = client.get("/tags/melo").text
    assert 'href="/tags/melo/feed.atom"' in genre
