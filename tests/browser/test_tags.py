"""The editor's "Tags" field: pick a suggested genre with the keyboard and with the mouse."""

import re

from playwright.sync_api import expect

from journal.editing import new_review, save


def seed(live_app):
    with live_app.app_context():
        save(new_review(), {"title": "Old one", "tags": "Medical, Melodrama"}, "published")
        save(new_review(), {"title": "Draft one", "tags": "Medical"})


def test_pick_a_suggested_genre_with_the_keyboard(writer_page, live_app, live_server):
    seed(live_app)
    page = writer_page
    page.get_by_role("link", name="New review", exact=True).click()
    page.wait_for_url("**/write/new")  # loaded: htmx has bound the editor
    page.get_by_label("Title", exact=True).fill("Ward rounds")
    tags = page.get_by_label("Tags", exact=True)
    tags.press_sequentially("Thriller, me")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    # Counts include drafts for the writer; names that start with what was typed come first.
    expect(listbox.get_by_role("option").first).to_have_text("Medical (2)")
    tags.press("ArrowDown")
    tags.press("ArrowDown")
    expect(listbox.get_by_role("option", name="Melodrama (1)")).to_have_attribute(
        "aria-selected", "true"
    )
    tags.press("ArrowUp")
    tags.press("Enter")  # picks the genre; does not submit the review
    expect(tags).to_have_value("Thriller, Medical, ")
    expect(page.get_by_role("listbox")).to_have_count(0)
    chips = page.get_by_role("list", name="Chosen genres")
    expect(chips.get_by_role("listitem")).to_have_count(2)
    expect(chips).to_contain_text("Medical")

    # The mouse works too.
    tags.press_sequentially("melo")
    page.get_by_role("option", name="Melodrama (1)").click()
    expect(tags).to_have_value("Thriller, Medical, Melodrama, ")

    # A chip's remove button takes the genre out of the field.
    chips.get_by_role("listitem").filter(has_text="Thriller").get_by_role(
        "button", name="Remove"
    ).click()
    expect(tags).to_have_value("Medical, Melodrama, ")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_label("Tags", exact=True)).to_have_value("Medical, Melodrama, ")
    page.get_by_role("link", name="View", exact=True).click()
    page.get_by_role("link", name="Melodrama", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tags/melodrama$"))


def test_manage_genres_rename_and_merge(writer_page, live_app, live_server):
    seed(live_app)
    page = writer_page
    page.get_by_role("link", name="Manage genres", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Melodrama")
    row.get_by_role("button", name="Rename", exact=True).click()
    page.get_by_label("New name", exact=True).fill("Melo")
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Renamed “Melodrama” to “Melo”.")
    page.get_by_role("row").filter(has_text="Melo").get_by_role(
        "button", name="Merge", exact=True
    ).click()
    page.get_by_label("Genre to keep", exact=True).select_option(label="Medical")
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Merged “Melo” into “Medical” (1 review).")
    expect(page.get_by_role("row").filter(has_text="Melo")).to_have_count(0)
