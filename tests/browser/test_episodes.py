"""Episode notes and diary viewings in a real browser: added, edited and deleted in place on the
editor page, a refused value answered beside the form with the text kept, then read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from journal.editing import new_review, save
from journal.extensions import db
from journal.models import EpisodeNote, Viewing

from ..conftest import WRITER


@pytest.fixture
def review_id(live_app):
    with live_app.app_context():
        data = {"title": "Hospital nights", "work_title": "Hospital Nights", "body": "Night."}
        return save(new_review(), data, "published").id


@pytest.fixture
def editor(writer_page, live_server, review_id):
    writer_page.goto(f"{live_server.url}/write/{review_id}")
    writer_page.evaluate("window.sameMarker = 'same page'")  # gone if the page ever reloads
    return writer_page


def opened(form):
    """A just-opened form once htmx has settled it and focused its first field."""
    expect(form.locator(":focus")).to_have_count(1)
    return form


def assert_same_page(page):
    assert page.evaluate("window.sameMarker") == "same page"


def notes_section(page):
    return page.get_by_role("region", name="Episode notes", exact=True)


def diary_section(page):
    return page.get_by_role("region", name="Diary", exact=True)


def note_item(page, episode):
    return page.locator("#episode-note-list > li").filter(
        has=page.locator(".episode-number", has_text=re.compile(f"^Episode {episode}$"))
    )


def add_note(page, episode, **fields):
    section = notes_section(page)
    section.get_by_role("button", name="Add episode note", exact=True).click()
    form = opened(section.get_by_role("form", name="New episode note").last)
    form.get_by_label("Episode", exact=True).fill(str(episode))
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="Save", exact=True).click()
    return form


def test_writer_adds_edits_and_deletes_episode_notes(editor, browser, live_server, live_app):
    page = editor
    section = notes_section(page)
    form = add_note(
        page, 3, **{"Episode title": "The storm", "Episode rating": "8.5", "Notes": "*Tense.*"}
    )
    expect(form).to_have_count(0)
    expect(note_item(page, 3)).to_contain_text("The storm")
    expect(note_item(page, 3)).to_contain_text("8.5/10")
    expect(note_item(page, 3).locator("em", has_text="Tense.")).to_be_visible()
    add_note(page, 1, Notes="Slow start.")
    expect(note_item(page, 1)).to_contain_text("Slow start.")

    edit = note_item(page, 3).get_by_role("button", name="Edit", exact=True)
    expect(edit).to_have_accessible_description("Episode 3")
    edit.click()
    form = opened(section.get_by_role("form", name="Edit episode 3"))
    expect(form.get_by_label("Episode rating", exact=True)).to_have_value("8.5")
    form.get_by_label("Notes", exact=True).fill("Tense, then **tender**.")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form).to_have_count(0)
    expect(note_item(page, 3).locator("strong", has_text="tender")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    delete = note_item(page, 1).get_by_role("button", name="Delete", exact=True)
    expect(delete).to_have_accessible_description("Episode 1")
    delete.click()
    expect(note_item(page, 1)).to_have_count(0)
    assert_same_page(page)
    with live_app.app_context():
        assert db.session.scalars(db.select(EpisodeNote.episode)).all() == [3]

    visitor = browser.new_context()
    try:
        reader = visitor.new_page()
        reader.goto(live_server.url + "/reviews/hospital-nights")
        notes = reader.get_by_role("region", name="Episode notes", exact=True)
        expect(notes.locator("li")).to_have_count(1)
        expect(notes).to_contain_text("Episode 3 The storm 8.5/10")
        expect(notes.locator("strong", has_text="tender")).to_be_visible()
    finally:
        visitor.close()


def viewing_item(page, text):
    return page.locator("#viewing-list > li").filter(has_text=text)


def test_writer_adds_edits_and_deletes_viewings(editor, browser, live_server, live_app):
    page = editor
    section = diary_section(page)
    section.get_by_role("button", name="Add viewing", exact=True).click()
    form = opened(section.get_by_role("form", name="New viewing"))
    form.get_by_label("Date watched", exact=True).fill("2025-02-14")
    form.get_by_label("Note", exact=True).fill("With popcorn")
    form.get_by_label("Viewing rating", exact=True).fill("8")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form).to_have_count(0)
    line = "Watched 14 February 2025 · 8/10 — With popcorn"
    expect(viewing_item(page, line)).to_have_count(1)

    edit = viewing_item(page, line).get_by_role("button", name="Edit", exact=True)
    expect(edit).to_have_accessible_description(line)
    edit.click()
    form = opened(section.get_by_role("form", name="Edit the viewing of 14 February 2025"))
    expect(form.get_by_label("Date watched", exact=True)).to_have_value("2025-02-14")
    form.get_by_label("Rewatch", exact=True).check()
    form.get_by_label("Date watched", exact=True).fill("2025-03-01")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form).to_have_count(0)
    line = "Watched 1 March 2025 · rewatch · 8/10 — With popcorn"
    expect(viewing_item(page, line)).to_have_count(1)

    section.get_by_role("button", name="Add viewing", exact=True).click()
    form = opened(section.get_by_role("form", name="New viewing"))
    form.get_by_label("Date watched", exact=True).fill("2025-01-01")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(viewing_item(page, "Watched 1 January 2025")).to_have_count(1)

    visitor = browser.new_context()
    try:
        reader = visitor.new_page()
        reader.goto(live_server.url + "/diary")
        expect(reader.locator(".diary-page li")).to_have_text(
            [
                f"Hospital nights: {line}",
                "Hospital nights: Watched 1 January 2025",
            ]
        )
        reader.get_by_role("link", name="Hospital nights").first.click()
        diary = reader.get_by_role("region", name="Diary", exact=True)
        expect(diary.locator("li")).to_have_text(["Watched 1 January 2025", line])
    finally:
        visitor.close()

    page.once("dialog", lambda dialog: dialog.accept())
    viewing_item(page, "Watched 1 January 2025").get_by_role("button", name="Delete").click()
    expect(viewing_item(page, "Watched 1 January 2025")).to_have_count(0)
    assert_same_page(page)
    with live_app.app_context():
        assert len(db.session.scalars(db.select(Viewing)).all()) == 1


def test_a_refused_note_answers_in_place_with_the_text_kept(editor):
    page = editor
    add_note(page, 2, Notes="The first note.")
    expect(note_item(page, 2)).to_have_count(1)
    with page.expect_response(re.compile(r"/episodes$")) as answer:
        form = add_note(page, 2, **{"Episode title": "Again", "Notes": "Words I keep."})
    assert answer.value.status == 422
    episode = form.get_by_label("Episode", exact=True)
    expect(episode).to_have_attribute("aria-invalid", "true")
    expect(episode).to_have_accessible_description("Episode 2 already has a note.")
    expect(form.get_by_label("Notes", exact=True)).to_have_value("Words I keep.")
    expect(form.get_by_label("Episode title", exact=True)).to_have_value("Again")
    episode.fill("4")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(note_item(page, 4)).to_contain_text("Words I keep.")
    assert_same_page(page)


def test_without_javascript_the_forms_are_pages(browser, live_server, review_id):
    """The same flow with scripts off: POST, redirect, GET."""
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/login")
    page.get_by_label("Username", exact=True).fill(WRITER[0])
    page.get_by_label("Password", exact=True).fill(WRITER[1])
    page.get_by_role("button", name="Log in", exact=True).click()
    page.goto(f"{live_server.url}/write/{review_id}")
    diary_section(page).get_by_role("button", name="Add viewing", exact=True).click()
    expect(page.get_by_role("heading", name="Add viewing")).to_be_visible()
    page.get_by_label("Date watched", exact=True).fill("2025-02-14")
    page.get_by_label("Rewatch", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Added the viewing of 14 February 2025."
    )
    expect(diary_section(page)).to_contain_text("Watched 14 February 2025 · rewatch")
    page.context.close()
