"""Back after Log out, with Chromium's back/forward cache on as in desktop Chrome, asks the
server again: neither the dashboard nor a draft's editor comes back from memory."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from journal.editing import new_review, save

from .conftest import CHROMIUM

DRAFT_TITLE = "Letters never sent"
DRAFT_BODY = "Only the writer has read this."


@pytest.fixture(scope="module")
def bfcache_browser(browser):
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        ignore_default_args=["--disable-back-forward-cache"],  # Playwright turns it off
    )
    yield launched
    launched.close()


@pytest.fixture
def bfcache_page(bfcache_browser):
    context = bfcache_browser.new_context()
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_back_after_log_out_shows_no_writer_page(bfcache_page, live_server, live_app):
    with live_app.app_context():
        draft_id = save(new_review(), {"title": DRAFT_TITLE, "body": DRAFT_BODY}, None).id
    page = bfcache_page
    page.goto(live_server.url + "/login")
    page.get_by_label("Username", exact=True).fill("writer")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(live_server.url + "/write/")
    expect(page.get_by_text(DRAFT_TITLE)).to_be_visible()
    page.goto(f"{live_server.url}/write/{draft_id}")
    expect(page.get_by_label("Body", exact=True)).to_have_value(DRAFT_BODY)

    page.get_by_role("button", name="Log out", exact=True).click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_text("You are logged out.")).to_be_visible()

    page.go_back(wait_until="commit")  # the editor (from memory, were it cached: no "load")
    expect(page).to_have_url(f"{live_server.url}/login?next=/write/{draft_id}")
    assert DRAFT_BODY not in page.content()
    page.go_back(wait_until="commit")  # the dashboard
    expect(page).to_have_url(f"{live_server.url}/login?next=/write/")
    assert DRAFT_TITLE not in page.content()
