"""The feeds link to the configured site, whatever Host a request claims, and name a display
author rather than the writer's login username."""

from __future__ import annotations

import feedparser

from journal.writers import set_writer_password


def feed_of(app, url="/feed.atom", host="evil.example"):
    response = app.test_client().get(url, headers={"Host": host})
    assert response.status_code == 200
    return feedparser.parse(response.data)


def test_feed_links_use_the_configured_site_url(make_app, sample_review):
    app = make_app(WTF_CSRF_ENABLED=False, SITE_URL="https://reviews.example.org/")
    sample_review("Night shift", status="published", tags="Medical")
    feed = feed_of(app)
    assert feed.entries[0].link == "https://reviews.example.org/reviews/night-shift"
    hrefs = [link.href for link in feed.feed.links] + [feed.entries[0].tags[0].scheme]
    assert all(href.startswith("https://reviews.example.org/") for href in hrefs), hrefs
    genre = feed_of(app, "/tags/medical/feed.atom")
    assert genre.feed.links[0].href == "https://reviews.example.org/tags/medical/feed.atom"
    assert "evil.example" not in str(feed) + str(genre)


def test_feed_author_is_a_display_name_not_the_login(make_app):
    app = make_app(WTF_CSRF_ENABLED=False)
    with app.app_context():
        set_writer_password("hana-login", "long enough")
    assert feed_of(app).feed.author == "Review Journal"
    named = make_app(WTF_CSRF_ENABLED=False, AUTHOR_NAME="Hana Kim")
    assert feed_of(named).feed.author == "Hana Kim"
