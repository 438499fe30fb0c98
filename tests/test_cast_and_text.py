"""The cast reader's leniency and repeats, and control characters in pasted and imported text."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from journal.castlist import read_cast_list
from journal.cleantext import normalize_controls
from journal.extensions import db
from journal.models import Character, Review
from journal.records import parse_record

HTMX = {"HX-Request": "true"}

MIXED = """## Main cast
- Baek Gang Hyeok (Ju Ji Hoon) – the surgeon
Cha Soo Hyun aka Detective Cha (Kim Hye Soo): relentless
They meet in the first episode.
* Yang Jae Won (Choo Young Woo)
"""


def test_a_cast_shaped_line_is_read_whatever_its_bullet():
    reading = read_cast_list(MIXED)
    assert [(e.name, e.nickname, e.actor, e.notes) for e in reading.entries] == [
        ("Baek Gang Hyeok", None, "Ju Ji Hoon", "the surgeon"),
        ("Cha Soo Hyun", "Detective Cha", "Kim Hye Soo", "relentless"),
        ("Yang Jae Won", None, "Choo Young Woo", ""),
    ]
    # The heading and the prose have no cast line's shape: skipped, each with its reason.
    assert [(u.number, u.text) for u in reading.unread] == [
        (1, "## Main cast"),
        (4, "They meet in the first episode."),
    ]
    assert all("no actor in brackets or “aka”" in u.reason for u in reading.unread)


def test_a_heading_with_brackets_is_still_a_heading():
    reading = read_cast_list("## Cast (main)\n- Baek Gang Hyeok (Ju Ji Hoon)")
    assert [e.name for e in reading.entries] == ["Baek Gang Hyeok"]
    assert [u.text for u in reading.unread] == ["## Cast (main)"]


@pytest.fixture
def cast_review(app, sample_review):
    review_id = sample_review("Night Shift")
    with app.app_context():
        db.session.add(Character(review_id=review_id, name="Baek Gang Hyeok", position=1))
        db.session.commit()
    return review_id


def cast_names(app, review_id):
    with app.app_context():
        return db.session.scalars(
            sa.select(Character.name)
            .where(Character.review_id == review_id)
            .order_by(Character.position)
        ).all()


def test_pasting_names_already_in_the_cast_says_so_and_offers_to_skip_them(
    app, client, writer, cast_review
):
    pasted = "- baek  gang hyeok (Ju Ji Hoon)\n- Yang Jae Won (Choo Young Woo)"
    url = f"/write/{cast_review}/characters/paste"
    read = client.post(url + "/read", data={"cast_list": pasted}, headers=HTMX).text
    assert "1 of these is already in the cast: baek gang hyeok." in read
    assert "(already in the cast)" in read
    assert re.search(r'<input type="checkbox" name="skip_known" value="yes" checked>', read)
    added = client.post(url, data={"cast_list": pasted, "skip_known": "yes"}, headers=HTMX).text
    assert "Added 1 character, skipped 1 already in the cast." in added
    assert cast_names(app, cast_review) == ["Baek Gang Hyeok", "Yang Jae Won"]
    # Without the tick, the writer gets what was pasted, repeats included.
    client.post(url, data={"cast_list": "- Baek Gang Hyeok (Ju Ji Hoon)"}, headers=HTMX)
    assert cast_names(app, cast_review) == ["Baek Gang Hyeok", "Yang Jae Won", "Baek Gang Hyeok"]


def test_without_javascript_add_all_skips_the_repeats_and_says_so(app, client, writer, cast_review):
    response = client.post(
        f"/write/{cast_review}/characters/paste",
        data={
            "cast_list": "- Baek Gang Hyeok (Ju Ji Hoon)\n- Jang Mi (Ha Young)",
            "skip_known": "y",
        },
        follow_redirects=True,
    )
    assert "Added 1 characters. Skipped 1 already in the cast." in response.text
    assert cast_names(app, cast_review) == ["Baek Gang Hyeok", "Jang Mi"]


# Control characters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "one_line", "expected", "removed"),
    [
        ("a\x0bb\x0cc", False, "a\nb\nc", 0),
        ("a\x0bb", True, "a b", 0),
        ("tab\tnew\nline\r\n", False, "tab\tnew\nline\r\n", 0),
        ("nul\x00 bell\x07 esc\x1b del\x7f c1\x85", False, "nul bell esc del c1", 5),
        ("한국어 “quotes” – dash", True, "한국어 “quotes” – dash", 0),
    ],
)
def test_normalize_controls(text, one_line, expected, removed):
    assert normalize_controls(text, one_line) == (expected, removed)


def test_import_normalizes_control_characters_and_reports_them(app):
    data = b"---\ntitle: Night Shift\n---\nFrom a PDF\x0cnext page, a Word\x0bbreak, a NUL\x00.\n"
    record = parse_record("night-shift.md", data, ZoneInfo("UTC"))
    assert record.body == "From a PDF\nnext page, a Word\nbreak, a NUL."
    assert "1 invisible control character removed" in record.warnings


def test_import_page_reports_the_removed_characters(app, client, writer):
    import io

    upload = b"---\ntitle: Night Shift\n---\nA NUL\x00 and a bell\x07.\n"
    response = client.post(
        "/write/import",
        data={"file": (io.BytesIO(upload), "night-shift.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text
    assert "night-shift.md: 2 invisible control characters removed" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0  # only checked
