"""The reviewer's record: watch status, episodes seen, sub-scores, spoilers, facts."""

from __future__ import annotations

import feedparser
import pytest
import sqlalchemy as sa

from journal import exchange, importing
from journal.archives import Source, SourceFile
from journal.extensions import db
from journal.models import Review

RECORD = {
    "title": "Heroes on call",
    "work_title": "The Trauma Code",
    "episodes": "16",
    "rating": "8.5",
    "story_score": "9",
    "acting_score": "9.5",
    "music_score": "7",
    "rewatch_score": "6",
    "watch_status": "Completed",
    "episodes_seen": "8",
    "network": "Netflix Korea",
    "country": "South Korea",
    "director": "Lee Do Yoon",
    "screenwriter": "Choi Tae Kang",
    "body": "Baek Gang Hyeok arrives in **episode 1**.",
}


def publish(client, data, review_id=None):
    url = f"/write/{review_id}" if review_id else "/write/new"
    return client.post(url, data={**data, "action": "publish"})


def review_page(client, slug="the-trauma-code"):
    response = client.get(f"/reviews/{slug}")
    assert response.status_code == 200
    return response.text


def test_the_record_is_saved_from_the_editor_and_shown_to_readers(app, client, writer):
    assert publish(client, RECORD).status_code == 303
    writer.logout()
    page = review_page(client)
    assert "Reviewed after episode 8 of 16" in page
    assert "Completed" in page
    for label, value in (("Story", "9"), ("Acting/Cast", "9.5"), ("Music", "7"),
                         ("Rewatch value", "6"), ("Overall", "8.5")):  # fmt: skip
        assert f'<th scope="row">{label}</th>' in page
        assert f'<meter min="0" max="10" value="{value}"' in page
    for fact in ("Netflix Korea", "South Korea", "Lee Do Yoon", "Choi Tae Kang"):
        assert fact in page
    assert "Contains spoilers" not in page


def test_the_editor_shows_the_record_fields_with_their_words(client, writer):
    page = client.get("/write/new").text
    labels = ("Watch status", "Episodes seen", "Contains spoilers", "Story", "Acting/Cast", "Music",
              "Rewatch value", "Network", "Country", "Director", "Screenwriter")  # fmt: skip
    for label in labels:
        assert f"{label}</label>" in page, label
    assert '<option value="On-Hold">On-Hold</option>' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("story_score", "10.3", "Rate Story from 0 to 10."),
        ("acting_score", "-1", "Rate Acting/Cast from 0 to 10."),
        ("music_score", "8.3", "Use whole or half points"),
        ("rewatch_score", "lots", "Not a valid decimal value"),
        ("episodes_seen", "20", "Episodes seen (20) cannot be more than the 16 episodes."),
        ("episodes_seen", "-2", "Enter the episodes seen, from 0."),
        ("watch_status", "Binged", "Choose one of the watch statuses."),
    ],
)
def test_a_bad_record_value_is_refused_with_the_text_kept(client, writer, field, value, message):
    response = client.post("/write/new", data={**RECORD, field: value, "action": "save"})
    assert response.status_code == 422
    assert message in response.text
    assert "Baek Gang Hyeok arrives in **episode 1**." in response.text
    assert 'value="Lee Do Yoon"' in response.text


def test_dropped_says_where_the_writer_stopped(client, writer):
    publish(client, {**RECORD, "watch_status": "Dropped", "episodes_seen": "5"})
    page = review_page(client)
    assert "Dropped at episode 5" in page and "Dropped at episode 5 of" not in page


def test_a_later_save_that_raises_episodes_seen_says_updated(app, client, writer):
    publish(client, RECORD)
    with app.app_context():
        review_id = db.session.scalar(sa.select(Review.id))
    assert publish(client, {**RECORD, "episodes_seen": "16"}, review_id).status_code == 303
    assert "Reviewed after episode 8 of 16 · Updated after episode 16" in review_page(client)


def test_a_draft_saved_with_a_count_then_published_reads_reviewed_after_it(app, client, writer):
    client.post("/write/new", data={**RECORD, "episodes_seen": "4", "action": "save"})
    with app.app_context():
        review_id = db.session.scalar(sa.select(Review.id))
    publish(client, {**RECORD, "episodes_seen": "6"}, review_id)
    page = review_page(client)
    assert "Reviewed after episode 6 of 16" in page and "Updated" not in page


def test_a_flagged_review_warns_readers_before_the_body(client, writer):
    publish(client, {**RECORD, "contains_spoilers": "y"})
    page = review_page(client)
    assert page.index("Contains spoilers.") < page.index("Baek Gang Hyeok arrives")


def test_no_spoiler_reaches_a_feed_or_the_meta_description(client, writer):
    publish(client, {**RECORD, "contains_spoilers": "y", "verdict": "Trauma care, loudly."})
    body = "Fine start.\n\n::: spoiler\nThe director dies in episode 7.\n:::\n\nA good end."
    publish(client, {**RECORD, "work_title": "Second", "body": body})
    writer.logout()
    feed = client.get("/feed.atom").text
    assert "Baek Gang Hyeok arrives" not in feed
    assert "This review contains spoilers" in feed
    assert "The director dies" not in feed
    assert "A spoiler is hidden here" in feed and "A good end." in feed
    entries = feedparser.parse(feed).entries
    assert {e.title for e in entries} == {"Heroes on call"}
    assert all("Baek Gang Hyeok" not in e.summary for e in entries)
    page = review_page(client)
    assert '<meta name="description" content="Trauma care, loudly.">' in page
    assert "The director dies" in review_page(client, "second")  # readers of the page see it


def test_autosave_keeps_the_record(app, client, writer):
    response = client.post(
        "/write/autosave",
        data={**RECORD, "editor": "tab-aaaaaaaa", "contains_spoilers": "y"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    with app.app_context():
        review = db.session.scalar(sa.select(Review))
        assert (review.watch_status, review.episodes_seen, review.contains_spoilers) == (
            "Completed", 8, True
        )  # fmt: skip
        assert str(review.acting_score) == "9.5"


def test_the_record_exports_in_designs_order(app, client, writer):
    publish(client, {**RECORD, "contains_spoilers": "y"})
    with app.app_context():
        text = exchange.export_review(db.session.scalar(sa.select(Review)))
    front = text.split("\n---\n")[0]
    expected = (
        "rating: 8.5\nrating_scale: 10\nscores: {story: 9, acting: 9.5, music: 7, rewatch: 6}\n"
        "watch_status: Completed\nepisodes_seen: 8\ncontains_spoilers: true\n"
        "network: Netflix Korea\ncountry: South Korea\ndirector: Lee Do Yoon\n"
        "screenwriter: Choi Tae Kang\n"
    )
    assert expected in front + "\n"


def plan_of(app, front: str) -> importing.ImportPlan:
    text = f"---\ntitle: Imported\ndate: 2025-02-07\nepisodes: 16\n{front}---\nBody.\n"
    with app.app_context():
        return importing.plan_import(Source([SourceFile("reviews/imported.md", text.encode())], []))


def test_import_reads_the_record_and_repairs_what_is_harmless(app):
    plan = plan_of(
        app,
        "scores: {story: 8, acting: 9.3, Music: 7}\nwatch_status: on hold\nepisodes_seen: 20\n"
        "contains_spoilers: 'yes'\nnetwork: tvN\n",
    )
    assert plan.ok, plan.errors
    fields = plan.items[0].record.fields
    assert str(fields["story_score"]) == "8.0" and str(fields["acting_score"]) == "9.5"
    assert str(fields["music_score"]) == "7.0" and fields["rewatch_score"] is None
    assert fields["watch_status"] == "On-Hold"
    assert fields["contains_spoilers"] is True and fields["network"] == "tvN"
    assert fields["episodes_seen"] is None
    warnings = " ".join(plan.warnings)
    assert "Episodes seen (20) cannot be more than the 16 episodes." in warnings
    assert "kept as 9.5" in warnings


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("scores: {story: 11}\n", "“scores story” is out of range"),
        ("scores: 8\n", "“scores” must be a mapping"),
        ("episodes_seen: many\n", "“episodes_seen” must be a whole number"),
    ],
)
def test_import_names_a_record_value_it_cannot_read(app, front, message):
    plan = plan_of(app, front)
    assert not plan.ok
    assert message in plan.errors[0][1]


def test_an_unknown_watch_status_is_a_warning_not_a_refusal(app):
    plan = plan_of(app, "watch_status: Binged\n")
    assert plan.ok and plan.items[0].record.fields["watch_status"] is None
    assert any("Binged" in w for w in plan.warnings)


def test_search_shows_no_piece_of_a_flagged_body(client, writer):
    publish(client, {**RECORD, "contains_spoilers": "y", "verdict": "Loud and kind."})
    writer.logout()
    page = client.get("/search?q=arrives").text
    assert "Heroes on call" in page  # found by its body
    assert "Loud and kind." in page and "(contains spoilers)" in page
    assert "Baek Gang Hyeok" not in page


def test_history_writes_the_record_in_words(app, client, writer):
    from journal.diffs import snapshot_lines
    from journal.models import Revision

    publish(client, {**RECORD, "contains_spoilers": "y"})
    client.post("/write/1", data={**RECORD, "action": "save"})  # the flag taken off
    with app.app_context():
        first, second = (snapshot_lines(r.data) for r in db.session.scalars(sa.select(Revision)))
    assert "Contains spoilers: yes" in first and "Acting/Cast: 9.5" in first
    assert "Watch status: Completed" in first
    assert not [line for line in second if line.startswith("Contains spoilers")]
    assert "Contains spoilers" in client.get("/write/1/history?from=1&to=2").text  # in the diff
