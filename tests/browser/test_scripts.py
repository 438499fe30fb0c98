"""Which scripts a page loads, and the one way a failed request reaches the writer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from journal.editing import new_review, save

EDITOR_SCRIPTS = ("editor.js", "tags.js", "characters.js")
BUSY = "<!doctype html><title>Busy</title><p>The journal is busy; try again in a moment.</p>"


@pytest.fixture
def published(live_app):
    with live_app.app_context():
        review = save(
            new_review(), {"title": "Night Shift", "work_title": "Night Shift", "body": "Night."},
            "published",
        )
        return review.id, review.slug


def loaded_scripts(page, url):
    """The script files the browser fetched for one page."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.rsplit("/", 1)[-1]))
    page.goto(url)
    page.wait_for_load_state("load")
    return [name for name in fetched if name.endswith(".js")]


def test_a_public_page_loads_none_of_the_editors_scripts(page, live_server, published):
    for path in ("/", f"/reviews/{published[1]}", "/search?q=night"):
        scripts = loaded_scripts(page, live_server.url + path)
        assert "app.js" in scripts and any(name.startswith("htmx-") for name in scripts)
        assert not set(EDITOR_SCRIPTS) & set(scripts), (path, scripts)


def test_the_editor_loads_its_scripts(writer_page, live_server, published):
    scripts = loaded_scripts(writer_page, f"{live_server.url}/write/{published[0]}")
    assert set(EDITOR_SCRIPTS) <= set(scripts)


def test_a_refused_inline_save_is_reported_once_beside_its_form(
    writer_page, live_server, published
):
    page = writer_page
    page.goto(f"{live_server.url}/write/{published[0]}")
    section = page.get_by_role("region", name="Characters", exact=True)
    section.get_by_role("button", name="Add character", exact=True).click()
    form = section.get_by_role("form", name="New character").last
    expect(form.locator(":focus")).to_have_count(1)
    form.get_by_label("Name", exact=True).fill("Seo Ji Han")
    page.route(
        re.compile(r".*/characters(/.*)?$"),
        lambda route: route.fulfill(status=503, content_type="text/html", body=BUSY)
        if route.request.method == "POST" else route.continue_(),
    )
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form.locator("[data-form-message]")).to_have_text(
        "The journal is busy; try again in a moment."
    )
    expect(form.get_by_label("Name", exact=True)).to_have_value("Seo Ji Han")
    expect(page.locator("#messages .flash-error")).to_have_count(0)  # not a second time


def test_a_refused_autosave_is_reported_once_in_the_status_line(
    writer_page, live_server, published
):
    page = writer_page
    page.goto(f"{live_server.url}/write/{published[0]}")
    page.route(
        "**/write/autosave",
        lambda route: route.fulfill(status=503, content_type="text/html", body=BUSY),
    )
    field = page.get_by_label("Body", exact=True)
    field.press("Control+End")
    field.press_sequentially(" More.")
    expect(page.locator("#autosave-status")).to_have_text("Not saved — retrying")
    expect(page.locator("#messages .flash-error")).to_have_count(0)
    expect(field).to_have_value("Night. More.")


def test_a_failed_request_elsewhere_on_the_editor_goes_to_the_message_box(
    writer_page, live_server, published
):
    page = writer_page
    page.goto(f"{live_server.url}/write/{published[0]}")
    page.route(
        "**/preview",
        lambda route: route.fulfill(status=503, content_type="text/html", body=BUSY),
    )
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator("#messages .flash-error")).to_have_text(
        "The journal is busy; try again in a moment."
    )
    expect(page.get_by_role("alert")).to_have_count(1)
