"""The cast list endpoints: partials, validation, conflicts, order, paste, auth, CSRF, ownership."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from journal.characters import add_character, update_character
from journal.extensions import db
from journal.models import Character, Review
from journal.versions import Conflict
from journal.writers import set_writer_password

from .conftest import WRITER, csrf_token_from

HX = {"HX-Request": "true"}


@pytest.fixture
def review_id(writer, sample_review):
    return sample_review("Hospital nights", status="published", work_title="Hospital Nights")


@pytest.fixture
def add(app, review_id):
    """Add a character straight through the domain function; returns its id."""

    def make(name="Seo Ji Han", rid=None, **fields):
        with app.app_context():
            review = db.session.get(Review, rid or review_id)
            return add_character(review, {"name": name, **fields}).id

    return make


def cast(app, review_id):
    with app.app_context():
        review = db.session.get(Review, review_id)
        return [(c.name, c.position) for c in review.characters]


def get_character(app, character_id):
    with app.app_context():
        character = db.session.get(Character, character_id)
        if character is not None:
            db.session.expunge(character)
        return character


def assert_partial(response, root_id=None):
    assert "<body" not in response.text and "<html" not in response.text
    if root_id:
        first = re.search(r"<(\w+)[^>]*\bid=\"([^\"]+)\"", response.text)
        assert first and first.group(2) == root_id, response.text[:300]


# --- partials and the inline cycle ---------------------------------------------------------


def test_editor_has_the_characters_section_outside_the_review_form(client, review_id, add):
    add("Seo Ji Han", actor="Park Min Jae")
    html = client.get(f"/write/{review_id}").text
    review_form = html[html.index('<form method="post" id="review-form"') :]
    review_form = review_form[: review_form.index("</form>")]
    assert "character" not in review_form
    section = html[html.index('<section id="characters"') :]
    assert '<h2 id="characters-heading">Characters</h2>' in section
    assert 'id="character-list"' in section
    assert ">Add character</a>" in section and ">Paste cast list</summary>" in section
    assert "Seo Ji Han" in section


def test_a_new_review_asks_to_be_saved_before_its_cast(client, writer):
    html = client.get("/write/new").text
    assert "Characters" in html and "Save the review once" in html
    assert 'id="character-list"' not in html


def test_new_form_is_a_partial_for_htmx_and_a_page_without(client, review_id):
    response = client.get(f"/write/{review_id}/characters/new", headers=HX)
    assert response.status_code == 200
    assert_partial(response)
    key = re.search(r'id="character-new-([a-z0-9]+)"', response.text).group(1)
    assert f'data-hx-target="#character-new-{key}"' in response.text
    for label in ("Name", "Actor", "Nickname", "Notes"):
        assert f">{label}</label>" in response.text
    assert ">Save</button>" in response.text and ">Cancel</button>" in response.text
    assert "HX-Request" in response.headers["Vary"]
    page = client.get(f"/write/{review_id}/characters/new")
    assert "<body" in page.text and "hx-post" not in page.text and ">Cancel</a>" in page.text


def test_create_returns_the_display_partial_and_appends(app, client, review_id, add):
    add("Seo Ji Han")
    response = client.post(
        f"/write/{review_id}/characters",
        data={"name": " Lee Bo Ra ", "actor": "Kim Ha Neul", "nickname": "", "notes": "*fast*"},
        headers=HX,
    )
    assert response.status_code == 200
    [(_, first), (name, second)] = cast(app, review_id)
    assert name == "Lee Bo Ra" and second > first
    with app.app_context():
        created = db.session.scalar(sa.select(Character).where(Character.name == "Lee Bo Ra"))
        assert created.nickname is None and created.actor == "Kim Ha Neul"
    assert_partial(response, f"character-{created.id}")
    assert "<em>fast</em>" in response.text
    assert f'aria-describedby="character-{created.id}-name"' in response.text


def test_create_without_javascript_redirects_to_the_editor(client, review_id):
    response = client.post(f"/write/{review_id}/characters", data={"name": "Lee Bo Ra"})
    assert response.status_code == 303
    assert re.search(rf"/write/{review_id}#character-\d+$", response.headers["Location"])
    assert "Added Lee Bo Ra." in client.get(response.headers["Location"]).text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "Give the character a name."),
        ({"name": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"name": "Ok", "actor": "y" * 121}, "Field cannot be longer than 120 characters."),
        ({"name": "Ok", "nickname": "z" * 121}, "Field cannot be longer than 120 characters."),
        ({"name": "Ok", "notes": "n" * 20_001}, "Notes are limited to 20,000 characters."),
    ],
)
def test_invalid_input_answers_422_with_the_form_and_the_text(
    app, client, review_id, fields, message
):
    data = {"actor": "Kim Ha Neul", "notes": "Keep <this> text", "key": "abc123", **fields}
    response = client.post(f"/write/{review_id}/characters", data=data, headers=HX)
    assert response.status_code == 422
    assert_partial(response, "character-new-abc123")
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    if "actor" not in fields:
        assert 'value="Kim Ha Neul"' in response.text
    if "notes" not in fields:
        assert "Keep &lt;this&gt; text" in response.text
    assert cast(app, review_id) == []


def test_invalid_input_without_javascript_is_a_page(client, review_id):
    response = client.post(f"/write/{review_id}/characters", data={"name": ""})
    assert response.status_code == 422
    assert "<body" in response.text and "Give the character a name." in response.text


def test_edit_show_and_update(app, client, review_id, add):
    cid = add("Seo Ji Han", actor="Park Min Jae", notes="Old note.")
    form = client.get(f"/write/{review_id}/characters/{cid}/edit", headers=HX)
    assert_partial(form, f"character-{cid}")
    assert 'value="Park Min Jae"' in form.text and "Old note." in form.text
    assert 'name="version" value="1"' in form.text
    assert f'data-hx-get="/write/{review_id}/characters/{cid}"' in form.text  # Cancel
    shown = client.get(f"/write/{review_id}/characters/{cid}", headers=HX)
    assert_partial(shown, f"character-{cid}")
    assert "Old note." in shown.text

    response = client.post(
        f"/write/{review_id}/characters/{cid}",
        data={"name": "Seo Ji Han", "actor": "Park Min Jae", "notes": "New note.", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 200
    assert_partial(response, f"character-{cid}")
    assert "New note." in response.text
    character = get_character(app, cid)
    assert character.notes == "New note." and character.version == 2


def test_edit_page_and_show_without_javascript(client, review_id, add):
    cid = add()
    page = client.get(f"/write/{review_id}/characters/{cid}/edit")
    assert "<body" in page.text and "Edit character" in page.text
    response = client.get(f"/write/{review_id}/characters/{cid}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/write/{review_id}#character-{cid}")
    saved = client.post(
        f"/write/{review_id}/characters/{cid}", data={"name": "Seo Ji-han", "version": "1"}
    )
    assert saved.status_code == 303


def test_a_stale_save_is_a_409_with_both_texts(app, client, review_id, add):
    cid = add("Seo Ji Han", notes="Their note.")
    with app.app_context():
        db.session.get(Character, cid).version = 3
        db.session.commit()
    response = client.post(
        f"/write/{review_id}/characters/{cid}",
        data={"name": "Seo Ji Han", "notes": "My note.", "version": "2"},
        headers=HX,
    )
    assert response.status_code == 409
    assert_partial(response, f"character-{cid}")
    assert "changed elsewhere" in response.text
    assert "My note." in response.text and "Their note." in response.text
    assert 'name="version" value="3"' in response.text  # saving again keeps mine
    assert get_character(app, cid).notes == "Their note."
    again = client.post(
        f"/write/{review_id}/characters/{cid}",
        data={"name": "Seo Ji Han", "notes": "My note.", "version": "3"},
        headers=HX,
    )
    assert again.status_code == 200 and get_character(app, cid).notes == "My note."


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "page"])
def test_saving_a_character_deleted_elsewhere_is_404_with_a_message(
    app, client, review_id, add, headers
):
    cid = add(notes="Old note.")
    url = f"/write/{review_id}/characters/{cid}"
    assert client.post(f"{url}/delete", headers=HX).status_code == 200  # the other tab
    response = client.post(
        url, data={"name": "Seo Ji Han", "notes": "Typed here.", "version": "1"}, headers=headers
    )
    assert response.status_code == 404
    assert "This character was deleted elsewhere (another tab?)." in response.text
    assert "Your text is still in the form." in response.text
    assert ("<html" in response.text) is not bool(headers)  # a partial for htmx, else a page
    assert get_character(app, cid) is None


def test_the_update_refuses_a_character_deleted_after_it_was_loaded(app, review_id, add):
    cid = add()
    with app.app_context():
        character = db.session.get(Character, cid)
        db.session.execute(sa.delete(Character).where(Character.id == cid))
        db.session.commit()
        with pytest.raises(LookupError):
            update_character(character, {"name": "S"}, 1)


@pytest.mark.parametrize("method, suffix", [("get", "/edit"), ("post", "/up"), ("post", "/delete")])
def test_opening_a_character_deleted_elsewhere_says_so(client, review_id, add, method, suffix):
    cid = add()
    url = f"/write/{review_id}/characters/{cid}"
    client.post(f"{url}/delete", headers=HX)
    response = getattr(client, method)(url + suffix, headers=HX)
    assert response.status_code == 404
    assert "This character was deleted elsewhere (another tab?)." in response.text

def test_a_save_without_a_version_is_treated_as_stale(app, client, review_id, add):
    cid = add(notes="Kept.")
    response = client.post(
        f"/write/{review_id}/characters/{cid}", data={"name": "X", "version": "soon"}, headers=HX
    )
    assert response.status_code == 409
    assert get_character(app, cid).notes == "Kept."


def test_the_version_is_checked_in_the_update_itself(app, add):
    cid = add(notes="A")
    with app.app_context():
        character = db.session.get(Character, cid)
        update_character(character, {"name": "S", "notes": "B"}, 1)
        assert character.version == 2
        with pytest.raises(Conflict) as conflict:
            update_character(character, {"name": "S", "notes": "C"}, 1)
        assert conflict.value.current.notes == "B"


def test_character_edits_leave_the_review_version_alone(app, client, review_id, add):
    with app.app_context():
        before = db.session.get(Review, review_id).version
    cid = add()
    client.post(f"/write/{review_id}/characters/{cid}", data={"name": "Y", "version": "1"})
    with app.app_context():
        assert db.session.get(Review, review_id).version == before


# --- order ----------------------------------------------------------------------------------


def test_move_up_and_down(app, client, review_id, add):
    a, b, c = add("A"), add("B"), add("C")
    response = client.post(f"/write/{review_id}/characters/{c}/up", headers=HX)
    assert response.status_code == 200
    assert_partial(response, f"character-{c}")
    ids = re.findall(r'<li id="character-(\d+)"([^>]*)>', response.text)
    assert [(int(i), "hx-preserve" in rest) for i, rest in ids] == [(c, False), (b, True)]
    assert [n for n, _ in cast(app, review_id)] == ["A", "C", "B"]

    response = client.post(f"/write/{review_id}/characters/{a}/down", headers=HX)
    ids = re.findall(r'<li id="character-(\d+)"([^>]*)>', response.text)
    assert [(int(i), "hx-preserve" in rest) for i, rest in ids] == [(c, True), (a, False)]
    assert cast(app, review_id) == [("C", 1), ("A", 2), ("B", 3)]


def test_moving_past_either_end_changes_nothing(app, client, review_id, add):
    a, b = add("A"), add("B")
    response = client.post(f"/write/{review_id}/characters/{a}/up", headers=HX)
    assert response.status_code == 200
    assert re.findall(r'<li id="character-(\d+)"', response.text) == [str(a)]
    client.post(f"/write/{review_id}/characters/{b}/down", headers=HX)
    assert [n for n, _ in cast(app, review_id)] == ["A", "B"]


def test_move_without_javascript_redirects(app, client, review_id, add):
    add("A")
    b = add("B")
    response = client.post(f"/write/{review_id}/characters/{b}/up")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#character-{b}")
    assert [n for n, _ in cast(app, review_id)] == ["B", "A"]


def test_unknown_direction_is_404(client, review_id, add):
    cid = add()
    assert client.post(f"/write/{review_id}/characters/{cid}/sideways").status_code == 404


# --- delete ---------------------------------------------------------------------------------


def test_delete_asks_first_then_removes(app, client, review_id, add):
    cid = add("Seo Ji Han")
    page = client.get(f"/write/{review_id}/characters/{cid}/delete")
    assert page.status_code == 200 and "Delete Seo Ji Han?" in page.text
    assert get_character(app, cid) is not None
    response = client.post(f"/write/{review_id}/characters/{cid}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/write/{review_id}#characters")
    assert get_character(app, cid) is None


def test_delete_with_htmx_answers_an_empty_partial(app, client, review_id, add):
    cid = add("Seo Ji Han")
    response = client.post(f"/write/{review_id}/characters/{cid}/delete", headers=HX)
    assert response.status_code == 200 and response.text == ""
    assert get_character(app, cid) is None


def test_the_delete_button_confirms_in_the_browser(client, review_id, add):
    cid = add("Seo Ji Han")
    html = client.get(f"/write/{review_id}").text
    assert 'data-hx-confirm="Delete Seo Ji Han from the cast?"' in html
    assert f'href="/write/{review_id}/characters/{cid}/delete" role="button"' in html


# --- paste ----------------------------------------------------------------------------------

LINES = (
    "Our cast:\n- Seo Ji Han (Park Min Jae) – Night *shift*.\n"
    "- Lee Bo Ra aka Sparrow (Kim Ha Neul)\n"
)


def test_read_cast_list_previews_without_saving(app, client, review_id):
    response = client.post(
        f"/write/{review_id}/characters/paste/read", data={"cast_list": LINES}, headers=HX
    )
    assert response.status_code == 200
    assert_partial(response, "cast-paste")
    assert "Understood: 2 characters" in response.text
    assert '<td data-label="Nickname">Sparrow</td>' in response.text
    assert "Our cast:" in response.text and "Not understood (1)" in response.text
    assert cast(app, review_id) == []


def test_read_an_empty_cast_list_is_422(client, review_id):
    response = client.post(
        f"/write/{review_id}/characters/paste/read", data={"cast_list": "  \n"}, headers=HX
    )
    assert response.status_code == 422
    assert "Paste one character a line first." in response.text


def test_add_all_saves_in_order_and_shows_back_what_it_could_not_read(app, client, review_id, add):
    add("Existing")
    response = client.post(
        f"/write/{review_id}/characters/paste", data={"cast_list": LINES}, headers=HX
    )
    assert response.status_code == 200
    assert_partial(response, "cast-paste")
    assert [n for n, _ in cast(app, review_id)] == ["Existing", "Seo Ji Han", "Lee Bo Ra"]
    assert "Added 2 characters; the lines left below could not be read." in response.text
    assert re.search(r'name="cast_list"[^>]*>\s*Our cast:</textarea>', response.text)
    oob = response.text[response.text.index('data-hx-swap-oob="beforeend:#character-list"') :]
    assert oob.count('<li id="character-') == 2 and "aka Sparrow" in oob


def test_add_all_with_nothing_readable_is_422_and_saves_nothing(app, client, review_id):
    response = client.post(
        f"/write/{review_id}/characters/paste", data={"cast_list": "(only an actor)"}, headers=HX
    )
    assert response.status_code == 422
    assert "No line could be read" in response.text and "(only an actor)" in response.text
    assert cast(app, review_id) == []


def test_add_all_without_javascript(app, client, review_id):
    clean = "Seo Ji Han (Park Min Jae) – a\nLee Bo Ra – b"
    response = client.post(f"/write/{review_id}/characters/paste", data={"cast_list": clean})
    assert response.status_code == 303
    assert "Added 2 characters." in client.get(response.headers["Location"]).text
    leftover = client.post(f"/write/{review_id}/characters/paste", data={"cast_list": LINES})
    assert leftover.status_code == 200
    assert "<body" in leftover.text and "Our cast:</textarea>" in leftover.text
    assert len(cast(app, review_id)) == 4


def test_read_without_javascript_is_a_page(client, review_id):
    response = client.post(f"/write/{review_id}/characters/paste/read", data={"cast_list": LINES})
    assert response.status_code == 200
    assert "<body" in response.text and "Understood: 2 characters" in response.text
    assert "hx-post" not in response.text.split("<main", 1)[1]


# --- the public page ------------------------------------------------------------------------


def test_public_page_shows_the_cast_in_order_escaped_and_sanitized(client, review_id, add):
    add("Seo Ji Han", actor="Park Min Jae", notes="A **fierce** surgeon.")
    add(
        "<b>Lee</b> Bo Ra", nickname="Sparrow", notes="[x](javascript:alert(1)) <script>no</script>"
    )
    first = add("Choi Dong-wook")
    client.post(f"/write/{review_id}/characters/{first}/up")
    client.post(f"/write/{review_id}/characters/{first}/up")
    client.post("/logout")
    html = client.get("/reviews/hospital-nights").text
    section = html[html.index('<section class="cast"') :]
    section = section[: section.index("</section>")]
    names = re.findall(r'<strong class="character-name">(.*?)</strong>', section)
    assert names == ["Choi Dong-wook", "Seo Ji Han", "&lt;b&gt;Lee&lt;/b&gt; Bo Ra"]
    assert "aka Sparrow" in section and "(Park Min Jae)" in section
    assert "<strong>fierce</strong>" in section
    assert 'href="javascript:' not in section and "<script>" not in section
    assert "&lt;script&gt;no&lt;/script&gt;" in section


def test_public_page_without_characters_has_no_cast_section(client, review_id):
    assert 'class="cast"' not in client.get("/reviews/hospital-nights").text


# --- auth, CSRF, ownership ------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(app, client, sample_review):
    rid = sample_review("Hospital nights")
    with app.app_context():
        cid = add_character(db.session.get(Review, rid), {"name": "A"}).id
    urls = [
        ("get", f"/write/{rid}/characters/new"),
        ("post", f"/write/{rid}/characters"),
        ("get", f"/write/{rid}/characters/{cid}"),
        ("get", f"/write/{rid}/characters/{cid}/edit"),
        ("post", f"/write/{rid}/characters/{cid}"),
        ("post", f"/write/{rid}/characters/{cid}/up"),
        ("get", f"/write/{rid}/characters/{cid}/delete"),
        ("post", f"/write/{rid}/characters/{cid}/delete"),
        ("post", f"/write/{rid}/characters/paste/read"),
        ("post", f"/write/{rid}/characters/paste"),
    ]
    for method, url in urls:
        plain = getattr(client, method)(url, data={"name": "B"})
        assert plain.status_code == 302 and "/login" in plain.headers["Location"], url
        htmx = getattr(client, method)(url, data={"name": "B"}, headers=HX)
        assert htmx.status_code == 401 and "/login" in htmx.headers["HX-Redirect"], url
    assert cast(app, rid) == [("A", 1)]


def test_a_character_of_another_review_is_404(app, client, review_id, sample_review, add):
    other = sample_review("Another show")
    cid = add("Elsewhere", rid=other)
    for method, suffix in [
        ("get", ""),
        ("get", "/edit"),
        ("post", ""),
        ("post", "/up"),
        ("post", "/down"),
        ("get", "/delete"),
        ("post", "/delete"),
    ]:
        url = f"/write/{review_id}/characters/{cid}{suffix}"
        response = getattr(client, method)(url, data={"name": "X", "version": "1"}, headers=HX)
        assert response.status_code == 404, url
        assert "<body" not in response.text
    assert get_character(app, cid).name == "Elsewhere"
    assert client.get("/write/999/characters/new").status_code == 404
    assert client.post("/write/999/characters", data={"name": "X"}).status_code == 404


def test_csrf_is_required_and_the_header_is_enough(csrf_app):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        set_writer_password(*WRITER)
        review = Review(title="T", slug="t", body="", status="draft", version=1)
        db.session.add(review)
        db.session.commit()
        rid = review.id
    login_page = client.get("/login").text
    client.post(
        "/login",
        data={
            "username": WRITER[0],
            "password": WRITER[1],
            "csrf_token": csrf_token_from(login_page),
        },
    )
    refused = client.post(f"/write/{rid}/characters", data={"name": "A"}, headers=HX)
    assert refused.status_code == 400 and "CSRF" in refused.text
    assert "<body" not in refused.text
    token = csrf_token_from(client.get(f"/write/{rid}").text)
    accepted = client.post(
        f"/write/{rid}/characters", data={"name": "A"}, headers={**HX, "X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    cid = re.search(r'id="character-(\d+)"', accepted.text).group(1)
    for url in (f"/write/{rid}/characters/{cid}/up", f"/write/{rid}/characters/{cid}/delete"):
        assert client.post(url, headers=HX).status_code == 400
    deleted = client.post(
        f"/write/{rid}/characters/{cid}/delete", headers={**HX, "X-CSRFToken": token}
    )
    assert deleted.status_code == 200
