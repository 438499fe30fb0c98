"""Autosave in a browser: status line, retry, an expired session, the unsaved-changes prompt."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from journal.editing import new_review, save
from journal.extensions import db
from journal.models import Review

from ..conftest import WRITER

SAVED = re.compile(r"^Saved \d\d:\d\d$")


@pytest.fixture
def draft(live_app):
    with live_app.app_context():
        return save(new_review(), {"title": "Night Shift", "body": "The first paragraph."}).id


def body_in_database(live_app, review_id):
    with live_app.app_context():
        text = db.session.get(Review, review_id).body
        db.session.remove()
        return text


def type_at_end(page, label, text):
    field = page.get_by_label(label, exact=True)
    field.press("Control+End")
    field.press_sequentially(text)


def status(page):
    return page.locator("#autosave-status")


def log_in(page, live_server):
    page.get_by_label("Username", exact=True).fill(WRITER[0])
    page.get_by_label("Password", exact=True).fill(WRITER[1])
    page.get_by_role("button", name="Log in", exact=True).click()


def test_first_autosave_creates_the_draft_and_the_page_follows(writer_page, live_server, live_app):
    page = writer_page
    page.get_by_role("link", name="New review", exact=True).click()
    page.wait_for_url("**/write/new")  # loaded: htmx has bound the editor
    page.get_by_label("Title", exact=True).fill("Autosaved drama")
    page.get_by_label("Body", exact=True).press_sequentially("Typed, never saved by hand.")
    expect(status(page)).to_have_text(SAVED)
    expect(page).to_have_url(re.compile(r"/write/\d+$"))
    review_id = int(page.url.rsplit("/", 1)[1])
    assert body_in_database(live_app, review_id) == "Typed, never saved by hand."
    # Later typing goes to the same review, and the Save button saves it, not a second one.
    type_at_end(page, "Body", " More.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert page.url.endswith(f"/write/{review_id}")
    assert body_in_database(live_app, review_id) == "Typed, never saved by hand. More."
    with live_app.app_context():
        assert db.session.query(Review).count() == 1
        db.session.remove()
    expect(page.get_by_role("link", name="History", exact=True)).to_be_visible()


def test_a_failed_autosave_says_so_and_retries(writer_page, live_server, live_app, draft):
    page = writer_page
    page.goto(f"{live_server.url}/write/{draft}")
    page.route("**/write/autosave", lambda route: route.abort())
    type_at_end(page, "Body", " Offline words.")
    expect(status(page)).to_have_text("Not saved — retrying")
    page.unroute("**/write/autosave")
    expect(status(page)).to_have_text(SAVED)
    assert body_in_database(live_app, draft) == "The first paragraph. Offline words."


def test_expired_session_keeps_the_text_across_a_reload(
    writer_page, context, live_server, live_app, draft
):
    page = writer_page
    page.goto(f"{live_server.url}/write/{draft}")
    context.clear_cookies()  # the session ends while the writer types
    type_at_end(page, "Body", " Words typed after it ended.")
    expect(status(page)).to_have_text(
        "Not saved — log in again (in another tab). Your text stays here."
    )
    expect(page.get_by_label("Body", exact=True)).to_have_value(
        "The first paragraph. Words typed after it ended."
    )
    page.reload()  # lands on the login page; the browser kept a copy
    log_in(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/write/{draft}")
    expect(page.get_by_label("Body", exact=True)).to_have_value("The first paragraph.")
    page.get_by_role("button", name="Restore unsaved text", exact=True).click()
    expect(page.get_by_label("Body", exact=True)).to_have_value(
        "The first paragraph. Words typed after it ended."
    )
    expect(status(page)).to_have_text(SAVED)
    assert body_in_database(live_app, draft) == "The first paragraph. Words typed after it ended."


def test_after_logging_in_again_in_another_tab_save_works_at_once(
    writer_page, context, live_server, live_app, draft
):
    page = writer_page
    page.goto(f"{live_server.url}/write/{draft}")
    context.clear_cookies()
    type_at_end(page, "Body", " Still here.")
    expect(status(page)).to_contain_text("log in again (in another tab)")
    other = context.new_page()
    other.goto(f"{live_server.url}/login")
    log_in(other, live_server)
    expect(other).to_have_url(f"{live_server.url}/write/")
    other.close()
    # The editor fetches a fresh CSRF token for the new session, then saves.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert body_in_database(live_app, draft) == "The first paragraph. Still here."


def test_leaving_with_unsaved_changes_asks_first(writer_page, live_server, live_app, draft):
    page = writer_page
    page.goto(f"{live_server.url}/write/{draft}")
    page.route("**/write/autosave", lambda route: route.abort())  # keep the change unsaved
    type_at_end(page, "Body", " Unsaved.")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("link", name="Drafts", exact=True).click(no_wait_after=True)
    expect(page.get_by_label("Body", exact=True)).to_have_value("The first paragraph. Unsaved.")
    page.wait_for_function("() => true")  # let the dialog handler run
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/write/{draft}")
    # Saving by hand is leaving on purpose: no question.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    page.get_by_role("link", name="Drafts", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/write/?status=draft")


def test_save_during_the_first_autosave_makes_one_review(writer_page, live_server, live_app):
    page = writer_page
    page.goto(f"{live_server.url}/write/new")
    held = []
    page.route("**/write/autosave", lambda route: held.append(route))  # it hangs on its way
    page.get_by_label("Title", exact=True).fill("Race")
    with page.expect_request("**/write/autosave"):
        page.get_by_label("Body", exact=True).press_sequentially("Quick words.")
    page.get_by_role("button", name="Save", exact=True).click(no_wait_after=True)
    held[0].continue_()
    page.unroute("**/write/autosave")
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page).to_have_url(re.compile(r"/write/\d+$"))
    with live_app.app_context():
        assert [r.body for r in db.session.query(Review)] == ["Quick words."]
        db.session.remove()
