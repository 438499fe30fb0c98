"""The pasted cast list parser: a table of the lines writers really type."""

from pathlib import Path

import pytest

from journal.castlist import CastEntry, read_cast_list, read_line

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "trauma-code-review.txt"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Baek Gang Hyeok (Ju Ji Hoon) – The surgeon.",
            CastEntry("Baek Gang Hyeok", "Ju Ji Hoon", None, "The surgeon."),
        ),
        (
            "- Yang Hae Won aka Anus (Choo Young Woo) – The resident.",
            CastEntry("Yang Hae Won", "Choo Young Woo", "Anus", "The resident."),
        ),
        (
            "Seo Ji Han (Park Min Jae) - notes",
            CastEntry("Seo Ji Han", "Park Min Jae", None, "notes"),
        ),
        (
            "Seo Ji Han (Park Min Jae) — notes",
            CastEntry("Seo Ji Han", "Park Min Jae", None, "notes"),
        ),
        (
            "Seo Ji Han (Park Min Jae): notes",
            CastEntry("Seo Ji Han", "Park Min Jae", None, "notes"),
        ),
        ("Seo Ji Han (Park Min Jae)–notes", CastEntry("Seo Ji Han", "Park Min Jae", None, "notes")),
        ("* Seo Ji Han (Park Min Jae)", CastEntry("Seo Ji Han", "Park Min Jae", None, "")),
        ("3. Seo Ji Han (Park Min Jae) – x", CastEntry("Seo Ji Han", "Park Min Jae", None, "x")),
        # Hangul names and actors.
        ("백강혁 (주지훈) – 외상외과 교수", CastEntry("백강혁", "주지훈", None, "외상외과 교수")),
        ("- 양재원 aka 항문 (추영우): 펠로우", CastEntry("양재원", "추영우", "항문", "펠로우")),
        # Hyphenated names stay whole; a hyphen between words is a separator.
        (
            "Cheon Jang-mi aka Gangster (Hayoung) - tough",
            CastEntry("Cheon Jang-mi", "Hayoung", "Gangster", "tough"),
        ),
        (
            "Hong Jae Hoon (Kim Won-hae) – the villain - truly",
            CastEntry("Hong Jae Hoon", "Kim Won-hae", None, "the villain - truly"),
        ),
        ("Choi Dong-wook - medic", CastEntry("Choi Dong-wook", None, None, "medic")),
        # Missing actor, missing notes, only a name.
        ("Min Seo Yeon – anesthetist", CastEntry("Min Seo Yeon", None, None, "anesthetist")),
        ("Min Seo Yeon aka Quiet: notes", CastEntry("Min Seo Yeon", None, "Quiet", "notes")),
        ("Min Seo Yeon", CastEntry("Min Seo Yeon", None, None, "")),
        # Extra spaces and non-breaking spaces.
        (
            "  -   Lee  Bo Ra \u00a0aka  Sparrow   ( Kim Ha Neul )   –   fast  ",
            CastEntry("Lee Bo Ra", "Kim Ha Neul", "Sparrow", "fast"),
        ),
        # Nicknames in quotes, with or without "aka".
        (
            'Choi Dong-wook aka "Tank" (Lee Jun Seo)',
            CastEntry("Choi Dong-wook", "Lee Jun Seo", "Tank", ""),
        ),
        (
            "Choi Dong-wook “Tank” (Lee Jun Seo) – x",
            CastEntry("Choi Dong-wook", "Lee Jun Seo", "Tank", "x"),
        ),
        (
            "Choi Dong-wook a.k.a. 'Big Tank' – x",
            CastEntry("Choi Dong-wook", None, "Big Tank", "x"),
        ),
        (
            "Choi Dong-wook (Lee Jun Seo) aka Tank – x",
            CastEntry("Choi Dong-wook", "Lee Jun Seo", "Tank", "x"),
        ),
        # Brackets and colons inside the notes are notes.
        (
            "Go Tae Pyeong (Oh Jin-su) – the boss (mostly): loud",
            CastEntry("Go Tae Pyeong", "Oh Jin-su", None, "the boss (mostly): loud"),
        ),
        (
            "Go Tae Pyeong (Oh Jin-su) notes without a dash",
            CastEntry("Go Tae Pyeong", "Oh Jin-su", None, "notes without a dash"),
        ),
    ],
)
def test_reads_a_line(line, expected):
    assert read_line(line) == expected


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("(Park Min Jae) – notes", "No name"),
        ("Seo Ji Han (Park Min Jae", "brackets"),
        ("Seo Ji Han (Park (Min) Jae) – x", "brackets"),
        ("Characters & Their Dynamics:", "heading"),
        (
            "This is a whole sentence about the show that is clearly not a name at all",
            "too long to be a name",
        ),
        ("A" * 121 + " (Actor)", "longer than 120"),
        ("Seo Ji Han (Park Min Jae) stray words – notes", "could not be placed"),
    ],
)
def test_refuses_a_line_with_a_reason(line, reason):
    reading = read_cast_list(line)
    assert reading.entries == []
    [unread] = reading.unread
    assert unread.text == line.strip()
    assert reason in unread.reason


def test_blank_lines_are_skipped_and_unreadable_lines_kept_with_their_numbers():
    reading = read_cast_list("Seo Ji Han (Park Min Jae) – a\n\n   \n(nobody)\nLee Bo Ra – b\n")
    assert [e.name for e in reading.entries] == ["Seo Ji Han", "Lee Bo Ra"]
    assert [(u.number, u.text) for u in reading.unread] == [(4, "(nobody)")]
    assert reading.unread_text == "(nobody)"


def test_in_a_bulleted_list_the_other_lines_are_shown_back():
    reading = read_cast_list(
        "Our cast:\n- Seo Ji Han (Park Min Jae) – a\n- Lee Bo Ra – b\nThe end."
    )
    assert [e.name for e in reading.entries] == ["Seo Ji Han", "Lee Bo Ra"]
    assert [u.text for u in reading.unread] == ["Our cast:", "The end."]
    assert all("Not a list item" in u.reason for u in reading.unread)


def test_empty_text_reads_as_nothing():
    reading = read_cast_list("")
    assert reading.entries == [] and reading.unread == []


def test_too_many_lines_are_shown_back_not_dropped():
    reading = read_cast_list("\n".join(f"Person {i} – x" for i in range(205)))
    assert len(reading.entries) == 200
    assert len(reading.unread) == 5


@pytest.mark.skipif(not SAMPLE.exists(), reason="the shared sample is not beside the checkout")
def test_reads_the_cast_of_the_sample_review():
    reading = read_cast_list(SAMPLE.read_text(encoding="utf-8"))
    cast = [(e.name, e.nickname, e.actor) for e in reading.entries]
    assert len(cast) == 6
    assert ("Yang Hae Won", "Anus", "Choo Young Woo") in cast
    assert ("Cheon Jang Mi", "Gangster", "Hayoung") in cast
    assert cast[-1][2] == "Kim Won-Hae"
    assert all(e.notes for e in reading.entries)
