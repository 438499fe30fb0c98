"""The cast list in a real browser: built, edited, reordered and deleted in place, then read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from journal.editing import new_review, save
from journal.extensions import db
from journal.models import Character, Review

from ..conftest import WRITER
from .conftest import rendering_only

# Our own demo cast, in the shape writers paste them (bullets, "aka", dashes, a colon).
DEMO_CAST = """\
Cast of the night shift:
- Seo Ji Han (Park Min Jae) – Head of the night shift who *never* sleeps and never loses.
- Lee Bo Ra aka Sparrow (Kim Ha Neul) – The intern who talks faster than she runs.
- Choi Dong-wook aka "Tank" (Lee Jun Seo) - The paramedic with a heart of gold.
- Min Seo Yeon (Jang Na Ri): The anesthetist; few words, all of them right.
- Go Tae Pyeong (Oh Jin-su) — The [board member](https://example.com/board) everyone loves to hate.
"""


@pytest.fixture
def review_id(live_app):
    with live_app.app_context():
        review = save(
            new_review(),
            {
                "title": "Hospital nights – a review",
                "work_title": "Hospital Nights",
                "body": "Night.",
            },
            "published",
        )
        return review.id


@pytest.fixture
def editor(writer_page, live_server, review_id):
    writer_page.goto(f"{live_server.url}/write/{review_id}")
    # Set once: if the page ever reloads, the marker is gone.
    writer_page.evaluate("window.castMarker = 'same page'")
    return writer_page


def cast_section(page):
    return page.get_by_role("region", name="Characters", exact=True)


def character(page, name):
    return page.locator("#character-list > li").filter(
        has=page.locator(".character-name", has_text=re.compile(f"^{re.escape(name)}$"))
    )


def names(page):
    return page.locator("#character-list .character-name")


def button_for(page, name, label):
    """A per-character button: exact name, described by the character's name."""
    return character(page, name).get_by_role("button", name=label, exact=True)


def opened(form):
    """A just-opened form, once htmx has settled it and focused its first field.

    Filling earlier would race the autofocus, which moves the caret to "Name" mid-typing.
    """
    expect(form.locator(":focus")).to_have_count(1)
    return form


def assert_same_page(page):
    assert page.evaluate("window.castMarker") == "same page"


def test_writer_builds_the_whole_cast_and_readers_see_it(editor, browser, live_server):
    page = editor
    section = cast_section(page)

    # 5. Paste five lines; the heading line above them is shown back, not dropped.
    section.locator("summary", has_text="Paste cast list").click()
    section.get_by_label("Cast list", exact=True).fill(DEMO_CAST)
    section.get_by_role("button", name="Read cast list", exact=True).click()
    preview = section.locator(".cast-preview")
    expect(preview.locator("tbody tr")).to_have_count(5)
    expect(preview.locator("tbody tr").nth(1)).to_contain_text("Sparrow")
    expect(preview.locator(".cast-unread")).to_contain_text("Cast of the night shift:")
    expect(names(page)).to_have_count(0)  # only read, nothing saved yet

    section.get_by_role("button", name="Add all", exact=True).click()
    expect(names(page)).to_have_text(
        ["Seo Ji Han", "Lee Bo Ra", "Choi Dong-wook", "Min Seo Yeon", "Go Tae Pyeong"]
    )
    expect(section.get_by_role("status")).to_contain_text("Added 5 characters")
    expect(section.get_by_label("Cast list", exact=True)).to_have_value("Cast of the night shift:")
    expect(character(page, "Choi Dong-wook")).to_contain_text("aka Tank")
    expect(
        character(page, "Go Tae Pyeong").get_by_role("link", name="board member")
    ).to_be_visible()

    # 1. The sixth by hand.
    section.get_by_role("button", name="Add character", exact=True).click()
    form = opened(section.get_by_role("form", name="New character"))
    form.get_by_label("Name", exact=True).fill("Han Mi Rae")
    form.get_by_label("Actor", exact=True).fill("Yoon Se Ah")
    form.get_by_label("Nickname", exact=True).fill("Doc Sunshine")
    form.get_by_label("Notes", exact=True).fill("Smiles through **every** code blue.")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form).to_have_count(0)
    expect(names(page)).to_have_count(6)
    expect(character(page, "Han Mi Rae")).to_contain_text("aka Doc Sunshine")
    expect(character(page, "Han Mi Rae").locator("strong", has_text="every")).to_be_visible()

    # Per-character buttons keep their exact names and get context from the name.
    edit = button_for(page, "Lee Bo Ra", "Edit")
    expect(edit).to_have_accessible_description("Lee Bo Ra")

    # 2. Edit one note.
    edit.click()
    form = opened(section.get_by_role("form", name="Edit Lee Bo Ra"))
    expect(form.get_by_label("Nickname", exact=True)).to_have_value("Sparrow")
    form.get_by_label("Notes", exact=True).fill("The intern who now runs faster than she talks.")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form).to_have_count(0)
    expect(character(page, "Lee Bo Ra")).to_contain_text("now runs faster")

    # 4. Reorder: the sixth moves up twice, the first moves down once.
    button_for(page, "Han Mi Rae", "Move up").click()
    expect(names(page).nth(4)).to_have_text("Han Mi Rae")
    expect(
        page.locator("#character-list > li").nth(4).get_by_role("button", name="Move up")
    ).to_be_focused()
    button_for(page, "Han Mi Rae", "Move up").click()
    expect(names(page).nth(3)).to_have_text("Han Mi Rae")
    button_for(page, "Seo Ji Han", "Move down").click()
    expect(names(page)).to_have_text(
        ["Lee Bo Ra", "Seo Ji Han", "Choi Dong-wook", "Han Mi Rae", "Min Seo Yeon", "Go Tae Pyeong"]
    )

    # 3. Delete one, confirming the browser's dialog.
    page.once("dialog", lambda dialog: dialog.accept())
    button_for(page, "Min Seo Yeon", "Delete").click()
    expect(character(page, "Min Seo Yeon")).to_have_count(0)
    expect(names(page)).to_have_count(5)
    assert_same_page(page)

    # The order survives a reload, and readers see the same cast.
    page.reload()
    expected = ["Lee Bo Ra", "Seo Ji Han", "Choi Dong-wook", "Han Mi Rae", "Go Tae Pyeong"]
    expect(names(page)).to_have_text(expected)
    visitor = browser.new_context()
    try:
        reader = visitor.new_page()
        reader.goto(live_server.url + "/reviews/hospital-nights")
        cast = reader.get_by_role("region", name="Characters", exact=True)
        expect(cast.locator(".character-name")).to_have_text(expected)
        expect(cast.locator("li").nth(0)).to_contain_text("Lee Bo Ra aka Sparrow (Kim Ha Neul)")
        expect(cast.locator("li").nth(0)).to_contain_text("now runs faster")
        expect(cast.locator("li").nth(3).locator("strong", has_text="every")).to_be_visible()
        expect(
            cast.locator("li").nth(4).get_by_role("link", name="board member")
        ).to_have_attribute("rel", "nofollow noopener")
        expect(cast).not_to_contain_text("Min Seo Yeon")
    finally:
        visitor.close()


def test_declining_the_delete_dialog_keeps_the_character(editor, live_app, review_id):
    page = editor
    _add(page, "Seo Ji Han")
    page.once("dialog", lambda dialog: dialog.dismiss())
    button_for(page, "Seo Ji Han", "Delete").click()
    expect(character(page, "Seo Ji Han")).to_have_count(1)
    with live_app.app_context():
        assert db.session.scalar(db.select(db.func.count(Character.id))) == 1


def _add(page, name, **fields):
    section = cast_section(page)
    section.get_by_role("button", name="Add character", exact=True).click()
    form = opened(section.get_by_role("form", name="New character").last)
    form.get_by_label("Name", exact=True).fill(name)
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="Save", exact=True).click()
    expect(character(page, name)).to_have_count(1)


@rendering_only
def test_cancel_escape_and_several_open_forms(editor):
    page = editor
    section = cast_section(page)
    _add(page, "Seo Ji Han", Actor="Park Min Jae")
    _add(page, "Lee Bo Ra", Notes="Fast talker.")

    # Cancel on a new form removes it.
    section.get_by_role("button", name="Add character", exact=True).click()
    new_form = opened(section.get_by_role("form", name="New character"))
    new_form.get_by_label("Name", exact=True).fill("Nobody")
    new_form.get_by_role("button", name="Cancel", exact=True).click()
    expect(new_form).to_have_count(0)
    expect(names(page)).to_have_text(["Seo Ji Han", "Lee Bo Ra"])

    # Two characters open at once; Escape restores one unchanged, the other keeps its text.
    button_for(page, "Seo Ji Han", "Edit").click()
    first = opened(section.get_by_role("form", name="Edit Seo Ji Han"))
    button_for(page, "Lee Bo Ra", "Edit").click()
    second = section.get_by_role("form", name="Edit Lee Bo Ra")
    expect(second.get_by_label("Name", exact=True)).to_be_focused()
    first.get_by_label("Actor", exact=True).fill("Someone Else")
    second.get_by_label("Notes", exact=True).fill("Typed, not saved yet.")
    first.get_by_label("Actor", exact=True).press("Escape")
    expect(first).to_have_count(0)
    expect(character(page, "Seo Ji Han")).to_contain_text("(Park Min Jae)")
    expect(second.get_by_label("Notes", exact=True)).to_have_value("Typed, not saved yet.")

    # Moving a character past an open form leaves that form and its text alone.
    button_for(page, "Seo Ji Han", "Move down").click()
    expect(page.locator("#character-list > li").nth(1).locator(".character-name")).to_have_text(
        "Seo Ji Han"
    )
    expect(second.get_by_label("Notes", exact=True)).to_have_value("Typed, not saved yet.")

    # Cancel restores the display unchanged.
    second.get_by_role("button", name="Cancel", exact=True).click()
    expect(second).to_have_count(0)
    expect(character(page, "Lee Bo Ra")).to_contain_text("Fast talker.")
    assert_same_page(page)


def test_validation_answers_in_place_with_the_text_intact(editor):
    page = editor
    section = cast_section(page)
    section.get_by_role("button", name="Add character", exact=True).click()
    form = opened(section.get_by_role("form", name="New character"))
    form.get_by_label("Actor", exact=True).fill("Kim Ha Neul")
    form.get_by_label("Notes", exact=True).fill("Notes I do not want to lose.")
    with page.expect_response(re.compile(r"/characters$")) as answer:
        form.get_by_role("button", name="Save", exact=True).click()
    assert answer.value.status == 422
    name = form.get_by_label("Name", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("Give the character a name.")
    expect(form.get_by_label("Notes", exact=True)).to_have_value("Notes I do not want to lose.")
    name.fill("Lee Bo Ra")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(character(page, "Lee Bo Ra")).to_contain_text("(Kim Ha Neul)")


def test_a_stale_edit_is_refused_with_both_texts(editor, live_app):
    page = editor
    section = cast_section(page)
    _add(page, "Seo Ji Han", Notes="First note.")
    button_for(page, "Seo Ji Han", "Edit").click()
    form = opened(section.get_by_role("form", name="Edit Seo Ji Han"))
    with live_app.app_context():  # meanwhile, another tab saves
        other = db.session.scalar(db.select(Character))
        other.notes, other.version = "Their note.", other.version + 1
        db.session.commit()
    form.get_by_label("Notes", exact=True).fill("My note.")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form.get_by_role("alert").filter(has_text="changed elsewhere")).to_contain_text(
        "Their note."
    )
    expect(form.get_by_label("Notes", exact=True)).to_have_value("My note.")
    form.get_by_role("button", name="Save", exact=True).click()  # keep mine
    expect(character(page, "Seo Ji Han")).to_contain_text("My note.")


def test_a_failed_request_keeps_the_form_and_says_so(editor, context):
    page = editor
    _add(page, "Seo Ji Han")
    button_for(page, "Seo Ji Han", "Edit").click()
    form = opened(cast_section(page).get_by_role("form", name="Edit Seo Ji Han"))
    form.get_by_label("Notes", exact=True).fill("Typed while offline.")
    context.set_offline(True)
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form.locator("[data-form-message]")).to_contain_text("could not be reached")
    expect(form.get_by_label("Notes", exact=True)).to_have_value("Typed while offline.")
    context.set_offline(False)
    form.get_by_role("button", name="Save", exact=True).click()
    expect(character(page, "Seo Ji Han")).to_contain_text("Typed while offline.")


def test_an_ended_session_keeps_the_form_until_the_writer_logs_in_again(
    editor, context, live_server
):
    page = editor
    _add(page, "Seo Ji Han")
    button_for(page, "Seo Ji Han", "Edit").click()
    form = opened(cast_section(page).get_by_role("form", name="Edit Seo Ji Han"))
    form.get_by_label("Notes", exact=True).fill("Typed while the session ended.")
    context.clear_cookies()
    form.get_by_role("button", name="Save", exact=True).click()
    message = form.locator("[data-form-message]")
    expect(message).to_contain_text("your session has ended")
    assert_same_page(page)  # no redirect to the login page took the text away

    other = context.new_page()
    other.goto(live_server.url + "/login")
    other.get_by_label("Username", exact=True).fill(WRITER[0])
    other.get_by_label("Password", exact=True).fill(WRITER[1])
    other.get_by_role("button", name="Log in", exact=True).click()
    other.wait_for_url(live_server.url + "/write/")
    other.close()

    form.get_by_role("button", name="Save", exact=True).click()
    expect(message).to_contain_text("Press Save again")
    expect(form.get_by_label("Notes", exact=True)).to_have_value("Typed while the session ended.")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(character(page, "Seo Ji Han")).to_contain_text("Typed while the session ended.")
    assert_same_page(page)


def test_everything_works_without_javascript(browser, live_server, review_id, live_app):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/login")
        page.get_by_label("Username", exact=True).fill(WRITER[0])
        page.get_by_label("Password", exact=True).fill(WRITER[1])
        page.get_by_role("button", name="Log in", exact=True).click()
        editor_url = f"{live_server.url}/write/{review_id}"
        page.goto(editor_url)
        section = cast_section(page)

        section.locator("summary", has_text="Paste cast list").click()
        section.get_by_label("Cast list", exact=True).fill(
            "- Seo Ji Han (Park Min Jae) – Night shift.\n- Lee Bo Ra aka Sparrow (Kim Ha Neul)"
        )
        section.get_by_role("button", name="Read cast list", exact=True).click()
        expect(page.locator(".cast-preview tbody tr")).to_have_count(2)
        page.get_by_role("button", name="Add all", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Added 2 characters.")
        expect(names(page)).to_have_text(["Seo Ji Han", "Lee Bo Ra"])

        cast_section(page).get_by_role("button", name="Add character", exact=True).click()
        page.get_by_label("Name", exact=True).fill("Choi Dong-wook")
        page.get_by_label("Nickname", exact=True).fill("Tank")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page).to_have_url(re.compile(r"/write/\d+#character-\d+$"))
        expect(character(page, "Choi Dong-wook")).to_contain_text("aka Tank")

        button_for(page, "Lee Bo Ra", "Edit").click()
        page.get_by_label("Name", exact=True).fill("")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Give the character a name.")).to_be_visible()
        page.get_by_label("Name", exact=True).fill("Lee Bo Ra")
        page.get_by_label("Notes", exact=True).fill("Now in *italics*.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(character(page, "Lee Bo Ra").locator("em")).to_have_text("italics")

        button_for(page, "Choi Dong-wook", "Move up").click()
        expect(names(page)).to_have_text(["Seo Ji Han", "Choi Dong-wook", "Lee Bo Ra"])

        button_for(page, "Seo Ji Han", "Delete").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Delete Seo Ji Han?")
        page.get_by_role("button", name="Delete", exact=True).click()
        expect(names(page)).to_have_text(["Choi Dong-wook", "Lee Bo Ra"])
        with live_app.app_context():
            review = db.session.get(Review, review_id)
            assert [c.name for c in review.characters] == ["Choi Dong-wook", "Lee Bo Ra"]
    finally:
        context.close()


def test_review_text_and_character_text_never_discard_each_other(editor):
    page = editor
    body = page.get_by_label("Body", exact=True)
    body.fill("A review typed but not saved yet.")
    _add(page, "Seo Ji Han")
    expect(body).to_have_value("A review typed but not saved yet.")  # saving a character kept it

    # A character form left open with typed text: the review's "Save" asks before leaving.
    button_for(page, "Seo Ji Han", "Edit").click()
    form = opened(cast_section(page).get_by_role("form", name="Edit Seo Ji Han"))
    form.get_by_label("Notes", exact=True).fill("Typed into the character.")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    # Save first makes sure the session holds (a token fetch), then leaves: wait for the ask.
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Save", exact=True).first.click()
    expect(form.get_by_label("Notes", exact=True)).to_have_value("Typed into the character.")
    assert dialogs == ["beforeunload"]
    assert_same_page(page)


@rendering_only
def test_focus_follows_the_inline_forms(editor):
    page = editor
    section = cast_section(page)
    section.get_by_role("button", name="Add character", exact=True).click()
    form = opened(section.get_by_role("form", name="New character"))
    expect(form.get_by_label("Name", exact=True)).to_be_focused()
    form.get_by_label("Name", exact=True).fill("Seo Ji Han")
    form.get_by_label("Name", exact=True).press("Enter")
    expect(button_for(page, "Seo Ji Han", "Edit")).to_be_focused()
    button_for(page, "Seo Ji Han", "Edit").press("Enter")
    form = opened(section.get_by_role("form", name="Edit Seo Ji Han"))
    expect(form.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(button_for(page, "Seo Ji Han", "Edit")).to_be_focused()
