"""Two tabs edit one review: the stale save is refused with both texts, Keep mine or Keep theirs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from journal.editing import new_review, save
from journal.extensions import db
from journal.models import Review


@pytest.fixture
def draft(live_app):
    with live_app.app_context():
        return save(new_review(), {"title": "Night Shift", "body": "Shared start."}).id


def body_in_database(live_app, review_id):
    with live_app.app_context():
        text = db.session.get(Review, review_id).body
        db.session.remove()
        return text


def type_at_end(page, text):
    body = page.get_by_label("Body", exact=True)
    body.press("Control+End")
    body.press_sequentially(text)


def open_two_tabs(writer_page, context, live_server, review_id):
    first = writer_page
    first.goto(f"{live_server.url}/write/{review_id}")
    second = context.new_page()
    second.goto(f"{live_server.url}/write/{review_id}")
    return first, second


def make_conflict(first, second):
    """The first tab saves; the second, still on the old version, tries to save too."""
    type_at_end(first, " Laptop words.")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_role("status")).to_have_text("Saved.")
    type_at_end(second, " Phone words.")
    expect(second.locator("#autosave-status")).to_contain_text("changed in another tab or device")
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.get_by_role("heading", name="Edit conflict", exact=True)).to_be_visible()
    expect(second.get_by_label("Body of the saved version", exact=True)).to_have_value(
        "Shared start. Laptop words."
    )
    expect(second.get_by_label("Body of your version", exact=True)).to_have_value(
        "Shared start. Phone words."
    )


def test_keep_mine(writer_page, context, live_server, live_app, draft):
    first, second = open_two_tabs(writer_page, context, live_server, draft)
    make_conflict(first, second)
    assert body_in_database(live_app, draft) == "Shared start. Laptop words."
    # Copy a passage from theirs into mine, then keep mine.
    mine = second.get_by_label("Body of your version", exact=True)
    mine.press("Control+End")
    mine.press_sequentially(" Laptop words.")
    second.get_by_role("button", name="Keep mine", exact=True).click()
    expect(second.get_by_role("status")).to_have_text(
        "Kept your version. The other one stays in History."
    )
    merged = "Shared start. Phone words. Laptop words."
    expect(second.get_by_label("Body", exact=True)).to_have_value(merged)
    expect(second.locator("#local-copy-offer")).to_be_hidden()
    assert body_in_database(live_app, draft) == merged
    second.get_by_role("link", name="History", exact=True).click()
    expect(second.get_by_role("heading", name="History", exact=True)).to_be_visible()
    expect(second.get_by_role("cell", name=re.compile("Refused as a conflict"))).to_be_visible()


def test_keep_theirs_and_restore_mine_from_history(
    writer_page, context, live_server, live_app, draft
):
    first, second = open_two_tabs(writer_page, context, live_server, draft)
    make_conflict(first, second)
    second.get_by_role("button", name="Keep theirs", exact=True).click()
    expect(second.get_by_role("status")).to_have_text(
        "Kept the saved version. Your text stays in History."
    )
    expect(second.get_by_label("Body", exact=True)).to_have_value("Shared start. Laptop words.")
    expect(second.locator("#local-copy-offer")).to_be_hidden()
    # Changed my mind: the refused text is one Restore away.
    second.get_by_role("link", name="History", exact=True).click()
    row = second.get_by_role("row").filter(has_text="Refused as a conflict")
    row.get_by_role("button", name="Restore", exact=True).click()
    expect(second.get_by_label("Body", exact=True)).to_have_value("Shared start. Phone words.")
    assert body_in_database(live_app, draft) == "Shared start. Phone words."
