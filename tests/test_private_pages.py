"""No writer page, and nothing that sets or reads the writer's session, is cacheable."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import Rule

from journal.characters import add_character
from journal.episodes import add_item
from journal.extensions import db
from journal.models import EpisodeNote, Review, Tag, Viewing
from journal.writers import issue_setup_token

HX = {"HX-Request": "true"}


@pytest.fixture
def ids(app, sample_review):
    review_id = sample_review("Night shift", status="published", tags="Medical")
    with app.app_context():
        review = db.session.get(Review, review_id)
        character_id = add_character(review, {"name": "Kang"}).id
        # Episode notes and viewings share the views, so one id names an item of each.
        item_id = add_item(review, EpisodeNote, {"episode": 1}).id
        assert add_item(review, Viewing, {"watched_on": date(2025, 1, 1)}).id == item_id
        tag = db.session.scalar(sa.select(Tag))
        return {
            "review_id": review_id,
            "character_id": character_id,
            "item_id": item_id,
            "tag_id": tag.id,
            "slug": review.slug,
            "filename": "app.css",
            "file": "0" * 32 + ".webp",  # no such cover (test_covers.py serves real ones)
        }


def get_urls(app, ids) -> list[str]:
    """Every GET URL the app has, filled with real ids (a new route joins automatically)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "favicon"):
            continue
        values = {name: _value(rule, name, ids) for name in rule.arguments}
        if rule.endpoint == "tags.show":
            values["slug"] = "medical"
        with app.test_request_context():
            urls.append(url_for(rule.endpoint, **values))
    return urls


def _value(rule: Rule, name: str, ids: dict):
    if name == "token":
        return "any-token"
    assert name in ids, f"{rule.rule}: give this test a value for <{name}>"
    return ids[name]


def test_every_page_the_writer_sees_is_no_store(app, client, writer, ids):
    for url in get_urls(app, ids):
        for headers in ({}, HX):
            response = client.get(url, headers=headers)
            response.close()  # the export streams
            assert response.headers.get("Cache-Control") == "no-store", (url, headers)


def test_public_pages_for_readers_stay_cacheable(app, ids):
    for url in get_urls(app, ids):
        response = app.test_client().get(url)
        response.close()
        if url.startswith(("/write/", "/login", "/setup/")):
            assert response.headers.get("Cache-Control") == "no-store", url
        else:
            assert "no-store" not in response.headers.get("Cache-Control", ""), url
            assert "Set-Cookie" not in response.headers, url


def test_login_setup_and_logout_are_no_store(app, writer):
    with app.app_context():
        link = f"/setup/{issue_setup_token()}"
    reader = app.test_client()
    assert reader.get("/login").headers["Cache-Control"] == "no-store"
    assert reader.get(link).headers["Cache-Control"] == "no-store"
    logout = writer.logout()
    assert logout.status_code == 302 and logout.headers["Cache-Control"] == "no-store"
    login = writer.login()
    assert login.status_code == 302 and login.headers["Cache-Control"] == "no-store"


def test_htmx_partials_and_errors_for_the_writer_are_no_store(client, writer, ids):
    preview = client.post("/write/preview", data={"body": "*hi*"}, headers=HX)
    assert preview.status_code == 200 and preview.headers["Cache-Control"] == "no-store"
    missing = client.get("/write/999999", headers=HX)
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    search = client.get("/search?q=night", headers=HX)
    assert search.headers["Cache-Control"] == "no-store"  # it may show the writer's drafts


def test_a_visitor_sent_to_login_is_not_cached(client):
    response = client.get("/write/")
    assert response.status_code == 302 and response.headers["Cache-Control"] == "no-store"
