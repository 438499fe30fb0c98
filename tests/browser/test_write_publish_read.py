"""The foundation's end-to-end flow: log in, write, preview, publish, read as a visitor."""

import re

from playwright.sync_api import expect


def test_writer_writes_previews_publishes_and_a_visitor_reads(writer_page, browser, live_server):
    page = writer_page
    page.get_by_role("link", name="New review", exact=True).click()
    page.wait_for_url("**/write/new")  # loaded: htmx has bound the editor
    page.get_by_label("Title", exact=True).fill("Hospital nights – a review")
    page.get_by_label("Work title", exact=True).fill("Hospital Nights")
    page.get_by_label("Original title", exact=True).fill("병원의 밤")
    page.get_by_label("Type", exact=True).fill("drama")
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_label("Where to watch", exact=True).fill("Netflix")
    page.get_by_label("Episodes", exact=True).fill("8")
    page.get_by_label("Runtime (minutes)", exact=True).fill("55")
    page.get_by_label("Rating", exact=True).fill("8.5")
    page.get_by_label("Verdict", exact=True).fill("Night shifts never looked this good.")
    page.get_by_label("Body", exact=True).fill(
        "## Plot\n\nA **fierce** surgeon.\n\n<b>not bold</b>"
    )

    url_before = page.url
    page.get_by_role("button", name="Preview", exact=True).click()
    preview = page.get_by_role("region", name="Preview", exact=True)
    expect(preview.locator("strong")).to_have_text("fierce")
    expect(preview).to_contain_text("<b>not bold</b>")
    assert page.url == url_before  # previewed in place, nothing saved yet

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Published.")
    expect(page.get_by_role("button", name="Unpublish", exact=True)).to_be_visible()
    page.get_by_role("link", name="View", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reviews/hospital-nights$"))
    review_url = page.url

    visitor = browser.new_context()
    try:
        reader = visitor.new_page()
        reader.goto(live_server.url + "/")
        reader.get_by_role("link", name="Hospital nights – a review", exact=True).click()
        assert reader.url == review_url
        expect(reader.get_by_role("heading", level=1)).to_have_text("Hospital nights – a review")
        expect(reader.locator(".review-body h2")).to_have_text("Plot")
        expect(reader.locator(".facts")).to_contain_text("8.5/10")
        expect(reader.locator(".facts")).to_contain_text("Netflix")
        expect(reader.locator(".facts")).to_contain_text("55 min")
        expect(reader.get_by_text("Draft")).to_have_count(0)
    finally:
        visitor.close()
