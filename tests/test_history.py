"""History page, Restore, the 409 conflict view, the autosave endpoint and the token endpoint."""

from __future__ import annotations

import re

import sqlalchemy as sa

from journal.editing import new_review, save
from journal.extensions import db
from journal.models import Review, Revision
from journal.writers import set_writer_password

from .conftest import WRITER, csrf_token_from

HTMX = {"HX-Request": "true"}


def editor_state(html: str) -> dict[str, str]:
    state = re.search(r'<div id="editor-state".*?</div>', html, re.S).group(0)
    return dict(re.findall(r'name="(\w+)" (?:id="\w+" )?value="([^"]*)"', state))


def review(app, review_id) -> Review:
    with app.app_context():
        found = db.session.get(Review, review_id)
        db.session.expunge_all()
        return found


def revision_kinds(app, review_id) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            sa.select(Revision.kind).where(Revision.review_id == review_id).order_by(Revision.id)
        ).all()


def editor_post(client, review_id, body, version, editor="tab-aaaaaaaa", action="save", **more):
    data = {"title": "Night Shift", "body": body, "version": str(version), "editor": editor}
    data.update(action=action, **more)
    return client.post(f"/write/{review_id}", data=data)


def autosave(client, body, review_id="", version="", editor="tab-aaaaaaaa", **more):
    data = {"review_id": str(review_id), "version": str(version), "editor": editor}
    data.update({"title": "Night Shift", "body": body, **more})
    return client.post("/write/autosave", data=data, headers=HTMX)


# History ----------------------------------------------------------------------------------


def test_editor_links_to_history_which_lists_revisions(client, writer, sample_review):
    review_id = sample_review("Night Shift", body="First words.")
    editor = client.get(f"/write/{review_id}").text
    assert f'<a href="/write/{review_id}/history">History</a>' in editor
    editor_post(client, review_id, "First words, and second ones.", 1)
    page = client.get(f"/write/{review_id}/history")
    assert page.status_code == 200
    assert page.text.count(">Restore</button>") == 2
    assert '>+4</span> <span class="removed">−1</span> words' in page.text
    assert "current text" in page.text


def test_history_diff_between_any_two_revisions(client, writer, sample_review, app):
    review_id = sample_review("Night Shift", body="A fierce surgeon.")
    editor_post(client, review_id, "A gentle surgeon.", 1)
    editor_post(client, review_id, "A gentle surgeon. The end.", 2)
    with app.app_context():
        ids = db.session.scalars(sa.select(Revision.id).order_by(Revision.id)).all()
    page = client.get(f"/write/{review_id}/history?from={ids[0]}&to={ids[2]}").text
    # Before and after side by side: the old word struck in one column, the new one in the next.
    assert '<div class="diff-old">A <del>fierce</del> surgeon.' in page
    assert '<div class="diff-new">A <ins>gentle</ins> surgeon.<ins> The end.</ins></div>' in page
    assert client.get(f"/write/{review_id}/history?from={ids[0]}&to=x").status_code == 400
    other = sample_review("Another")
    assert client.get(f"/write/{other}/history?from={ids[0]}&to={ids[1]}").status_code == 404


def test_diff_escapes_user_text(client, writer, sample_review, app):
    review_id = sample_review("Night Shift", body="plain")
    editor_post(client, review_id, "<script>alert(1)</script>", 1)
    with app.app_context():
        ids = db.session.scalars(sa.select(Revision.id).order_by(Revision.id)).all()
    page = client.get(f"/write/{review_id}/history?from={ids[0]}&to={ids[1]}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_restore_brings_back_an_old_text_as_a_new_revision(client, writer, sample_review, app):
    review_id = sample_review("Night Shift", body="The original text.")
    editor_post(client, review_id, "A rewrite I regret.", 1)
    with app.app_context():
        first = db.session.scalar(sa.select(Revision.id).order_by(Revision.id))
    response = client.post(f"/write/{review_id}/history/{first}/restore")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/write/{review_id}"
    assert review(app, review_id).body == "The original text."
    assert revision_kinds(app, review_id) == ["save", "save", "restore"]
    assert "Nothing was removed from History" in client.get(f"/write/{review_id}").text


def test_history_and_restore_need_the_writer(client, app, sample_review):
    review_id = sample_review("Night Shift")
    assert client.get(f"/write/{review_id}/history").status_code == 302
    assert client.post(f"/write/{review_id}/history/1/restore").status_code == 302
    assert review(app, review_id).version == 1


def login_with_csrf(client):
    token = csrf_token_from(client.get("/login").text)
    data = {"username": WRITER[0], "password": WRITER[1], "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302


def test_restore_needs_a_csrf_token(csrf_app):
    with csrf_app.app_context():
        set_writer_password(*WRITER)
        review_id = save(new_review(), {"title": "T", "body": "b"}).id
    client = csrf_app.test_client()
    login_with_csrf(client)
    response = client.post(f"/write/{review_id}/history/1/restore")
    assert response.status_code == 400 and "CSRF" in response.text


# Conflicts --------------------------------------------------------------------------------


def test_a_stale_save_gets_409_with_both_texts_and_keeps_mine_in_history(
    client, writer, sample_review, app
):
    review_id = sample_review("Night Shift", body="Base text.")
    assert (
        editor_post(client, review_id, "Saved on the laptop.", 1, "tab-laptop1").status_code == 303
    )
    response = editor_post(client, review_id, "Typed on the phone.", 1, "tab-phone11")
    assert response.status_code == 409
    assert "Saved on the laptop." in response.text and "Typed on the phone." in response.text
    assert ">Keep mine</button>" in response.text and ">Keep theirs</button>" in response.text
    assert review(app, review_id).body == "Saved on the laptop."
    assert revision_kinds(app, review_id) == ["save", "save", "conflict"]


def test_keep_mine_saves_my_text(client, writer, sample_review, app):
    review_id = sample_review("Night Shift", body="Base text.")
    editor_post(client, review_id, "Theirs.", 1, "tab-laptop1")
    page = editor_post(client, review_id, "Mine.", 1, "tab-phone11", action="publish").text
    action = re.search(r'action="([^"]+/mine)"', page).group(1)
    response = client.post(action, data={"theirs_version": "2"})
    assert response.status_code == 303
    saved = review(app, review_id)
    assert saved.body == "Mine." and saved.is_published
    assert "Kept your version." in client.get(f"/write/{review_id}").text
    # A second press, from the same (now stale) view, is a conflict again, not an overwrite.
    assert client.post(action, data={"theirs_version": "2"}).status_code == 409


def test_keep_mine_after_copying_from_both(client, writer, sample_review, app):
    review_id = sample_review("Night Shift", body="Base text.")
    editor_post(client, review_id, "Theirs.", 1, "tab-laptop1")
    page = editor_post(client, review_id, "Mine.", 1, "tab-phone11").text
    assert 'form="keep-mine-form"' in page
    action = re.search(r'action="([^"]+/mine)"', page).group(1)
    bad = client.post(action, data={"theirs_version": "2", "body": "x" * 200_001})
    assert bad.status_code == 422
    assert "The body is limited to 200,000 characters." in bad.text
    assert "x" * 200_001 in bad.text  # the merge is still in the page
    # An invisible control character is removed, not a reason to refuse the merge.
    merged = client.post(action, data={"theirs_version": "2", "body": "Mine.\x01 Theirs."})
    assert merged.status_code == 303
    assert review(app, review_id).body == "Mine. Theirs."


def test_keep_theirs_leaves_the_review_and_mine_stays_in_history(
    client, writer, sample_review, app
):
    review_id = sample_review("Night Shift", body="Base text.")
    editor_post(client, review_id, "Theirs.", 1, "tab-laptop1")
    page = editor_post(client, review_id, "Mine.", 1, "tab-phone11").text
    action = re.search(r'action="([^"]+/theirs)"', page).group(1)
    response = client.post(action)
    assert response.status_code == 303
    assert review(app, review_id).body == "Theirs."
    history = client.get(f"/write/{review_id}/history").text
    assert "Refused as a conflict" in history


def test_keep_mine_validates(client, writer, sample_review):
    review_id = sample_review("Night Shift")
    assert client.post(f"/write/{review_id}/conflicts/1/mine").status_code == 400
    assert client.post(f"/write/{review_id}/conflicts/999/mine").status_code == 404


# Autosave ---------------------------------------------------------------------------------


def test_first_autosave_creates_a_draft_and_tells_the_page_its_url(client, writer, app):
    page = client.get("/write/new").text
    state = editor_state(page)
    assert state["review_id"] == ""
    assert 'data-hx-post="/write/autosave"' in page and 'data-hx-sync="this:queue last"' in page
    response = autosave(client, "The first words.", editor=state["editor"])
    assert response.status_code == 200
    assert "Saved " in response.text and "<body" not in response.text
    created = review(app, 1)
    assert created.status == "draft" and created.body == "The first words."
    assert response.headers["HX-Replace-Url"] == "/write/1"
    new_state = editor_state(response.text)
    assert new_state == {"review_id": "1", "version": "1", "editor": state["editor"]}
    assert 'data-action="/write/1"' in response.text and 'data-hx-swap-oob="true"' in response.text


def test_autosaves_of_a_burst_collapse_and_update_the_version(client, writer, app):
    autosave(client, "One.")
    for version, text in ((1, "One. Two."), (2, "One. Two. Three.")):
        response = autosave(client, text, 1, version)
        assert response.status_code == 200
        assert editor_state(response.text)["version"] == str(version + 1)
    assert revision_kinds(app, 1) == ["autosave"]
    assert review(app, 1).body == "One. Two. Three."
    # The Save pressed next, from the version the page learned, is not a conflict.
    assert editor_post(client, 1, "One. Two. Three.", 3).status_code == 303
    assert revision_kinds(app, 1) == ["autosave", "save"]


def test_autosave_on_a_published_review_waits_for_save(client, writer, sample_review, app):
    review_id = sample_review("Night Shift", status="published", body="Live text.")
    response = autosave(client, "Pending text.", review_id, 1)
    assert response.status_code == 200 and "press Save" in response.text
    assert "hx-swap-oob" not in response.text
    assert review(app, review_id).body == "Live text."
    assert client.get("/reviews/night-shift").text.count("Pending text.") == 0
    editor = client.get(f"/write/{review_id}").text
    assert "is not on the published review yet" in editor
    assert editor_post(client, review_id, "Pending text.", 1).status_code == 303
    assert review(app, review_id).body == "Pending text."
    assert "is not on the published review yet" not in client.get(f"/write/{review_id}").text


def test_stale_autosave_is_409_and_changes_nothing(client, writer, sample_review, app):
    review_id = sample_review("Night Shift", body="Base.")
    editor_post(client, review_id, "Theirs.", 1, "tab-laptop1")
    response = autosave(client, "Mine.", review_id, 1)
    assert response.status_code == 409
    assert "changed in another tab or device" in response.text
    assert review(app, review_id).body == "Theirs."
    assert revision_kinds(app, review_id)[-1] == "conflict"


def test_autosave_validation_answers_422_with_the_reason(client, writer):
    response = autosave(client, "Words.", year="12")
    assert response.status_code == 422 and "Year" in response.text
    assert autosave(client, "Words.", editor="<bad>").status_code == 400


def test_autosave_with_an_ended_session_keeps_the_page(client, app):
    response = autosave(client, "Typed after the session ended.")
    assert response.status_code == 401
    assert "HX-Redirect" not in response.headers
    assert "log in again (in another tab)" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


def test_a_fresh_csrf_token_after_logging_in_again(csrf_app):
    with csrf_app.app_context():
        set_writer_password(*WRITER)
    client = csrf_app.test_client()
    assert client.get("/write/token").status_code == 401
    login_with_csrf(client)
    page = client.get("/write/new").text
    state = editor_state(page)
    data = {"review_id": "", "version": "", "editor": state["editor"], "title": "T", "body": "b"}
    data["csrf_token"] = csrf_token_from(page)
    # The session cookie expires; the writer logs in again in another tab: a new session.
    client.delete_cookie("session")
    login_with_csrf(client)
    response = client.post("/write/autosave", data=data, headers=HTMX)
    assert response.status_code == 400 and "CSRF" in response.text
    fresh = client.get("/write/token")
    assert fresh.status_code == 200 and fresh.headers["Cache-Control"] == "no-store"
    data["csrf_token"] = fresh.json["csrf_token"]
    headers = {**HTMX, "X-CSRFToken": fresh.json["csrf_token"]}
    assert client.post("/write/autosave", data=data, headers=headers).status_code == 200
