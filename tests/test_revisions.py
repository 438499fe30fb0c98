"""Revisions as plain functions: collapsing, conflicts, restore, diff."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from journal import diffs, revisions
from journal.editing import new_review, save
from journal.extensions import db
from journal.models import PUBLISHED, Review, Revision, utcnow
from journal.versions import Conflict

TAB_A, TAB_B = "tab-aaaaaaaa", "tab-bbbbbbbb"


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def fields(body, title="Night Shift", **more):
    return {"title": title, "body": body, "tags": "Medical, K-drama", **more}


def kinds(review_id):
    return db.session.scalars(
        sa.select(Revision.kind).where(Revision.review_id == review_id).order_by(Revision.id)
    ).all()


def test_every_manual_save_is_its_own_revision(ctx):
    review = save(new_review(), fields("one"))
    revisions.save_manual(review, fields("two"), None, review.version, TAB_A)
    revisions.save_manual(review, fields("two"), None, review.version, TAB_A)
    assert kinds(review.id) == ["save", "save", "save"]
    assert review.version == 3


def test_autosaves_of_one_burst_collapse_into_one_revision(ctx):
    review = save(new_review(), fields("start"))
    for text in ("start a", "start ab", "start abc"):
        result = revisions.autosave(review, fields(text), review.version, TAB_A)
        assert result.live and not result.stale
    assert kinds(review.id) == ["save", "autosave"]
    latest = revisions.history(review)[0]
    assert latest.data["body"] == "start abc"
    assert latest.version == review.version == 4
    assert db.session.get(Review, review.id).body == "start abc"


def test_a_manual_save_ends_the_burst_and_so_does_a_pause(ctx, monkeypatch):
    review = save(new_review(), fields("start"))
    revisions.autosave(review, fields("typed"), review.version, TAB_A)
    revisions.save_manual(review, fields("typed."), None, review.version, TAB_A)
    revisions.autosave(review, fields("typed. more"), review.version, TAB_A)
    later = utcnow() + revisions.BURST + timedelta(seconds=1)
    monkeypatch.setattr(revisions, "utcnow", lambda: later)
    revisions.autosave(review, fields("typed. more, later"), review.version, TAB_A)
    assert kinds(review.id) == ["save", "autosave", "save", "autosave", "autosave"]


def test_autosaves_from_two_tabs_are_kept_apart(ctx):
    review = save(new_review(), fields("start"), PUBLISHED)
    revisions.autosave(review, fields("from tab A"), review.version, TAB_A)
    revisions.autosave(review, fields("from tab B"), review.version, TAB_B)
    revisions.autosave(review, fields("from tab A again"), review.version, TAB_A)
    bodies = [r.data["body"] for r in revisions.history(review)]
    assert bodies == ["from tab A again", "from tab B", "from tab A", "start"]


def test_the_first_autosave_of_a_new_review_creates_a_draft(ctx):
    result = revisions.autosave(new_review(), fields("first words"), None, TAB_A)
    assert result.created and result.live
    review = db.session.get(Review, result.review.id)
    assert review.status == "draft" and review.body == "first words"
    assert sorted(t.name for t in review.tags) == ["K-drama", "Medical"]
    assert kinds(review.id) == ["autosave"]


def test_autosave_never_publishes_and_never_changes_a_published_review(ctx):
    review = save(new_review(), fields("live text"), PUBLISHED)
    result = revisions.autosave(review, fields("pending text"), review.version, TAB_A)
    assert not result.live and not result.stale
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert review.body == "live text" and review.version == 1 and review.is_published
    pending = revisions.pending_autosave(review)
    assert pending is not None and pending.data["body"] == "pending text"
    revisions.save_manual(review, fields("pending text"), None, 1, TAB_A)
    assert review.body == "pending text" and review.is_published
    assert revisions.pending_autosave(review) is None


def test_a_save_from_a_stale_version_is_refused_and_kept(ctx):
    review = save(new_review(), fields("base"))
    revisions.save_manual(review, fields("theirs"), None, 1, TAB_B)
    with pytest.raises(Conflict) as caught:
        revisions.save_manual(review, fields("mine"), None, 1, TAB_A)
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert review.body == "theirs" and review.version == 2
    mine = caught.value.mine
    assert mine.kind == "conflict" and mine.data["body"] == "mine" and mine.version == 1
    assert kinds(review.id) == ["save", "save", "conflict"]


def test_the_conflict_test_is_in_the_update_itself(ctx):
    """Two sessions read version 1; only the first UPDATE ... WHERE version = 1 wins."""
    review = save(new_review(), fields("base"))
    review_id = review.id
    other = db.session.get(Review, review_id)
    db.session.execute(sa.update(Review).where(Review.id == review_id).values(version=2))
    db.session.commit()
    with pytest.raises(Conflict):
        revisions.save_manual(other, fields("mine"), None, 1, TAB_A)


def test_a_save_right_after_its_own_autosave_is_not_a_conflict(ctx):
    """The page's version lagged behind its own in-flight autosave (Ghost's false conflict)."""
    review = save(new_review(), fields("base"))
    revisions.autosave(review, fields("base and"), 1, TAB_A)
    revisions.save_manual(review, fields("base and more"), None, 1, TAB_A)
    assert review.body == "base and more" and review.version == 3
    with pytest.raises(Conflict):  # but another tab's autosave is a conflict
        revisions.autosave(review, fields("B typed"), 3, TAB_B)
        revisions.save_manual(review, fields("A's stale save"), None, 3, TAB_A)


def test_a_stale_autosave_changes_nothing_and_keeps_the_text(ctx):
    review = save(new_review(), fields("base"))
    revisions.save_manual(review, fields("theirs"), None, 1, TAB_B)
    result = revisions.autosave(review, fields("mine, typed"), 1, TAB_A)
    result = revisions.autosave(review, fields("mine, typed more"), 1, TAB_A)
    assert result.stale and not result.live
    db.session.expire_all()
    assert db.session.get(Review, review.id).body == "theirs"
    assert kinds(review.id) == ["save", "save", "conflict"]
    assert revisions.history(review)[0].data["body"] == "mine, typed more"


def test_restore_brings_text_back_as_a_new_revision(ctx):
    review = save(new_review(), fields("first", rating="8.5", year=2025))
    first = revisions.history(review)[0]
    revisions.save_manual(review, fields("second", title="Renamed"), None, 1, TAB_A)
    revisions.restore(review, first)
    assert review.body == "first" and review.title == "Night Shift"
    assert str(review.rating) == "8.5" and review.year == 2025
    assert kinds(review.id) == ["save", "save", "restore"]
    assert revisions.history(review)[1].data["body"] == "second"


def test_keep_mine_saves_the_refused_text_and_theirs_stays_in_history(ctx):
    review = save(new_review(), fields("base"))
    revisions.save_manual(review, fields("theirs"), None, 1, TAB_B)
    with pytest.raises(Conflict) as caught:
        revisions.save_manual(review, fields("mine"), PUBLISHED, 1, TAB_A)
    revisions.keep_mine(caught.value.current, caught.value.mine, 2)
    review = db.session.get(Review, review.id)
    assert review.body == "mine" and review.is_published and review.version == 3
    assert "theirs" in [r.data["body"] for r in revisions.history(review)]
    with pytest.raises(Conflict):  # shown version 2, but it is 3 now
        revisions.keep_mine(review, caught.value.mine, 2)


def test_diff_marks_changed_words_inside_a_line():
    old = {"title": "Night Shift", "body": "A fierce surgeon.\n\nSame paragraph.", "tags": []}
    new = {"title": "Night Shift", "body": "A gentle surgeon.\n\nSame paragraph.", "tags": ["X"]}
    lines = diffs.snapshot_diff(old, new)
    changed = [line for line in lines if line.kind == "change"]
    assert changed[0].segments == [
        ("equal", "A "),
        ("delete", "fierce"),
        ("insert", "gentle"),
        ("equal", " surgeon."),
    ]
    assert any(line.kind == "insert" and line.segments == [("insert", "Tags: X")] for line in lines)


def test_diff_folds_long_unchanged_stretches():
    body = "\n".join(f"line {n}" for n in range(40))
    lines = diffs.snapshot_diff({"body": body}, {"body": body.replace("line 20", "line twenty")})
    assert len(lines) < 15
    assert [line.kind for line in lines].count("skip") == 2


def test_change_size_counts_words():
    assert diffs.snapshot_change_size(None, {"title": "T", "body": "one two three"}) == (7, 0)
    assert diffs.snapshot_change_size({"body": "one two three"}, {"body": "one 2 three four"}) == (
        2,
        1,
    )


def test_the_same_version_check_serves_characters(ctx):
    """For the character editor: a character saved from a stale version is refused too."""
    from journal.models import Character
    from journal.versions import StaleVersion, claim_version

    review = save(new_review(), fields("cast"))
    character = Character(review_id=review.id, name="Baek", notes="")
    db.session.add(character)
    db.session.commit()
    claim_version(character, 1)
    db.session.commit()
    assert character.version == 2
    with pytest.raises(StaleVersion):
        claim_version(character, 1)
