"""Slugs: readable for every script, unique, and stable once published."""

import sqlalchemy as sa

from journal.editing import save
from journal.extensions import db
from journal.models import Review
from journal.slugs import slugify


def test_slugify_latin_and_punctuation():
    assert slugify("The Trauma Code: Heroes on Call – Where saving lives") == (
        "the-trauma-code-heroes-on-call-where-saving-lives"
    )


def test_slugify_keeps_hangul_and_other_scripts():
    assert slugify("중증외상센터") == "중증외상센터"
    assert slugify("Café Ｌｕｍｉｅｒｅ") == "café-lumiere"
    assert slugify("進撃の巨人 (2013)") == "進撃の巨人-2013"


def test_slugify_cuts_long_titles_at_a_word_boundary():
    slug = slugify("word " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.endswith("word")


def review(app, review_id):
    return db.session.get(Review, review_id)


def test_slug_comes_from_the_work_title_when_there_is_one(app, sample_review):
    review_id = sample_review("A long headline – with a subtitle", work_title="Short Name")
    with app.app_context():
        assert db.session.get(Review, review_id).slug == "short-name"


def test_duplicate_titles_get_distinct_slugs(app, sample_review):
    ids = [sample_review("Same title") for _ in range(3)]
    with app.app_context():
        slugs = db.session.scalars(sa.select(Review.slug).where(Review.id.in_(ids))).all()
    assert sorted(slugs) == ["same-title", "same-title-2", "same-title-3"]


def test_a_title_of_symbols_only_still_gets_a_slug(app, sample_review):
    review_id = sample_review("!!!")
    with app.app_context():
        assert db.session.get(Review, review_id).slug == "review"


def test_draft_slug_follows_the_title_but_a_published_slug_never_changes(app, sample_review):
    review_id = sample_review("First idea")
    with app.app_context():
        draft = db.session.get(Review, review_id)
        save(draft, {"title": "Better idea", "body": ""})
        assert draft.slug == "better-idea"
        save(draft, {"title": "Better idea", "body": ""}, "published")
        save(draft, {"title": "Renamed after publishing", "body": ""})
        assert draft.slug == "better-idea"


def test_hangul_review_is_reachable_by_its_slug(client, sample_review):
    sample_review("중증외상센터 리뷰", status="published")
    response = client.get("/reviews/중증외상센터-리뷰")
    assert response.status_code == 200 and "중증외상센터 리뷰" in response.text
