"""The diary for readers: /diary and /diary.atom list viewings of published reviews only,
newest first, paginated; the feed is valid Atom."""

from __future__ import annotations

from datetime import date

import feedparser

from journal.editing import new_review, save
from journal.episodes import add_item
from journal.extensions import db
from journal.models import Review, Viewing


def view(app, review_id, day, **data):
    with app.app_context():
        add_item(db.session.get(Review, review_id), Viewing, {"watched_on": day, **data})


def test_the_diary_lists_published_viewings_newest_first(app, client, sample_review):
    shown = sample_review("Hospital nights", status="published")
    hidden = sample_review("Secret draft")
    view(app, shown, date(2025, 2, 14), note="First time", rating=8)
    view(app, shown, date(2025, 3, 1), rewatch=True)
    view(app, hidden, date(2025, 4, 1), note="Draft viewing")
    html = client.get("/diary").text
    assert "Draft viewing" not in html and "Secret draft" not in html
    newer = html.index('<time datetime="2025-03-01">1 March 2025</time> · rewatch')
    older = html.index('<time datetime="2025-02-14">14 February 2025</time> · 8/10 — First time')
    assert newer < older
    assert html.count('href="/reviews/hospital-nights#viewing-') == 2
    assert '<a href="/diary">Diary</a>' in html  # in everyone's navigation


def test_an_empty_diary_says_so(client):
    assert "No viewings are in the diary yet." in client.get("/diary").text


def test_the_diary_is_paginated(make_app):
    app = make_app(DIARY_PER_PAGE=2)
    client = app.test_client()
    with app.app_context():
        rid = save(new_review(), {"title": "Long show", "body": "x"}, "published").id
    for day in range(1, 6):
        view(app, rid, date(2025, 1, day), note=f"Day {day}")
    first = client.get("/diary").text
    assert "Day 5" in first and "Day 4" in first and "Day 3" not in first
    assert "Page 1 of 3" in first and 'href="/diary?page=2"' in first
    last = client.get("/diary?page=3").text
    assert "Day 1" in last and "Day 2" not in last
    assert client.get("/diary?page=4").status_code == 404


def test_the_diary_feed_is_atom_without_drafts(app, client, sample_review):
    shown = sample_review("Hospital <nights>", status="published")
    hidden = sample_review("Secret draft")
    view(app, shown, date(2025, 2, 14), note="Tears & all", rating=8.5)
    view(app, shown, date(2025, 3, 1))
    view(app, hidden, date(2025, 4, 1), note="Draft viewing")
    response = client.get("/diary.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert b"Draft viewing" not in response.data
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "Review Journal: Diary"
    assert [e.title for e in feed.entries] == [
        "Hospital <nights> · 1 March 2025",
        "Hospital <nights> · 14 February 2025",
    ]
    entry = feed.entries[1]
    assert entry.link == "http://localhost/reviews/hospital-nights"
    assert entry.id.startswith("http://localhost/reviews/hospital-nights#viewing-")
    assert entry.summary == "Watched 14 February 2025 · 8.5/10 — Tears & all"
    assert entry.published_parsed[:3] == (2025, 2, 14)
    assert feed.feed.links[0].href == "http://localhost/diary.atom"


def test_an_empty_diary_feed_is_still_valid(client):
    feed = feedparser.parse(client.get("/diary.atom").data)
    assert not feed.bozo and feed.entries == []


def test_the_diary_page_links_its_feed(client):
    assert 'href="/diary.atom"' in client.get("/diary").text
