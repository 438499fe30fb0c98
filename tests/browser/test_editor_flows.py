"""The editor as a new writer meets it, in Chromium (issue 11): nothing typed is lost.

The journal here autosaves 150 ms after the last keystroke (AUTOSAVE_DELAY_MS), so the tests
wait for the status line, never for time.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from journal import revisions
from journal.editing import new_review, save
from journal.extensions import db
from journal.models import Character, Review, Tag
from journal.writers import set_writer_password

from ..conftest import WRITER
from .conftest import LiveServer, rendering_only

SAVED = re.compile(r"^Saved \d\d:\d\d$")


@pytest.fixture
def live_app(make_app):
    app = make_app(TESTING=False, AUTOSAVE_DELAY_MS=150)
    with app.app_context():
        set_writer_password(*WRITER)
    return app


def make_review(app, status=None, **fields):
    with app.app_context():
        data = {"title": "Night Shift", "body": "The first paragraph.", **fields}
        return save(new_review(), data, status).id


def in_database(app, review_id):
    with app.app_context():
        review = db.session.get(Review, review_id)
        found = {
            "title": review.title,
            "slug": review.slug,
            "body": review.body,
            "status": review.status,
            "tags": [t.name for t in review.tags],
        }
        db.session.remove()
        return found


def all_genres(app):
    with app.app_context():
        names = db.session.scalars(sa.select(Tag.name).order_by(Tag.key)).all()
        db.session.remove()
        return names


def status(page):
    return page.locator("#autosave-status")


def log_in(page):
    page.get_by_label("Username", exact=True).fill(WRITER[0])
    page.get_by_label("Password", exact=True).fill(WRITER[1])
    page.get_by_role("button", name="Log in", exact=True).click()


# 2 ------------------------------------------------------------------------------------------


def test_reopening_a_published_review_with_a_pending_autosave_and_pressing_save(
    writer_page, live_server, live_app
):
    review_id = make_review(live_app, "published", body="Published words.")
    with live_app.app_context():
        review = db.session.get(Review, review_id)
        data = {"title": "Night Shift", "body": "Published words, and an autosaved ending."}
        revisions.autosave(review, data, review.version, "tab-earlier1")
        db.session.remove()
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}")
    expect(page.get_by_role("note")).to_contain_text("press Save to publish it")
    expect(page.get_by_label("Body", exact=True)).to_have_value(
        "Published words, and an autosaved ending."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_role("note")).to_have_count(0)
    assert in_database(live_app, review_id)["body"] == "Published words, and an autosaved ending."
    page.goto(f"{live_server.url}/reviews/night-shift")
    expect(page.locator(".review-body")).to_have_text("Published words, and an autosaved ending.")


# 3 ------------------------------------------------------------------------------------------


def test_typing_after_a_genre_adds_one_only_at_a_separator(writer_page, live_server, live_app):
    review_id = make_review(live_app, tags="K-drama")
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}")
    tags = page.get_by_label("Tags", exact=True)
    expect(tags).to_have_value("K-drama, ")
    tags.click()
    tags.press("End")
    tags.press_sequentially("Myst")
    expect(status(page)).to_have_text(SAVED)
    assert in_database(live_app, review_id)["tags"] == ["K-drama"]
    assert all_genres(live_app) == ["K-drama"]
    with page.expect_response("**/write/autosave"):
        tags.press("Enter")  # Enter makes the genre being typed, like a comma
    expect(tags).to_have_value("K-drama, Myst, ")
    expect(page.locator(".tag-chips .tag")).to_have_count(2)
    expect(status(page)).to_have_text(SAVED)
    assert page.url.endswith(f"/write/{review_id}")  # it did not submit the review
    expect(page.get_by_role("status")).to_have_count(0)  # no "Saved." flash from a submit
    assert in_database(live_app, review_id)["tags"] == ["K-drama", "Myst"]


# 4 ------------------------------------------------------------------------------------------


def test_writing_the_body_first_saves_an_untitled_draft(writer_page, live_server, live_app):
    page = writer_page
    page.get_by_role("link", name="New review", exact=True).click()
    page.wait_for_url("**/write/new")  # loaded: htmx has bound the editor
    page.get_by_label("Body", exact=True).fill("Words before a title.")  # one autosave
    expect(status(page)).to_have_text(
        re.compile(r"^Saved \d\d:\d\d as an untitled draft — give it a title to publish it\.$")
    )
    expect(page).to_have_url(re.compile(r"/write/\d+$"))
    review_id = int(page.url.rsplit("/", 1)[1])
    assert in_database(live_app, review_id)["body"] == "Words before a title."
    expect(page.locator("#editor-header .status")).to_have_text("Draft · untitled")
    page.get_by_label("Title", exact=True).fill("Night Shift")
    expect(status(page)).to_have_text(SAVED)
    saved = in_database(live_app, review_id)
    assert saved["title"] == "Night Shift" and saved["slug"] == "night-shift"
    expect(page.get_by_role("link", name="View", exact=True)).to_have_attribute(
        "href", "/reviews/night-shift"
    )


# 5 ------------------------------------------------------------------------------------------


def test_the_first_autosave_turns_the_page_into_the_reviews_editor(
    writer_page, live_server, live_app
):
    page = writer_page
    page.get_by_role("link", name="New review", exact=True).click()
    page.wait_for_url("**/write/new")  # loaded: htmx has bound the editor
    expect(page.get_by_role("heading", name="New review", exact=True)).to_be_visible()
    cast = page.get_by_role("region", name="Characters", exact=True)
    expect(cast).to_contain_text("Save the review once")
    page.evaluate("window.samePage = true")
    page.get_by_label("Title", exact=True).fill("Night Shift")
    page.get_by_label("Body", exact=True).press_sequentially("First words.")
    expect(status(page)).to_have_text(SAVED)
    expect(page.get_by_role("heading", name="Edit review", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/write/\d+$"))
    expect(page).to_have_title("Edit: Night Shift · Review Journal")
    review_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("link", name="History", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Delete", exact=True)).to_have_attribute(
        "href", f"/write/{review_id}/delete"
    )
    # The cast is open at once: a character is added without any reload.
    cast.get_by_role("button", name="Add character", exact=True).click()
    cast.get_by_label("Name", exact=True).fill("Seo Ji Han")
    cast.get_by_role("button", name="Save", exact=True).click()
    expect(cast.locator(".character-name")).to_have_text(["Seo Ji Han"])
    assert page.evaluate("window.samePage") is True
    with live_app.app_context():
        assert db.session.scalars(sa.select(Character.review_id)).all() == [review_id]
        db.session.remove()


# 8 ------------------------------------------------------------------------------------------


@pytest.fixture
def slow_autosave_server(make_app):
    """A journal whose autosave waits a minute: Save is what the writer presses."""
    app = make_app(TESTING=False, AUTOSAVE_DELAY_MS=60_000)
    with app.app_context():
        set_writer_password(*WRITER)
    server = LiveServer(app)
    yield server
    server.stop()


def test_save_after_the_session_ended_stays_then_saves_after_a_new_login(
    page, context, slow_autosave_server
):
    server, app = slow_autosave_server, slow_autosave_server.app
    review_id = make_review(app)
    page.goto(server.url + "/login")
    log_in(page)
    page.goto(f"{server.url}/write/{review_id}")
    body = page.get_by_label("Body", exact=True)
    body.press("Control+End")
    body.press_sequentially(" Typed while the session ended.")
    context.clear_cookies()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(status(page)).to_have_text(
        "Not saved — your session has ended. Log in again in another tab, then press Save "
        "here; your text stays."
    )
    assert page.url == f"{server.url}/write/{review_id}"
    expect(body).to_have_value("The first paragraph. Typed while the session ended.")
    other = context.new_page()
    other.goto(server.url + "/login")
    log_in(other)
    expect(other).to_have_url(server.url + "/write/")
    other.close()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert in_database(app, review_id)["body"] == (
        "The first paragraph. Typed while the session ended."
    )


# 9 ------------------------------------------------------------------------------------------


def test_a_pasted_control_character_is_removed_and_counted(writer_page, live_server, live_app):
    review_id = make_review(live_app)
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}")
    page.get_by_label("Body", exact=True).fill("From Word\x0bwith a bell\x07.")
    expect(status(page)).to_have_text(
        re.compile(r"^Saved \d\d:\d\d \(1 invisible control character removed\)$")
    )
    assert in_database(live_app, review_id)["body"] == "From Word\nwith a bell."


# 7 ------------------------------------------------------------------------------------------


def test_cast_reader_reads_plain_cast_lines_and_offers_to_skip_repeats(
    writer_page, live_server, live_app
):
    review_id = make_review(live_app)
    with live_app.app_context():
        db.session.add(Character(review_id=review_id, name="Seo Ji Han", position=1, version=1))
        db.session.commit()
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}")
    cast = page.get_by_role("region", name="Characters", exact=True)
    cast.locator("summary", has_text="Paste cast list").click()
    cast.get_by_label("Cast list", exact=True).fill(
        "Main cast\n- Seo Ji Han (Park Min Jae) – never sleeps\n"
        "Lee Bo Ra aka Sparrow (Kim Ha Neul): talks fast\n"
    )
    cast.get_by_role("button", name="Read cast list", exact=True).click()
    expect(cast.locator(".cast-preview caption")).to_have_text("Understood: 2 characters")
    expect(cast.locator(".cast-unread")).to_contain_text("Main cast")
    expect(cast.locator(".cast-known")).to_have_text(
        "1 of these is already in the cast: Seo Ji Han."
    )
    skip = cast.get_by_label("Skip the names already in the cast", exact=True)
    expect(skip).to_be_checked()
    cast.get_by_role("button", name="Add all", exact=True).click()
    expect(cast.get_by_role("status")).to_contain_text(
        "Added 1 character, skipped 1 already in the cast"
    )
    expect(cast.locator("#character-list .character-name")).to_have_text(
        ["Seo Ji Han", "Lee Bo Ra"]
    )


# 12 -----------------------------------------------------------------------------------------


def move_buttons(page, name):
    row = page.locator("#character-list > li").filter(has_text=name)
    return (
        row.get_by_role("button", name="Move up", exact=True),
        row.get_by_role("button", name="Move down", exact=True),
    )


def test_move_up_and_down_are_disabled_at_the_ends_as_the_cast_changes(
    writer_page, live_server, live_app
):
    review_id = make_review(live_app)
    with live_app.app_context():
        for position, name in enumerate(["Seo Ji Han", "Lee Bo Ra"], start=1):
            db.session.add(Character(review_id=review_id, name=name, position=position, version=1))
        db.session.commit()
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}")
    up, down = move_buttons(page, "Seo Ji Han")
    expect(up).to_be_disabled()
    expect(down).to_be_enabled()
    up2, down2 = move_buttons(page, "Lee Bo Ra")
    expect(up2).to_be_enabled()
    expect(down2).to_be_disabled()
    down.click()  # Seo Ji Han moves to the end
    expect(page.locator("#character-list .character-name")).to_have_text(
        ["Lee Bo Ra", "Seo Ji Han"]
    )
    expect(move_buttons(page, "Seo Ji Han")[1]).to_be_disabled()
    expect(move_buttons(page, "Lee Bo Ra")[0]).to_be_disabled()
    expect(move_buttons(page, "Lee Bo Ra")[1]).to_be_enabled()
    cast = page.get_by_role("region", name="Characters", exact=True)
    cast.get_by_role("button", name="Add character", exact=True).click()
    cast.get_by_label("Name", exact=True).fill("Choi Dong-wook")
    cast.get_by_role("button", name="Save", exact=True).click()
    expect(move_buttons(page, "Choi Dong-wook")[1]).to_be_disabled()
    expect(move_buttons(page, "Seo Ji Han")[1]).to_be_enabled()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#character-list > li").filter(has_text="Choi Dong-wook").get_by_role(
        "button", name="Delete", exact=True
    ).click()
    expect(page.locator("#character-list .character-name")).to_have_count(2)
    expect(move_buttons(page, "Seo Ji Han")[1]).to_be_disabled()


def colour(locator, prop):
    return locator.evaluate(f"e => getComputedStyle(e)['{prop}']")


def is_red(rgb: str) -> bool:
    r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    return r > 1.5 * g and r > 1.5 * b


@rendering_only
def test_delete_is_a_quiet_danger_action_last_in_its_row(writer_page, live_server, live_app):
    review_id = make_review(live_app, tags="Medical")
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}")
    actions = page.get_by_role("group", name="Review actions")
    delete = actions.get_by_role("button", name="Delete", exact=True)
    save_button = actions.get_by_role("button", name="Save", exact=True)
    assert is_red(colour(delete, "color")) and is_red(colour(delete, "borderTopColor"))
    assert colour(delete, "backgroundColor") in ("rgba(0, 0, 0, 0)", "transparent")
    assert colour(save_button, "backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    boxes = [b.bounding_box() for b in actions.locator("button, [role=button]").all()]
    delete_box = delete.bounding_box()
    assert all(delete_box["x"] >= b["x"] for b in boxes)  # last in the row
    # The same quiet danger style in the genre manager's rows.
    page.get_by_role("link", name="Manage genres", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Medical")
    genre_delete = row.get_by_role("button", name="Delete", exact=True)
    assert is_red(colour(genre_delete, "color"))
    assert colour(genre_delete, "backgroundColor") in ("rgba(0, 0, 0, 0)", "transparent")
    rename = row.get_by_role("button", name="Rename", exact=True)
    assert genre_delete.bounding_box()["x"] > rename.bounding_box()["x"]


def test_unpublish_asks_first_and_cancel_keeps_the_text(writer_page, live_server, live_app):
    review_id = make_review(live_app, "published")
    page = writer_page
    page.goto(f"{live_server.url}/reviews/night-shift")
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/write/{review_id}")
    page.get_by_label("Verdict", exact=True).fill("Typed just before unpublishing.")
    page.get_by_role("button", name="Unpublish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unpublish “Night Shift”?")
    assert in_database(live_app, review_id)["status"] == "published"
    page.get_by_role("button", name="Cancel", exact=True).click()
    expect(page.get_by_label("Verdict", exact=True)).to_have_value(
        "Typed just before unpublishing."
    )
    page.get_by_role("button", name="Unpublish", exact=True).click()
    page.get_by_role("button", name="Unpublish", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Unpublished: it is a draft again.")
    assert in_database(live_app, review_id)["status"] == "draft"


def test_restore_on_a_published_review_asks_first(writer_page, live_server, live_app):
    review_id = make_review(live_app, "published", body="Old words.")
    with live_app.app_context():
        save(db.session.get(Review, review_id), {"title": "Night Shift", "body": "New words."})
        db.session.remove()
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}/history")
    page.get_by_role("button", name="Restore", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Restore the text of")
    assert in_database(live_app, review_id)["body"] == "New words."
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Restored the text of")
    assert in_database(live_app, review_id)["body"] == "Old words."


@rendering_only
def test_drafts_in_the_menu_shows_the_drafts(writer_page, live_server, live_app):
    make_review(live_app, title="Unfinished")
    make_review(live_app, "published", title="Out there")
    page = writer_page
    page.get_by_role("link", name="Drafts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drafts")
    expect(page.get_by_role("link", name="Unfinished", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Out there", exact=True)).to_have_count(0)
