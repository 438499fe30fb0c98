"""Writing, publishing and reading reviews through the editor and the public pages."""

import re

import pytest
import sqlalchemy as sa

from journal.extensions import db
from journal.models import Review, Revision

FULL_REVIEW = {
    "title": "Hospital Nights – where every shift is a battle",
    "work_title": "Hospital Nights",
    "original_title": "병원의 밤",
    "media_type": "drama",
    "year": "2025",
    "where_to_watch": "Netflix",
    "episodes": "8",
    "runtime_minutes": "55",
    "rating": "8.5",
    "verdict": "Night shifts never looked this good.",
    "body": "## Plot\n\nA **fierce** surgeon fights the budget.\n",
    "tags": "Medical, K-drama",
}


def get_review(app, **where) -> Review | None:
    with app.app_context():
        review = db.session.scalar(sa.select(Review).filter_by(**where))
        if review is not None:
            db.session.expunge(review)
        return review


def test_save_keeps_a_new_review_a_draft_and_returns_to_the_editor(app, client, writer):
    response = client.post("/write/new", data={**FULL_REVIEW, "action": "save"})
    assert response.status_code == 303
    review = get_review(app, work_title="Hospital Nights")
    assert response.headers["Location"] == f"/write/{review.id}"
    assert review.status == "draft" and review.published_at is None
    assert str(review.rating) == "8.5" and review.episodes == 8 and review.runtime_minutes == 55
    assert review.original_title == "병원의 밤"

    editor = client.get(response.headers["Location"])
    assert '<p class="flash flash-success" role="status">Saved.</p>' in editor.text
    assert f'href="/reviews/{review.slug}">View</a>' in editor.text
    assert ">Publish</button>" in editor.text
    assert 'value="Hospital Nights"' in editor.text


def test_publish_works_on_a_review_never_saved_and_stamps_the_time(app, client, writer):
    response = client.post("/write/new", data={**FULL_REVIEW, "action": "publish"})
    assert response.status_code == 303
    review = get_review(app, work_title="Hospital Nights")
    assert review.status == "published" and review.published_at is not None
    editor = client.get(response.headers["Location"])
    assert "Published." in editor.text and ">Unpublish</button>" in editor.text


def test_unpublish_returns_a_review_to_draft_and_hides_it(app, client, writer, sample_review):
    review_id = sample_review("Gone soon", status="published")
    slug = get_review(app, id=review_id).slug
    # Unpublish asks first, carrying the editor's text along; nothing changes until confirmed.
    asked = client.post(
        f"/write/{review_id}", data={"title": "Gone soon", "body": "Kept.", "action": "unpublish"}
    )
    assert asked.status_code == 200 and "Unpublish “Gone soon”?" in asked.text
    assert get_review(app, id=review_id).status == "published"
    assert '<input type="hidden" name="body" value="Kept.">' in asked.text
    back = client.post(f"/write/{review_id}", data={"title": "Gone soon", "action": "back"})
    assert back.status_code == 200 and get_review(app, id=review_id).status == "published"
    response = client.post(
        f"/write/{review_id}",
        data={"title": "Gone soon", "body": "Kept.", "action": "unpublish", "confirmed": "yes"},
    )
    assert response.status_code == 303
    assert get_review(app, id=review_id).body == "Kept."
    assert get_review(app, id=review_id).status == "draft"
    assert "Unpublished" in client.get(f"/write/{review_id}").text
    writer.logout()
    assert client.get(f"/reviews/{slug}").status_code == 404


def test_save_on_a_published_review_keeps_it_published(app, client, writer, sample_review):
    review_id = sample_review("Live one", status="published")
    client.post(f"/write/{review_id}", data={"title": "Live one, revised", "action": "save"})
    review = get_review(app, id=review_id)
    assert review.status == "published" and review.title == "Live one, revised"


def test_every_save_bumps_the_version_and_keeps_a_revision(app, client, writer):
    client.post("/write/new", data={**FULL_REVIEW, "action": "save"})
    review = get_review(app, work_title="Hospital Nights")
    client.post(f"/write/{review.id}", data={**FULL_REVIEW, "body": "Changed.", "action": "save"})
    assert get_review(app, id=review.id).version == 2
    with app.app_context():
        bodies = db.session.scalars(
            sa.select(Revision.data).where(Revision.review_id == review.id).order_by(Revision.id)
        ).all()
    assert [b["body"] for b in bodies] == [FULL_REVIEW["body"], "Changed."]


def test_delete_asks_first_then_removes_the_review(app, client, writer, sample_review):
    review_id = sample_review("Doomed")
    confirm = client.get(f"/write/{review_id}/delete")
    assert confirm.status_code == 200 and "Delete “Doomed”?" in confirm.text
    assert get_review(app, id=review_id) is not None  # asking deleted nothing
    response = client.post(f"/write/{review_id}/delete")
    assert response.status_code == 303
    assert get_review(app, id=review_id) is None
    assert "Deleted “Doomed”." in client.get(response.headers["Location"]).text


def test_preview_renders_the_body_as_a_fragment_without_saving(app, client, writer):
    response = client.post(
        "/write/preview", data={"body": "Some **bold** words"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.text
    assert "<body" not in response.text
    assert get_review(app) is None


def test_preview_without_javascript_shows_the_editor_with_the_preview(app, client, writer):
    response = client.post("/write/new", data={**FULL_REVIEW, "action": "preview"})
    assert response.status_code == 200
    assert "<strong>fierce</strong>" in response.text
    assert 'value="Hospital Nights"' in response.text
    assert get_review(app) is None


def test_dashboard_lists_drafts_and_published_newest_edit_first(client, writer, sample_review):
    sample_review("Old draft")
    sample_review("Published one", status="published")
    sample_review("New draft")
    page = client.get("/write/").text
    drafts, published = page.split('id="section-2"')
    assert drafts.index("New draft") < drafts.index("Old draft")
    assert "Published one" in published and "Published one" not in drafts
    assert re.search(r'href="/write/\d+">New draft</a>', page)


# ---- invalid input: the form comes back with a message beside the field, text intact ----


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "11", "Rate from 0 to 10."),
        ("rating", "-1", "Rate from 0 to 10."),
        ("rating", "abc", "Not a valid decimal value."),
        ("rating", "7.3", "Use whole or half points"),
        ("year", "99999", "Enter a year between 1870 and 2200."),
        ("episodes", "many", "Not a valid integer value."),
        ("title", "", "Give the review a title to publish it."),
        ("title", "\x00\x01\x02", "Give the review a title to publish it."),  # all removed
        ("verdict", "x" * 301, "Field cannot be longer than 300 characters."),
    ],
)
def test_invalid_input_returns_the_form_with_a_message_and_the_text(
    app, client, writer, field, value, message
):
    data = {**FULL_REVIEW, field: value, "action": "publish"}
    response = client.post("/write/new", data=data)
    assert response.status_code == 422
    error = re.search(
        rf'<small id="{field}-error" class="field-error">([^<]*)</small>', response.text
    )
    assert error and message in error.group(1)
    assert "A **fierce** surgeon fights the budget." in response.text
    assert get_review(app) is None


def test_a_five_megabyte_body_is_refused_with_the_text_kept(app, client, writer):
    body = "word " * (1024 * 1024)
    response = client.post("/write/new", data={**FULL_REVIEW, "body": body, "action": "save"})
    assert response.status_code == 422
    assert "The body is limited to 200,000 characters." in response.text
    assert body[:1000] in response.text
    assert get_review(app) is None


def test_invalid_utf8_in_a_form_is_refused_not_a_crash(app, client, writer):
    raw = b"title=Bad+\xff\xfe+bytes&body=kept+text&action=save"
    response = client.post("/write/new", data=raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert "not valid UTF-8" in response.text
    assert "kept text" in response.text


def test_an_unknown_editor_action_is_a_clear_400(client, writer):
    response = client.post("/write/new", data={**FULL_REVIEW, "action": "explode"})
    assert response.status_code == 400
    assert "Unknown editor action." in response.text


def test_editing_a_missing_review_is_404(client, writer):
    assert client.get("/write/999").status_code == 404


# ---- readers ----


def test_index_shows_published_reviews_newest_first_with_their_facts(client, sample_review):
    sample_review("First light", status="published", work_title="Dawn", rating="7", verdict="Calm.")
    sample_review("Second wind", status="published", rating="9.5")
    sample_review("Secret draft")
    page = client.get("/").text
    assert page.index("Second wind") < page.index("First light")
    assert "Secret draft" not in page
    assert "Rating: 7/10" in page and "Rating: 9.5/10" in page
    assert "Calm." in page and "Dawn" in page


def test_index_paginates_twenty_a_page(client, sample_review):
    for n in range(45):
        sample_review(f"Review number {n:02d}", status="published")
    first = client.get("/").text
    assert first.count('class="review-card"') == 20
    assert "Review number 44" in first and "Page 1 of 3" in first
    third = client.get("/?page=3").text
    assert third.count('class="review-card"') == 5 and "Review number 00" in third
    assert client.get("/?page=9").status_code == 404


def test_review_page_lays_out_the_facts_like_the_sample(client, writer, sample_review):
    sample_review(status="published", **{k: v for k, v in FULL_REVIEW.items() if k != "tags"})
    writer.logout()
    page = client.get("/reviews/hospital-nights")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "<dt>Rating</dt><dd>8.5/10. Night shifts never looked this good.</dd>" in text
    assert "<dt>Where to watch</dt><dd>Netflix</dd>" in text
    assert "<dt>Number of episodes</dt><dd>8</dd>" in text
    assert "<dt>Runtime</dt><dd>55 min per episode</dd>" in text
    assert "<h2>Plot</h2>" in page.text
    assert "Draft" not in page.text


def test_a_draft_is_404_for_visitors_and_bannered_for_the_writer(client, writer, sample_review):
    sample_review("Hidden thoughts")
    assert "<strong>Draft</strong>" in client.get("/reviews/hidden-thoughts").text
    writer.logout()
    assert client.get("/reviews/hidden-thoughts").status_code == 404
    assert client.get("/reviews/no-such-review").status_code == 404
