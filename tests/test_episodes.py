"""Episode notes and diary viewings in the editor: partials, validation, conflicts, ownership,
login and CSRF, and what readers see of them on the review page."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from journal.archives import read_zip
from journal.episodes import add_item, today
from journal.exchange import export_review
from journal.extensions import db
from journal.importing import apply_import, plan_import
from journal.models import EpisodeNote, Review, Viewing
from journal.records import ImportProblem, parse_record
from journal.writers import set_writer_password

from .conftest import WRITER, csrf_token_from
from .exchange_helpers import make_sample_journal, zip_of

HX = {"HX-Request": "true"}


@pytest.fixture
def review_id(writer, sample_review):
    return sample_review("Hospital nights", status="published", work_title="Hospital Nights")


@pytest.fixture
def add(app, review_id):
    """Add an episode note or viewing straight through the domain; returns its id."""

    def make(model, rid=None, **data):
        with app.app_context():
            return add_item(db.session.get(Review, rid or review_id), model, data).id

    return make


def rows(app, model, review_id):
    with app.app_context():
        found = db.session.scalars(
            db.select(model).where(model.review_id == review_id).order_by(model.id)
        ).all()
        db.session.expunge_all()
        return found


def root_id(response) -> str:
    assert "<body" not in response.text
    return re.search(r"<(\w+)[^>]*\bid=\"([^\"]+)\"", response.text).group(2)


def in_a_year(app) -> str:
    with app.app_context():
        return today().replace(year=today().year + 1, day=1).isoformat()


# --- the editor's sections ------------------------------------------------------------------


def test_the_editor_has_both_sections_after_the_characters(client, review_id):
    html = client.get(f"/write/{review_id}").text
    characters = html.index('<section id="characters"')
    notes = html.index('<section id="episode-notes"')
    diary = html.index('<section id="diary"')
    assert characters < notes < diary
    assert '<h2 id="episode-notes-heading">Episode notes</h2>' in html
    assert '<h2 id="diary-heading">Diary</h2>' in html
    assert ">Add episode note</a>" in html and ">Add viewing</a>" in html


def test_a_new_review_asks_to_be_saved_first(client, writer):
    html = client.get("/write/new").text
    assert "Save the review once, then note its episodes here." in html
    assert 'id="viewing-list"' not in html


# --- episode notes --------------------------------------------------------------------------


def test_the_new_note_form_has_the_fixed_words(client, review_id):
    response = client.get(f"/write/{review_id}/episodes/new", headers=HX)
    assert response.status_code == 200
    assert root_id(response).startswith("episode-note-new-")
    for label in ("Episode", "Episode title", "Episode rating", "Notes"):
        assert f">{label}</label>" in response.text
    assert ">Save</button>" in response.text and ">Cancel</button>" in response.text
    page = client.get(f"/write/{review_id}/episodes/new")
    assert "<body" in page.text and "Add episode note" in page.text and ">Cancel</a>" in page.text


def test_add_a_note_with_htmx_and_see_it_rendered(app, client, review_id):
    response = client.post(
        f"/write/{review_id}/episodes",
        data={"episode": "3", "title": " The storm ", "rating": "8.5", "notes": "*Tense* <b>x"},
        headers=HX,
    )
    assert response.status_code == 200
    [note] = rows(app, EpisodeNote, review_id)
    assert (note.episode, note.title, note.rating) == (3, "The storm", Decimal("8.5"))
    assert root_id(response) == f"episode-note-{note.id}"
    assert "<em>Tense</em>" in response.text and "<b>" not in response.text
    assert f'aria-describedby="episode-note-{note.id}-what"' in response.text
    assert ">Edit</a>" in response.text and ">Delete</a>" in response.text


def test_add_a_note_without_javascript_redirects(client, review_id):
    response = client.post(f"/write/{review_id}/episodes", data={"episode": "1"})
    assert response.status_code == 303
    assert re.search(rf"/write/{review_id}#episode-note-\d+$", response.headers["Location"])
    assert "Added episode 1." in client.get(response.headers["Location"]).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"episode": "0"}, "Enter an episode number from 1 to 10,000."),
        ({"episode": "-1"}, "Enter an episode number from 1 to 10,000."),
        ({"episode": "abc"}, "Not a valid integer value."),
        ({"episode": ""}, "Give the episode number."),
        ({"episode": "2", "rating": "10.3"}, "Rate from 0 to 10."),
        ({"episode": "2", "rating": "-1"}, "Rate from 0 to 10."),
        ({"episode": "2", "rating": "8.3"}, "Use whole or half points, such as 8 or 8.5."),
        ({"episode": "2", "title": "t" * 301}, "Field cannot be longer than 300 characters."),
        ({"episode": "2", "notes": "n" * 20_001}, "Notes are limited to 20,000 characters."),
    ],
)
def test_a_bad_note_is_422_with_the_form_and_the_text(app, client, review_id, data, message):
    sent = {"title": "Keep <this>", "notes": "My long thoughts", "key": "abc123", **data}
    response = client.post(f"/write/{review_id}/episodes", data=sent, headers=HX)
    assert response.status_code == 422
    assert root_id(response) == "episode-note-new-abc123"
    assert message in response.text and 'aria-invalid="true"' in response.text
    if "title" not in data:
        assert 'value="Keep &lt;this&gt;"' in response.text
    if "notes" not in data:
        assert "My long thoughts" in response.text
    assert rows(app, EpisodeNote, review_id) == []


def test_two_notes_for_one_episode_are_refused(app, client, review_id, add):
    add(EpisodeNote, episode=3)
    other = add(EpisodeNote, episode=4)
    response = client.post(
        f"/write/{review_id}/episodes", data={"episode": "3", "notes": "Mine"}, headers=HX
    )
    assert response.status_code == 422
    assert "Episode 3 already has a note." in response.text and "Mine" in response.text
    moved = client.post(
        f"/write/{review_id}/episodes/{other}",
        data={"episode": "3", "version": "1"},
        headers=HX,
    )
    assert moved.status_code == 422 and "Episode 3 already has a note." in moved.text
    assert [n.episode for n in rows(app, EpisodeNote, review_id)] == [3, 4]


def test_edit_cancel_and_update_a_note(app, client, review_id, add):
    nid = add(EpisodeNote, episode=2, notes="Old.")
    form = client.get(f"/write/{review_id}/episodes/{nid}/edit", headers=HX)
    assert root_id(form) == f"episode-note-{nid}"
    assert 'name="version" value="1"' in form.text and "Old." in form.text
    assert f'data-hx-get="/write/{review_id}/episodes/{nid}"' in form.text
    shown = client.get(f"/write/{review_id}/episodes/{nid}", headers=HX)
    assert root_id(shown) == f"episode-note-{nid}"
    saved = client.post(
        f"/write/{review_id}/episodes/{nid}",
        data={"episode": "2", "rating": "9", "notes": "New.", "version": "1"},
        headers=HX,
    )
    assert saved.status_code == 200 and "New." in saved.text and "9/10" in saved.text
    [note] = rows(app, EpisodeNote, review_id)
    assert note.notes == "New." and note.version == 2


def test_a_stale_note_is_409_with_both_texts(app, client, review_id, add):
    nid = add(EpisodeNote, episode=2, notes="Theirs.")
    with app.app_context():
        db.session.get(EpisodeNote, nid).version = 3
        db.session.commit()
    response = client.post(
        f"/write/{review_id}/episodes/{nid}",
        data={"episode": "2", "notes": "Mine.", "version": "2"},
        headers=HX,
    )
    assert response.status_code == 409
    assert root_id(response) == f"episode-note-{nid}"
    assert "changed elsewhere" in response.text
    assert "Mine." in response.text and "Theirs." in response.text
    assert 'name="version" value="3"' in response.text
    assert rows(app, EpisodeNote, review_id)[0].notes == "Theirs."


def test_delete_a_note_asks_first(app, client, review_id, add):
    nid = add(EpisodeNote, episode=5)
    page = client.get(f"/write/{review_id}/episodes/{nid}/delete")
    assert page.status_code == 200 and "Delete episode 5?" in page.text
    gone = client.post(f"/write/{review_id}/episodes/{nid}/delete", headers=HX)
    assert gone.status_code == 200 and gone.text == ""
    assert rows(app, EpisodeNote, review_id) == []


# --- viewings -------------------------------------------------------------------------------


def test_the_new_viewing_form_has_the_fixed_words(client, review_id):
    response = client.get(f"/write/{review_id}/viewings/new", headers=HX)
    assert root_id(response).startswith("viewing-new-")
    for label in ("Date watched", "Note", "Viewing rating"):
        assert f">{label}</label>" in response.text
    checkbox = r'<label for="[^"]+-rewatch" class="rewatch"><input[^>]+checkbox'
    assert re.search(checkbox, response.text)
    assert 'type="date"' in response.text and 'min="1900-01-01"' in response.text


def test_add_edit_and_delete_a_viewing(app, client, review_id):
    created = client.post(
        f"/write/{review_id}/viewings",
        data={"watched_on": "2025-02-14", "rewatch": "y", "note": " Cried again ", "rating": "8"},
        headers=HX,
    )
    assert created.status_code == 200
    [viewing] = rows(app, Viewing, review_id)
    assert viewing.watched_on == date(2025, 2, 14) and viewing.rewatch is True
    assert viewing.note == "Cried again" and viewing.rating == 8
    assert root_id(created) == f"viewing-{viewing.id}"
    assert "Watched 14 February 2025 · rewatch · 8/10 — Cried again" in created.text

    saved = client.post(
        f"/write/{review_id}/viewings/{viewing.id}",
        data={"watched_on": "2025-02-15", "note": "", "version": "1"},
        headers=HX,
    )
    assert saved.status_code == 200 and "Watched 15 February 2025<" in saved.text
    [viewing] = rows(app, Viewing, review_id)
    assert viewing.rewatch is False and viewing.note is None and viewing.rating is None

    page = client.get(f"/write/{review_id}/viewings/{viewing.id}/delete")
    assert "Delete the viewing of 15 February 2025?" in page.text
    deleted = client.post(f"/write/{review_id}/viewings/{viewing.id}/delete")
    assert deleted.status_code == 303
    assert rows(app, Viewing, review_id) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"watched_on": "0001-01-01"}, "Enter a date from 1 January 1900 to today."),
        ({"watched_on": "1899-12-31"}, "Enter a date from 1 January 1900 to today."),
        ({"watched_on": "next year"}, "Not a valid date value."),
        ({"watched_on": ""}, "Give the date you watched it."),
        ({"rating": "10.3"}, "Rate from 0 to 10."),
        ({"rating": "-1"}, "Rate from 0 to 10."),
        ({"rating": "8.3"}, "Use whole or half points, such as 8 or 8.5."),
        ({"note": "n" * 301}, "Field cannot be longer than 300 characters."),
    ],
)
def test_a_bad_viewing_is_422_with_the_form_and_the_text(app, client, review_id, data, message):
    sent = {"watched_on": "2025-02-14", "note": "Keep this", "key": "k1", **data}
    response = client.post(f"/write/{review_id}/viewings", data=sent, headers=HX)
    assert response.status_code == 422
    assert root_id(response) == "viewing-new-k1"
    assert message in response.text
    if "note" not in data:
        assert 'value="Keep this"' in response.text
    assert rows(app, Viewing, review_id) == []


def test_a_date_after_today_is_refused(app, client, review_id):
    response = client.post(
        f"/write/{review_id}/viewings", data={"watched_on": in_a_year(app)}, headers=HX
    )
    assert response.status_code == 422
    assert "Enter a date from 1 January 1900 to today." in response.text
    with app.app_context():
        assert f'max="{today().isoformat()}"' in response.text
        last = today()
    ok = client.post(f"/write/{review_id}/viewings", data={"watched_on": last.isoformat()})
    assert ok.status_code == 303


def test_today_is_the_journals_today(make_app):
    # At any hour, one of these zones is on another day than UTC: "today" must follow the zone.
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        with make_app(TIMEZONE=zone).app_context():
            assert today() == datetime.now(ZoneInfo(zone)).date()


def test_a_stale_viewing_is_409(app, client, review_id, add):
    vid = add(Viewing, watched_on=date(2025, 1, 1), note="Theirs")
    with app.app_context():
        db.session.get(Viewing, vid).version = 2
        db.session.commit()
    response = client.post(
        f"/write/{review_id}/viewings/{vid}",
        data={"watched_on": "2025-01-02", "note": "Mine", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 409
    assert "changed elsewhere" in response.text and 'value="Mine"' in response.text
    assert "Theirs" in response.text
    assert rows(app, Viewing, review_id)[0].note == "Theirs"


# --- who may do what ------------------------------------------------------------------------


def urls(rid, nid, vid):
    for path, item in (("episodes", nid), ("viewings", vid)):
        yield from [
            ("get", f"/write/{rid}/{path}/new"),
            ("post", f"/write/{rid}/{path}"),
            ("get", f"/write/{rid}/{path}/{item}"),
            ("get", f"/write/{rid}/{path}/{item}/edit"),
            ("post", f"/write/{rid}/{path}/{item}"),
            ("get", f"/write/{rid}/{path}/{item}/delete"),
            ("post", f"/write/{rid}/{path}/{item}/delete"),
        ]


def test_logged_out_everything_is_refused(app, client, review_id, add):
    nid = add(EpisodeNote, episode=1, notes="Kept")
    vid = add(Viewing, watched_on=date(2025, 1, 1))
    client.post("/logout")
    data = {"episode": "9", "watched_on": "2025-01-02", "version": "1"}
    for method, url in urls(review_id, nid, vid):
        plain = getattr(client, method)(url, data=data)
        assert plain.status_code == 302 and "/login" in plain.headers["Location"], url
        htmx = getattr(client, method)(url, data=data, headers=HX)
        assert htmx.status_code == 401, url
    assert [n.episode for n in rows(app, EpisodeNote, review_id)] == [1]
    assert len(rows(app, Viewing, review_id)) == 1


def test_an_item_of_another_review_is_404(app, client, review_id, sample_review, add):
    other = sample_review("Another show")
    nid = add(EpisodeNote, rid=other, episode=1)
    vid = add(Viewing, rid=other, watched_on=date(2025, 1, 1))
    data = {"episode": "9", "watched_on": "2025-01-02", "version": "1"}
    for method, url in urls(review_id, nid, vid):
        if url.endswith("/new") or url.endswith("/episodes") or url.endswith("/viewings"):
            continue
        response = getattr(client, method)(url, data=data, headers=HX)
        assert response.status_code == 404, url
    assert [n.episode for n in rows(app, EpisodeNote, other)] == [1]
    assert len(rows(app, Viewing, other)) == 1
    assert client.post("/write/999/viewings", data=data).status_code == 404


def test_csrf_is_required(csrf_app):
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
    for path, data in (("episodes", {"episode": "1"}), ("viewings", {"watched_on": "2025-01-01"})):
        refused = client.post(f"/write/{rid}/{path}", data=data, headers=HX)
        assert refused.status_code == 400 and "CSRF" in refused.text
        token = csrf_token_from(client.get(f"/write/{rid}").text)
        accepted = client.post(
            f"/write/{rid}/{path}", data=data, headers={**HX, "X-CSRFToken": token}
        )
        assert accepted.status_code == 200
        item = root_id(accepted).rpartition("-")[2]
        assert client.post(f"/write/{rid}/{path}/{item}/delete", headers=HX).status_code == 400
        update = client.post(f"/write/{rid}/{path}/{item}", data={**data, "version": "1"})
        assert update.status_code == 400


def test_deleting_the_review_deletes_its_notes_and_viewings(app, review_id, add):
    add(EpisodeNote, episode=1)
    add(Viewing, watched_on=date(2025, 1, 1))
    with app.app_context():
        db.session.delete(db.session.get(Review, review_id))
        db.session.commit()
        assert db.session.scalars(db.select(EpisodeNote)).all() == []
        assert db.session.scalars(db.select(Viewing)).all() == []


# --- readers --------------------------------------------------------------------------------


def test_the_review_page_shows_notes_by_episode_and_the_diary(client, review_id, add):
    add(EpisodeNote, episode=7, title="Seven", rating=Decimal("9.5"), notes="**Wow** <script>")
    add(EpisodeNote, episode=2, notes="Slow start.")
    add(Viewing, watched_on=date(2025, 3, 1), rewatch=True, rating=Decimal(9), note="Better")
    add(Viewing, watched_on=date(2025, 2, 14), note="First time")
    client.post("/logout")
    html = client.get("/reviews/hospital-nights").text
    assert html.index("Episode 2") < html.index("Episode 7")
    assert "<strong>Wow</strong>" in html and "<script>" not in html
    assert "9.5/10" in html
    first = html.index('<time datetime="2025-02-14">14 February 2025</time> — First time')
    second = html.index('<time datetime="2025-03-01">1 March 2025</time> · rewatch · 9/10 — Better')
    assert first < second


# --- export and import ----------------------------------------------------------------------


def lanterns_export(app) -> str:
    with app.app_context():
        review = db.session.scalar(db.select(Review).where(Review.slug == "paper-lanterns"))
        return export_review(review)


def test_export_writes_every_key_of_each_item_after_the_characters(seoul_app):
    make_sample_journal(seoul_app)
    text = lanterns_export(seoul_app)
    assert (
        "director: Min Seo-yeon\n"  # the last of the review's own keys in the sample
        "episode_notes:\n"
        '  - {episode: 1, title: "No", rating: 8, notes: "A *quiet* {{ start }}."}\n'
        "viewings:\n"
        "  - {date: 2024-12-24, rewatch: false, note: \"On the sofa: 'yes'\", rating: 7.5}\n"
        "  - {date: 2025-01-01, rewatch: true, note: null, rating: null}\n"
        "render_with_liquid: false\n"
    ) in text


def test_a_review_without_them_has_neither_key(app, review_id):
    with app.app_context():
        text = export_review(db.session.get(Review, review_id))
    assert "episode_notes" not in text and "viewings" not in text


def record_with(lines: str, now=None):
    text = f"---\ntitle: T\nslug: t\ndraft: false\n{lines}\n---\nBody\n"
    return parse_record("t.md", text.encode(), ZoneInfo("UTC"), now=now)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("episode_notes:\n  - {episode: 0}", "episode note 1 episode is out of range: 0"),
        ("episode_notes:\n  - {episode: -1}", "episode note 1 episode must be a whole number"),
        ("episode_notes:\n  - {episode: abc}", "episode note 1 episode must be a whole number"),
        ("episode_notes:\n  - {title: x}", "episode note 1 episode is missing"),
        ("episode_notes:\n  - {episode: 2, rating: 10.3}", "episode note 1 rating must be from 0"),
        ("episode_notes:\n  - {episode: 2, rating: 8.3}", "in whole or half points, not '8.3'"),
        ("episode_notes:\n  - {episode: 2}\n  - {episode: 2}", "episode 2 has more than one note"),
        ("episode_notes: [3]", "episode note 1 must be a mapping such as {episode: 3"),
        ("episode_notes: {episode: 3}", "“episode_notes” must be a list"),
        ("viewings:\n  - {date: 0001-01-01}", "viewing 1 date must be from 1 January 1900"),
        ("viewings:\n  - {date: 2027-01-01}", "to today, not 2027-01-01"),
        ("viewings:\n  - {date: soon}", "viewing 1 date must be a date such as 2025-02-14"),
        ("viewings:\n  - {rewatch: true}", "viewing 1 date is missing"),
        ("viewings:\n  - {date: 2025-01-01, rewatch: maybe}", "must be true or false"),
        ("viewings:\n  - {date: 2025-01-01, rating: -1}", "viewing 1 rating must be from 0"),
        (f"viewings:\n  - {{date: 2025-01-01, note: {'n' * 301}}}", "longer than 300 characters"),
    ],
)
def test_import_refuses_what_the_editor_refuses(lines, message):
    with pytest.raises(ImportProblem, match=re.escape(message)):
        record_with(lines, now=datetime(2026, 12, 2))


def test_import_reads_the_values_as_written():
    record = record_with(
        "episode_notes:\n  - {episode: 3, title: No, rating: 8.5, notes: null, mood: x}\n"
        "viewings:\n  - {date: 2025-02-14, rewatch: yes, note: 12:08, rating: null}",
        now=datetime(2026, 12, 2),
    )
    assert record.episode_notes == [
        {"episode": 3, "title": "No", "rating": Decimal("8.5"), "notes": ""}
    ]
    assert record.viewings == [
        {"watched_on": date(2025, 2, 14), "rewatch": True, "note": "12:08", "rating": None}
    ]
    assert "episode note 1: unknown key “mood” ignored" in record.warnings


def test_importing_the_journals_own_file_replaces_the_lists(app, review_id, add):
    add(EpisodeNote, episode=1, notes="Old")
    add(Viewing, watched_on=date(2025, 1, 1))
    with app.app_context():
        text = export_review(db.session.get(Review, review_id))
    changed = text.replace('notes: "Old"}', 'notes: "New"}\n  - {episode: 2}').replace(
        "{date: 2025-01-01, rewatch: false", "{date: 2025-01-02, rewatch: true"
    )
    with app.app_context():
        plan = plan_import(read_zip(io.BytesIO(zip_of({"hospital-nights.md": changed}))))
        assert plan.describe().startswith("0 to create, 1 to update"), plan.errors
        apply_import(plan)
    assert [(n.episode, n.notes) for n in rows(app, EpisodeNote, review_id)] == [
        (1, "New"),
        (2, ""),
    ]
    assert [(v.watched_on, v.rewatch) for v in rows(app, Viewing, review_id)] == [
        (date(2025, 1, 2), True)
    ]
