"""Import: our files, other tools' files, per-file problems, all-or-nothing, `journal import`."""

from __future__ import annotations

import contextlib
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import yaml
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from journal import exchange, importing
from journal.archives import Source, SourceFile
from journal.extensions import db
from journal.models import Review, Revision, Tag
from journal.records import KNOWN_KEYS, ImportProblem, parse_record

from .exchange_helpers import FULL_EXPORT, create_review, review_count, zip_of


def run_import(app, files: dict[str, str | bytes], dry_run=False) -> importing.ImportPlan:
    source = Source(
        [SourceFile(n, d.encode() if isinstance(d, str) else d) for n, d in files.items()], []
    )
    with app.app_context():
        plan = importing.plan_import(source)
        if plan.ok and not dry_run:
            importing.apply_import(plan)
        return plan


def get_review(app, slug: str) -> Review:
    review = db.session.scalar(sa.select(Review).where(Review.slug == slug))
    assert review is not None, slug
    return review


def test_our_export_imports_with_every_field(seoul_app):
    plan = run_import(seoul_app, {"reviews/night-shift-the-ward-never-sleeps.md": FULL_EXPORT})
    assert plan.describe() == "1 to create, 0 to update, 0 unchanged, 0 skipped"
    with seoul_app.app_context():
        review = get_review(seoul_app, "night-shift-the-ward-never-sleeps")
        assert review.title.startswith("Night Shift: The Ward Never Sleeps – ")
        assert review.original_title == "야간 병동"
        assert (review.media_type, review.year, review.where_to_watch) == ("drama", 2025, "Netflix")
        assert (review.episodes, review.runtime_minutes) == (8, 55)
        assert review.rating == Decimal("8.5")
        assert review.verdict == "Hospital drama with a pulse."
        assert review.body == "The ward opens at night.\n\n## Verdict\n\nWorth it."
        assert review.status == "published"
        assert review.published_at == datetime(2025, 2, 7, 0, 30)  # 09:30 in Seoul
        assert review.created_at == datetime(2025, 2, 1, 13, 10)
        assert review.updated_at == datetime(2025, 2, 9, 12, 4)
        assert [t.name for t in review.tags] == ["K-drama", "Medical"]
        assert [(c.name, c.actor, c.nickname) for c in review.characters] == [
            ("Han Do Yun", "Park Min Jae", None),
            ("Seo Ji Ah", None, "Chief"),
        ]
        assert review.characters[0].notes == "The surgeon who *never* rests."
        assert "journal:characters" not in review.body
        assert exchange.export_review(review) == FULL_EXPORT
        assert len(review.revisions) == 1


def test_importing_the_same_files_twice_changes_nothing(seoul_app):
    files = {"night-shift.md": FULL_EXPORT, "notes/plain.md": "# Plain note\n\nHello."}
    run_import(seoul_app, files)
    with seoul_app.app_context():
        before = {r.slug: (r.version, r.updated_at) for r in db.session.scalars(sa.select(Review))}
    plan = run_import(seoul_app, files)
    assert plan.describe() == "0 to create, 0 to update, 2 unchanged, 0 skipped"
    with seoul_app.app_context():
        after = {r.slug: (r.version, r.updated_at) for r in db.session.scalars(sa.select(Review))}
        assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == 2
    assert after == before


def test_changed_file_updates_the_review_with_the_same_slug(seoul_app):
    run_import(seoul_app, {"a.md": FULL_EXPORT})
    changed = FULL_EXPORT.replace("rating: 8.5", "rating: 9").replace("Worth it.", "Must see.")
    plan = run_import(seoul_app, {"a.md": changed})
    assert plan.describe() == "0 to create, 1 to update, 0 unchanged, 0 skipped"
    with seoul_app.app_context():
        review = get_review(seoul_app, "night-shift-the-ward-never-sleeps")
        assert review.rating == Decimal(9) and review.body.endswith("Must see.")
        assert review.version == 2 and len(review.revisions) == 2
        assert review_count(seoul_app) == 1


def test_dry_run_plan_writes_nothing(seoul_app):
    plan = run_import(seoul_app, {"a.md": FULL_EXPORT}, dry_run=True)
    assert plan.count("create") == 1
    assert review_count(seoul_app) == 0


def test_one_bad_file_fails_the_whole_import(seoul_app):
    files = {"good.md": FULL_EXPORT, "bad.md": "---\ntitle: [unclosed\n---\nbody"}
    plan = run_import(seoul_app, files)
    assert not plan.ok
    assert plan.errors[0][0] == "bad.md"
    assert "not valid YAML" in plan.errors[0][1]
    assert review_count(seoul_app) == 0
    with seoul_app.app_context(), pytest.raises(ValueError):
        importing.apply_import(plan)


def test_a_failure_while_writing_leaves_nothing_behind(seoul_app, monkeypatch):
    calls = []

    def explode(item, now, tags):
        calls.append(item)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        original(item, now, tags)

    original = importing._write
    monkeypatch.setattr(importing, "_write", explode)
    files = {"a.md": "---\ntitle: One\n---\n", "b.md": "---\ntitle: Two\n---\n"}
    with pytest.raises(RuntimeError):
        run_import(seoul_app, files)
    assert review_count(seoul_app) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"---\ntitle: \xff\xfe\n---\n", "not UTF-8"),
        ("---\ntitle: a: b: c\n---\n", "not valid YAML"),
        ("---\ntitle: Open\nbody without end", "no closing"),
        ("---\n- just\n- a list\n---\n", "not a set of"),
        ("---\ntitle: R\nrating: great\n---\n", "“rating” must be a number"),
        ("---\ntitle: R\nyear: 99999\n---\n", "“year” is out of range"),
        ("---\ntitle: R\nepisodes: many\n---\n", "“episodes” must be a whole number"),
        ("---\ntitle: R\ndate: next tuesday\n---\n", "“date”"),
        ("---\ntitle: R\ntags: {a: 1}\n---\n", "“tags” must be a list"),
        ("---\ntitle: R\ncharacters: [{actor: Nobody}]\n---\n", "character 1 has no name"),
        ("---\ntitle: R\ncharacters: [[1, 2]]\n---\n", "character 1 must be a mapping"),
        ('---\ntitle: "bell\\a"\n---\n', "control characters"),
        ("---\ntitle: [a, b]\n---\n", "“title” must be text"),
    ],
)
def test_each_problem_is_named(app, data, message):
    with app.app_context(), pytest.raises(ImportProblem) as problem:
        importing.parse_markdown("review.md", data.encode() if isinstance(data, str) else data)
    assert message in str(problem.value)


@pytest.mark.parametrize(
    ("rating", "message"),
    [("11", "“rating” is out of range: 11 (from 0 to 10)"), ("-1", "“rating” is out of range")],
)
def test_a_rating_out_of_range_is_named(app, rating, message):
    plan = run_import(app, {"r.md": f"---\ntitle: R\nrating: {rating}\n---\n"})
    assert [name for name, _ in plan.errors] == ["r.md"]
    assert plan.errors[0][1].startswith(message)
    assert review_count(app) == 0


def test_unknown_keys_are_warnings_not_errors(app):
    text = "---\ntitle: Kept\nlayout: post\ncharacters: [{name: A, age: 3}]\n---\nBody"
    plan = run_import(app, {"kept.md": text})
    assert plan.ok
    assert plan.warnings == [
        "kept.md: unknown key “layout” ignored",
        "kept.md: character 1: unknown key “age” ignored",
    ]
    assert review_count(app) == 1


def test_files_that_are_not_markdown_are_listed_and_skipped(app, runner, tmp_path):
    archive = tmp_path / "mixed.zip"
    archive.write_bytes(
        zip_of(
            {
                "reviews/one.md": "---\ntitle: One\n---\n",
                "cover.jpg": b"\xff\xd8",
                ".obsidian/x.md": "",
            }
        )
    )
    result = runner.invoke(args=["import", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Skipped cover.jpg: not a Markdown file" in result.output
    assert "Skipped .obsidian/x.md" in result.output
    assert review_count(app) == 1


def test_two_files_that_want_one_slug_get_distinct_slugs_with_a_warning(app):
    plan = run_import(app, {"b/same.md": "# Two", "a/same.md": "# One"})
    assert plan.ok
    assert [(item.name, item.slug) for item in plan.items] == [
        ("a/same.md", "same"),
        ("b/same.md", "same-2"),
    ]
    assert plan.warnings == [
        "b/same.md: another file of this import wants the slug “same”, so its slug is “same-2”"
    ]
    assert review_count(app) == 2
    again = run_import(app, {"a/same.md": "# One", "b/same.md": "# Two"})
    assert again.describe() == "0 to create, 0 to update, 2 unchanged, 0 skipped"


# ---- files from elsewhere --------------------------------------------------------------


def test_front_matter_with_only_a_title(app):
    run_import(app, {"whatever.md": "---\ntitle: Only a title\n---\nText."})
    with app.app_context():
        review = get_review(app, "whatever")
        assert review.title == "Only a title" and review.body == "Text."
        assert review.status == "draft"  # no date, no draft key: a note waits as a draft


@pytest.mark.parametrize(
    "tags",
    ["[Thriller, Crime]", '"Thriller, Crime"', "Thriller, Crime", "\n  - Thriller\n  - Crime"],
)
def test_tags_as_a_list_or_comma_separated_text(app, tags):
    run_import(app, {"t.md": f"---\ntitle: T\ntags: {tags}\n---\n"})
    with app.app_context():
        assert [t.name for t in get_review(app, "t").tags] == ["Crime", "Thriller"]


def test_tags_join_existing_genres_case_insensitively(app):
    with app.app_context():
        create_review({"title": "Existing", "body": "", "tags": "K-drama"})
    plan = run_import(app, {"t.md": "---\ntitle: T\ntags: [k-drama, K-DRAMA , New one]\n---\n"})
    assert plan.items[0].record.tags == ["K-drama", "New one"]
    with app.app_context():
        assert sorted(t.name for t in db.session.scalars(sa.select(Tag))) == ["K-drama", "New one"]


@pytest.mark.parametrize(
    ("date", "published_at"),
    [
        ("2025-02-07", datetime(2025, 2, 6, 15, 0)),  # midnight in Seoul
        ("2025-02-07 09:30", datetime(2025, 2, 7, 0, 30)),
        ("2025-02-07T09:30:00", datetime(2025, 2, 7, 0, 30)),
        ("2025-02-07T09:30:00Z", datetime(2025, 2, 7, 9, 30)),
        ("2025-02-07T09:30:00+01:00", datetime(2025, 2, 7, 8, 30)),
        ("2025-02-07 09:30:00 +0100", datetime(2025, 2, 7, 8, 30)),
        ('"2025-02-07T09:30:00+01:00"', datetime(2025, 2, 7, 8, 30)),
    ],
)
def test_dates_with_or_without_time_or_offset(seoul_app, date, published_at):
    run_import(seoul_app, {"d.md": f"---\ntitle: D\ndate: {date}\n---\n"})
    with seoul_app.app_context():
        review = get_review(seoul_app, "d")
        assert review.status == "published"  # a dated file comes from a published site
        assert review.published_at == published_at
        assert review.created_at == published_at == review.updated_at


def test_jekyll_post_name_gives_the_date_and_slug(seoul_app):
    run_import(seoul_app, {"_posts/2025-02-07-my-first-post.md": "---\ntitle: First\n---\nHi"})
    with seoul_app.app_context():
        review = get_review(seoul_app, "my-first-post")
        assert review.published_at == datetime(2025, 2, 6, 15, 0)


def test_jekyll_draft_and_unpublished_files_stay_drafts(app):
    files = {
        "_drafts/idea.md": "---\ntitle: Idea\ndate: 2025-01-01\n---\n",
        "_posts/2025-01-02-hidden.md": "---\ntitle: Hidden\npublished: false\n---\n",
    }
    plan = run_import(app, files)
    assert [item.record.status for item in plan.items] == ["draft", "draft"]
    assert plan.warnings == []


def test_obsidian_note_takes_its_title_from_the_first_heading(app):
    run_import(app, {"Vault/Moving On.md": "\n# Moving On: a *review*\n\nFirst paragraph."})
    with app.app_context():
        review = get_review(app, "moving-on")
        assert review.title == "Moving On: a *review*"
        assert review.body == "First paragraph."


def test_note_without_heading_takes_the_file_name(app):
    run_import(app, {"notes/late-night_thoughts.md": "Just text, no heading."})
    with app.app_context():
        review = get_review(app, "late-night-thoughts")
        assert review.title == "late night thoughts"
        assert review.body == "Just text, no heading."


def test_hugo_toml_front_matter(app):
    text = '+++\ntitle = "Toml"\ndate = 2025-03-01T10:00:00Z\ntags = ["A"]\n+++\nBody'
    run_import(app, {"content/posts/toml.md": text})
    with app.app_context():
        review = get_review(app, "toml")
        assert review.published_at == datetime(2025, 3, 1, 10, 0)
        assert [t.name for t in review.tags] == ["A"]


def test_rating_on_another_scale_is_converted(app):
    run_import(app, {"r.md": "---\ntitle: R\nrating: 4\nrating_scale: 5\n---\n"})
    with app.app_context():
        assert get_review(app, "r").rating == Decimal(8)


def test_windows_line_endings_and_bom_are_read(app):
    text = "\ufeff---\r\ntitle: Crlf\r\n---\r\nLine one\r\nLine two\r\n"
    run_import(app, {"crlf.md": text})
    with app.app_context():
        assert get_review(app, "crlf").body == "Line one\nLine two"


# ---- command line ----------------------------------------------------------------------


def test_cli_dry_run_reports_and_writes_nothing(app, runner, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(FULL_EXPORT, encoding="utf-8")
    (tmp_path / "in" / "b.md").write_text("# B\n\nbody", encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path / "in"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written: 2 to create, 0 to update, 0 unchanged, 0 skipped" in (
        result.output
    )
    assert "1 published, 1 draft, 2 characters, 2 genres" in result.output
    assert "Would create b (draft) from b.md" in result.output
    assert review_count(app) == 0


def test_cli_imports_a_single_file_then_finds_it_unchanged(app, runner, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(FULL_EXPORT, encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 to create" in result.output
    result = runner.invoke(args=["import", str(path)])
    assert "0 to create, 0 to update, 1 unchanged" in result.output
    assert review_count(app) == 1


def test_cli_names_the_bad_file_and_writes_nothing(app, runner, tmp_path):
    archive = tmp_path / "in.zip"
    archive.write_bytes(
        zip_of({"good.md": FULL_EXPORT, "reviews/bad.md": "---\ntitle: R\nrating: 12\n---\n"})
    )
    result = runner.invoke(args=["import", str(archive)])
    assert result.exit_code == 1
    assert "Error in reviews/bad.md: “rating” is out of range" in result.output
    assert "nothing imported" in result.output
    assert review_count(app) == 0


# ---- whatever a file holds, the answer is a Record or a named problem, never a crash ------

YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(sorted(KNOWN_KEYS) + ["layout", "Title", "DATE"])


@settings(max_examples=60, deadline=None, phases=[Phase.generate, Phase.shrink])
@given(meta=st.dictionaries(KEYS, YAML_VALUES, max_size=6), body=st.text(max_size=40))
def test_any_front_matter_gives_a_record_or_a_named_problem(meta, body):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    with contextlib.suppress(ImportProblem):
        parse_record("any.md", text.encode(), ZoneInfo("Asia/Seoul"))


@settings(max_examples=60, deadline=None, phases=[Phase.generate, Phase.shrink])
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: ("---\n" + t).encode()))
def test_any_bytes_give_a_record_or_a_named_problem(data):
    with contextlib.suppress(ImportProblem):
        parse_record("any.md", data, ZoneInfo("UTC"))


@pytest.mark.parametrize(
    "text",
    [
        "---\ndate: 2025-13-45\n---\n",
        "---\ntitle: " + "[" * 5000 + "\n---\n",
        "---\ntitle: !!python/object:os.system x\n---\n",
        "---\n? [a]\n: b\n---\n",
        "+++\ntitle = \n+++\n",
    ],
)
def test_hostile_front_matter_is_a_named_problem(text):
    with pytest.raises(ImportProblem) as problem:
        parse_record("hostile.md", text.encode(), ZoneInfo("UTC"))
    assert "front matter" in str(problem.value)
