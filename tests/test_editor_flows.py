"""The editor as a new writer meets it (issue 11): pending autosaves, genres typed half-way,
untitled drafts, the first autosave, an ended session, control characters, writer affordances."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from journal.extensions import db
from journal.models import Review, Tag

from .conftest import WRITER, csrf_token_from

HTMX = {"HX-Request": "true"}


def editor_fields(page: str) -> dict[str, str]:
    """What the editor form would send as it stands: inputs, the textarea, hidden state."""
    form = re.search(r'<form method="post" id="review-form".*?</form>', page, re.S).group(0)
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = html.unescape(text.removeprefix("\r\n").removeprefix("\n"))
    return fields


def autosave(client, review_id="", version="", **fields):
    data = {"review_id": str(review_id), "version": str(version), "editor": "tab-aaaaaaaa"}
    data.update({"title": "Night Shift", "body": "Words.", **fields})
    return client.post("/write/autosave", data=data, headers=HTMX)


def stored(app, review_id) -> Review:
    with app.app_context():
        review = db.session.get(Review, review_id)
        review.tag_names = [t.name for t in review.tags]
        db.session.expunge_all()
        return review


def tag_names(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(sa.select(Tag.name).order_by(Tag.key)).all()


# 2. A pending autosave is what the editor opens with, and what Save publishes -------------


def test_reopened_published_review_holds_the_pending_text_and_save_publishes_it(
    app, client, writer, sample_review
):
    review_id = sample_review("Night Shift", status="published", body="Published text.")
    pending = autosave(client, review_id, 1, body="Autosaved, not yet published.", tags="Medical,")
    assert "press Save to update the published review" in pending.text
    assert stored(app, review_id).body == "Published text."
    # A name still being typed never costs the pending text a finished genre.
    autosave(client, review_id, 1, body="Autosaved, not yet published.", tags="Medical, Dra")

    page = client.get(f"/write/{review_id}").text
    assert "is not on the published review yet: press Save to publish it" in page
    fields = editor_fields(page)
    assert fields["body"] == "Autosaved, not yet published."
    assert fields["tags"] == "Medical, "
    client.post(f"/write/{review_id}", data={**fields, "action": "save"})
    review = stored(app, review_id)
    assert review.body == "Autosaved, not yet published." and review.tag_names == ["Medical"]
    assert review.status == "published"
    assert "not on the published review yet" not in client.get(f"/write/{review_id}").text


# 3. Genres: made by a separator or a save, never by an autosave's pause -------------------


def test_autosave_never_turns_a_half_typed_name_into_a_genre(app, client, writer, sample_review):
    review_id = sample_review("Night Shift", tags="K-drama")
    assert editor_fields(client.get(f"/write/{review_id}").text)["tags"] == "K-drama, "
    # The caret was put at the end of "K-drama" and "Myst" typed: the autosave keeps K-drama.
    assert autosave(client, review_id, 1, tags="K-dramaMyst").status_code == 200
    assert stored(app, review_id).tag_names == ["K-drama"]
    assert tag_names(app) == ["K-drama"]
    assert autosave(client, review_id, 2, tags="K-drama, Myst").status_code == 200
    assert stored(app, review_id).tag_names == ["K-drama"]
    # A comma makes the genre; so does Save with a name left unfinished.
    autosave(client, review_id, 3, tags="K-drama, Mystery, ")
    assert stored(app, review_id).tag_names == ["K-drama", "Mystery"]
    # Names finished with a comma apply even while another is being typed.
    autosave(client, review_id, 4, tags="K-drama, Mystery, Thriller, Rom")
    assert stored(app, review_id).tag_names == ["K-drama", "Mystery", "Thriller"]
    autosave(client, review_id, 5, tags="K-drama, Mystery, ")
    # Deleting a genre's text (ending on a genre the review has) is applied at once.
    autosave(client, review_id, 6, tags="K-drama")
    assert stored(app, review_id).tag_names == ["K-drama"]
    client.post(
        f"/write/{review_id}",
        data={"title": "Night Shift", "tags": "K-drama, Thriller", "version": "7"},
    )
    assert stored(app, review_id).tag_names == ["K-drama", "Thriller"]


def test_a_genre_left_with_no_review_disappears(app, client, writer, sample_review):
    first = sample_review("One", tags="Medical, Typo")
    second = sample_review("Two", tags="Medical")
    client.post(f"/write/{first}", data={"title": "One", "tags": "Medical", "action": "save"})
    assert tag_names(app) == ["Medical"]
    assert "Typo" not in client.get("/write/tags/").text
    autosave(client, second, 1, tags="Medical, Fresh, ")
    assert tag_names(app) == ["Fresh", "Medical"]
    autosave(client, second, 2, tags="Medical, ")
    assert tag_names(app) == ["Medical"]
    client.post(f"/write/{first}/delete")
    client.post(f"/write/{second}/delete")
    assert tag_names(app) == []


def test_merge_asks_which_genre_to_keep_with_no_default(app, client, writer, sample_review):
    sample_review("One", tags="Melodrama, Medical")
    with app.app_context():
        melo = db.session.scalar(sa.select(Tag.id).where(Tag.name == "Melodrama"))
    page = client.get(f"/write/tags/{melo}/merge").text
    assert '<label for="target">Genre to keep</label>' in page
    assert not re.search(r"<option selected value=\"\d", page)  # no genre chosen for you
    assert 'value="">Choose the genre to keep</option>' in page
    refused = client.post(f"/write/tags/{melo}/merge", data={"target": ""})
    assert refused.status_code == 422 and "Choose the genre to keep." in refused.text
    assert tag_names(app) == ["Medical", "Melodrama"]


# 4. The body before a title: saved as an untitled draft, and never silent -----------------


def test_body_before_a_title_saves_an_untitled_draft_that_becomes_real_with_a_title(
    app, client, writer
):
    response = autosave(client, title="", body="Words before any title.")
    assert response.status_code == 200
    assert "as an untitled draft — give it a title to publish it." in response.text
    with app.app_context():
        review = db.session.scalar(sa.select(Review))
        review_id, slug = review.id, review.slug
    assert stored(app, review_id).body == "Words before any title."
    assert "Untitled" in client.get("/write/").text
    autosave(client, review_id, 1, title="Night Shift", body="Words before any title.")
    review = stored(app, review_id)
    assert review.title == "Night Shift" and review.slug == "night-shift" != slug
    # Publishing still needs a title, and says so beside the field.
    refused = client.post(
        f"/write/{review_id}", data={"title": "", "version": "2", "action": "publish"}
    )
    assert refused.status_code == 422 and "Give the review a title to publish it." in refused.text


# 5. The first autosave turns the page into that review's editor ---------------------------


def test_first_autosave_answers_with_the_reviews_own_editor_parts(app, client, writer):
    response = autosave(client, title="Night Shift", body="First words.")
    with app.app_context():
        review_id = db.session.scalar(sa.select(Review.id))
    assert response.headers["HX-Replace-Url"] == f"/write/{review_id}"
    text = response.text
    assert '<header class="editor-header" id="editor-header"' in text
    assert "<h1>Edit review</h1>" in text and 'data-page-title="Edit: Night Shift' in text
    assert f'data-action="/write/{review_id}"' in text
    assert re.search(r'<section id="characters"[^>]*data-hx-swap-oob="true"', text)
    assert f'data-hx-get="/write/{review_id}/characters/new"' in text
    assert f'href="/write/{review_id}/delete"' in text
    # Later autosaves keep the header current but leave the cast alone.
    later = autosave(client, review_id, 1, title="Night Shift", body="More.").text
    assert 'id="editor-header"' in later and 'id="characters"' not in later


# 8. An ended session: the 400 page explains ------------------------------------------------


def test_save_after_the_session_ended_explains_without_javascript(csrf_app, sample_review):
    client = csrf_app.test_client()
    from journal.writers import set_writer_password

    with csrf_app.app_context():
        set_writer_password(*WRITER)
    token = csrf_token_from(client.get("/login").text)
    client.post("/login", data={"username": WRITER[0], "password": WRITER[1], "csrf_token": token})
    with csrf_app.app_context():
        from journal.editing import new_review, save

        review_id = save(new_review(), {"title": "Night Shift", "body": "Saved."}).id
    page = client.get(f"/write/{review_id}").text
    token = csrf_token_from(page)
    client.delete_cookie("session")  # the session ends while the writer types
    response = client.post(
        f"/write/{review_id}",
        data={"title": "Night Shift", "body": "Typed later.", "csrf_token": token},
        headers={"Referer": f"http://localhost/write/{review_id}"},
    )
    assert response.status_code == 400
    assert "Not saved: your session has ended" in response.text
    assert "the editor offers back the text this browser kept" in response.text
    assert f'href="/login?next=/write/{review_id}">Log in again</a>' in response.text


# 9. Control characters are normalized, and the page says how many were removed ------------


def test_control_characters_are_normalized_and_counted(app, client, writer):
    response = client.post(
        "/write/new",
        data={
            "title": "Night\x00 Shift",
            "verdict": "Tense\x0band kind",
            "body": "Line one\x0bline two\x0cpage two\x00\x01 end\ttab",
            "action": "save",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Saved. 3 invisible control characters removed." in response.text
    with app.app_context():
        review = db.session.scalar(sa.select(Review))
        assert review.title == "Night Shift"
        assert review.verdict == "Tense and kind"
        assert review.body == "Line one\nline two\npage two end\ttab"
    status = autosave(client, review.id, 1, body="Pasted\x07 from Word\x0bhere").text
    assert re.search(r"Saved \d\d:\d\d \(1 invisible control character removed\)", status)


def test_character_and_cast_forms_normalize_control_characters(app, client, writer, sample_review):
    review_id = sample_review("Night Shift")
    response = client.post(
        f"/write/{review_id}/characters",
        data={"name": "Bad\x00name", "notes": "one\x0btwo", "key": "abc123"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Badname" in response.text
    assert "1 invisible control character removed." in response.text
    read = client.post(
        f"/write/{review_id}/characters/paste/read",
        data={"cast_list": "- Kim\x00 Ha Neul (Actor\x01 One)"},
        headers=HTMX,
    )
    assert "<td>Kim Ha Neul</td>" in read.text and "Actor One" in read.text
    assert "2 invisible control characters removed from the pasted text." in read.text


# 12. Writer affordances ---------------------------------------------------------------------


def test_writer_sees_edit_on_a_published_review_and_readers_do_not(client, writer, sample_review):
    review_id = sample_review("Night Shift", status="published")
    page = client.get("/reviews/night-shift").text
    assert f'<a href="/write/{review_id}" class="writer-edit">Edit</a>' in page
    writer.logout()
    assert "Edit</a>" not in client.get("/reviews/night-shift").text


def test_drafts_in_the_menu_shows_only_drafts(client, writer, sample_review):
    sample_review("A draft")
    sample_review("Out there", status="published")
    page = client.get("/write/").text
    link = re.search(r'<a href="([^"]+)">Drafts</a>', page).group(1)
    drafts = client.get(html.unescape(link)).text
    assert "<h1>Drafts</h1>" in drafts and "A draft" in drafts and "Out there" not in drafts


def test_restore_on_a_published_review_asks_first(app, client, writer, sample_review):
    review_id = sample_review("Night Shift", status="published", body="Old words.")
    client.post(
        f"/write/{review_id}",
        data={"title": "Night Shift", "body": "New words.", "version": "1", "action": "save"},
    )
    with app.app_context():
        from journal.models import Revision

        first = db.session.scalar(sa.select(sa.func.min(Revision.id)))
    asked = client.post(f"/write/{review_id}/history/{first}/restore")
    assert asked.status_code == 200 and "Restore the text of" in asked.text
    assert "readers see the restored text at once" in asked.text
    assert stored(app, review_id).body == "New words."
    done = client.post(f"/write/{review_id}/history/{first}/restore", data={"confirmed": "yes"})
    assert done.status_code == 303 and stored(app, review_id).body == "Old words."


def test_a_used_setup_link_says_it_was_used(client, writer):
    response = client.get("/setup/some-old-token")
    assert response.status_code == 404
    assert "This setup link was already used" in response.text


def test_too_many_logins_say_when_to_try_again(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, LOGIN_ATTEMPTS_PER_MINUTE=2)
    client = app.test_client()
    statuses = [
        client.post("/login", data={"username": "x", "password": "wrong"}) for _ in range(4)
    ]
    response = statuses[-1]  # the limit's 2 a minute are spent, and the next slot is not due
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])  # one more try every 60/2 seconds
    assert 1 <= seconds <= 30
    assert re.search(rf"Try again at \d\d:\d\d:\d\d \(in {seconds} seconds\)\.", response.text)


@pytest.mark.parametrize(
    "path", ["/", "/reviews/night-shift", "/write/", "/write/{id}/history", "/write/{id}"]
)
def test_one_date_format_everywhere(client, writer, sample_review, path):
    review_id = sample_review("Night Shift", status="published")
    client.post(
        f"/write/{review_id}",
        data={"title": "Night Shift", "body": "More.", "version": "1", "action": "save"},
    )
    autosave(client, review_id, 2, body="Pending.")  # the editor's pending note has a date
    page = client.get(path.format(id=review_id)).text
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    dates = re.findall(r"\b\d{1,2} (?:[A-Z][a-z]{2,8})\b(?:,? \d{4})?(?:, \d\d:\d\d)?", page)
    assert dates, f"no date on {path}"
    for found in dates:
        assert re.fullmatch(rf"\d{{1,2}} (?:{months}) \d{{4}}(?:, \d\d:\d\d)?", found), found
