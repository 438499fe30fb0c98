"""History, Compare and the conflict view answer quickly at the body limit, whatever the text."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from journal import diffs
from journal.editing import save
from journal.extensions import db
from journal.fields import REVIEW
from journal.models import Review, Revision

MAX_BODY_CHARS = REVIEW["body"].max_length

LINE = "The same line of the review, again and again.\n"
REPEATED = (LINE * (MAX_BODY_CHARS // len(LINE)))[: MAX_BODY_CHARS - 20]
PROSE = "\n\n".join(f"Paragraph {n} says something about episode {n}." for n in range(3900))
CASES = {
    "64 KB of one word": ("word " * 13_000, "word " * 6_500 + "other " + "word " * 6_499),
    "repeated lines, changed at both ends": (REPEATED, "New start.\n" + REPEATED + "\nNew end."),
    "repeated lines against others": (REPEATED, REPEATED.replace("same", "some")),
    "prose, a change in every paragraph": (PROSE, PROSE.replace("says", "said")),
    "empty lines against words": ("\n" * MAX_BODY_CHARS, "a\n" * (MAX_BODY_CHARS // 2)),
}
BUDGET = diffs.LINE_BUDGET + diffs.WORD_BUDGET


@pytest.mark.parametrize("old, new", CASES.values(), ids=CASES.keys())
def test_diff_work_is_bounded_at_the_body_limit(old, new):
    assert len(old) <= MAX_BODY_CHARS and len(new) <= MAX_BODY_CHARS
    result = diffs.snapshot_diff({"body": old}, {"body": new})
    assert result.work <= BUDGET
    assert len(result) <= diffs.MAX_ROWS + 10
    assert diffs.snapshot_change_size({"body": old}, {"body": new}) != (0, 0)


def test_small_changes_keep_their_word_marks_inside_a_long_repetitive_line():
    old, new = CASES["64 KB of one word"]
    result = diffs.snapshot_diff({"body": old}, {"body": new})
    changed = [line for line in result if line.kind == "change"]
    assert ("delete", "word") in changed[0].segments and ("insert", "other") in changed[0].segments
    assert not result.coarse
    assert diffs.snapshot_change_size({"body": old}, {"body": new}) == (1, 1)


def test_too_large_to_compare_word_by_word_says_so():
    old, new = "ab " * 60_000, "ba " * 60_000
    result = diffs.snapshot_diff({"body": old}, {"body": new})
    assert result.coarse and [line.kind for line in result][-2:] == ["delete", "insert"]


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


@pytest.mark.parametrize(
    "case",
    ["64 KB of one word", "repeated lines, changed at both ends", "empty lines against words"],
)
def test_history_compare_and_conflict_pages_answer_at_the_limit(
    app, client, writer, sample_review, case
):
    old, new = CASES[case]
    review_id = sample_review(body=old)
    with app.app_context():
        save(db.session.get(Review, review_id), {"title": "A quiet drama", "body": new})
        ids = db.session.scalars(
            sa.select(Revision.id).where(Revision.review_id == review_id).order_by(Revision.id)
        ).all()
    # Safety nets only (the work is asserted above): minutes before, about a second here.
    history, seconds = timed_get(client, f"/write/{review_id}/history")
    assert history.status_code == 200 and seconds < 20
    compare, seconds = timed_get(client, f"/write/{review_id}/history?from={ids[0]}&to={ids[1]}")
    assert compare.status_code == 200 and seconds < 20
    assert "Changes from" in compare.text

    started = time.perf_counter()
    conflict = client.post(
        f"/write/{review_id}",
        data={
            "title": "A quiet drama",
            "body": old[: MAX_BODY_CHARS - 10] + "\nMine.",
            "version": "1",
            "action": "save",
        },
    )
    assert conflict.status_code == 409 and time.perf_counter() - started < 20
    assert "Edit conflict" in conflict.text


def test_the_fallback_is_shown_to_the_writer(app, client, writer, sample_review):
    review_id = sample_review(body="ab " * 60_000)
    with app.app_context():
        save(db.session.get(Review, review_id), {"title": "A quiet drama", "body": "ba " * 60_000})
        ids = db.session.scalars(
            sa.select(Revision.id).where(Revision.review_id == review_id).order_by(Revision.id)
        ).all()
    page = client.get(f"/write/{review_id}/history?from={ids[0]}&to={ids[1]}").text
    assert "Too large to compare word by word" in page
