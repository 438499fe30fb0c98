"""Search from the navigation, then live results as one types; the URL follows."""

import re

from playwright.sync_api import expect

from journal.editing import new_review, save


def test_live_search(page, live_app, live_server):
    with live_app.app_context():
        save(
            new_review(),
            {"title": "Lantern festival", "body": "paper <b>lanterns</b>"},
            "published",
        )
        save(new_review(), {"title": "Harbour lights", "body": "a quiet harbour"}, "published")
        save(new_review(), {"title": "Hidden lantern", "body": "draft"})
    page.goto(live_server.url + "/")
    search = page.get_by_role("searchbox", name="Search", exact=True)
    search.fill("lantern")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=lantern$"))  # loaded: htmx binds the live search
    results = page.get_by_role("region", name="Search results")
    expect(results.get_by_role("link", name="Lantern festival")).to_be_visible()
    expect(results.get_by_text("Hidden lantern")).to_have_count(0)

    # Typing updates the results in place (debounced) and the address with them.
    search = page.get_by_role("searchbox", name="Search", exact=True)
    search.fill("harb")
    expect(results.get_by_role("link", name="Harbour lights")).to_be_visible()
    expect(results.get_by_role("link", name="Lantern festival")).to_have_count(0)
    expect(results.locator("mark").first).to_have_text(re.compile("harb", re.I))
    expect(page).to_have_url(re.compile(r"/search\?q=harb$"))

    search.fill('"NEAR(*')
    expect(results).to_contain_text("No reviews match")
