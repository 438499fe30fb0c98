"""Import reads what Hugo, Jekyll and Obsidian accept (DESIGN's import rules), rule by rule."""

from __future__ import annotations

import io
import time
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from journal import importing
from journal.archives import Limits, UnsafeArchive, read_path, read_zip
from journal.editing import new_review, save
from journal.frontmatter import MAX_ALIAS_VALUES
from journal.records import ImportProblem, parse_record

from .exchange_helpers import FULL_EXPORT, review_count, zip_of
from .test_import import get_review, run_import


def slugs(plan) -> dict[str, str]:
    return {item.name: item.slug for item in plan.items}


# ---- slugs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"),
    [("Hugo_Build", "hugo-build"), ("6-17 protest", "6-17-protest"), ("Not A Slug!", "not-a-slug")],
)
def test_slugs_hugo_accepts_are_normalized_not_refused(app, slug, expected):
    plan = run_import(app, {"post.md": f"---\ntitle: T\nslug: {slug}\n---\n"})
    assert plan.ok and slugs(plan) == {"post.md": expected}
    assert plan.warnings == [f"post.md: its slug “{slug}” is written “{expected}” here"]


def test_page_bundles_take_their_folder_name_and_sections_are_skipped(app):
    plan = run_import(
        app,
        {
            "content/posts/_index.md": "---\ntitle: Posts\n---\n",
            "content/posts/night-train/index.md": "---\ntitle: Night Train\n---\n",
            "content/posts/quiet-sea/index.md": "---\ntitle: Quiet Sea\n---\n",
        },
    )
    assert slugs(plan) == {
        "content/posts/night-train/index.md": "night-train",
        "content/posts/quiet-sea/index.md": "quiet-sea",
    }
    assert plan.skipped == [
        ("content/posts/_index.md", "a Hugo section page (_index.md), not a review")
    ]


def test_reserved_names_are_never_slugs(app):
    plan = run_import(
        app,
        {
            "index.md": "---\ntitle: Index\n---\n",
            "site/index.md": "---\ntitle: Home\n---\n",  # a site's home page: its title names it
            "notes/p.md": "---\ntitle: P\nslug: page\n---\n",
        },
    )
    assert slugs(plan) == {"index.md": "index-2", "site/index.md": "site", "notes/p.md": "page-2"}
    assert "index.md: “index” is a name static site generators reserve" in plan.warnings[0]
    plan = run_import(app, {"index.md": "---\ntitle: Welcome home\n---\n"})
    assert slugs(plan) == {"index.md": "welcome-home"}
    with app.app_context():
        assert save(new_review(), {"title": "Index", "body": ""}).slug == "index-3"


def test_translations_become_reviews_of_their_own(app):
    plan = run_import(
        app,
        {
            "content/film/x.md": "---\ntitle: Night\nslug: night\n---\nEnglish",
            "content/film/x.zh.md": "---\ntitle: 夜\nslug: night\n---\n中文",
            "content/film/y/index.ko.md": "---\ntitle: 밤\n---\n한국어",
        },
    )
    assert slugs(plan) == {
        "content/film/x.md": "night",
        "content/film/x.zh.md": "night-zh",
        "content/film/y/index.ko.md": "y-ko",
    }
    assert "content/film/x.zh.md: a translation (zh), imported as its own review" in plan.warnings


def test_a_second_site_never_updates_the_reviews_of_the_first(seoul_app):
    run_import(seoul_app, {"reviews/night-shift.md": FULL_EXPORT})
    other = "---\ntitle: Someone else's post\nslug: night-shift-the-ward-never-sleeps\n---\nHi"
    plan = run_import(seoul_app, {"posts/theirs.md": other})
    assert plan.describe() == "1 to create, 0 to update, 0 unchanged, 0 skipped"
    assert slugs(plan) == {"posts/theirs.md": "night-shift-the-ward-never-sleeps-2"}
    assert "exists and this file is not one of this journal's own" in plan.warnings[0]
    with seoul_app.app_context():
        first = get_review(seoul_app, "night-shift-the-ward-never-sleeps")
        assert first.version == 1 and first.body.startswith("The ward opens at night.")
    again = run_import(seoul_app, {"posts/theirs.md": other})
    assert again.describe() == "0 to create, 0 to update, 1 unchanged, 0 skipped"


def test_only_the_journals_own_file_updates_its_review(seoul_app):
    run_import(seoul_app, {"a.md": FULL_EXPORT})
    plan = run_import(seoul_app, {"a.md": FULL_EXPORT.replace("Worth it.", "Still worth it.")})
    assert plan.describe() == "0 to create, 1 to update, 0 unchanged, 0 skipped"


# ---- dates and flags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "published_at"),
    [
        ("date: 2026-02-3", datetime(2026, 2, 2, 15, 0)),
        ("date: 2026-2-3 9:05", datetime(2026, 2, 3, 0, 5)),
        ("date: 2026-02-03 09:05:00 +0000", datetime(2026, 2, 3, 9, 5)),
        ("publishDate: 2026-02-03T10:00:00Z", datetime(2026, 2, 3, 10, 0)),
    ],
)
def test_dates_as_jekyll_and_hugo_read_them(seoul_app, front, published_at):
    run_import(seoul_app, {"d.md": f"---\ntitle: D\n{front}\n---\n"})
    with seoul_app.app_context():
        review = get_review(seoul_app, "d")
        assert (review.status, review.published_at) == ("published", published_at)


def test_a_passed_expiry_date_imports_as_a_draft(app):
    plan = run_import(
        app,
        {
            "old.md": "---\ntitle: Old\ndate: 2020-01-01\nexpiryDate: 2021-01-01\n---\n",
            "live.md": "---\ntitle: Live\ndate: 2020-01-01\nexpiryDate: 2999-01-01\n---\n",
        },
    )
    assert {i.name: i.record.status for i in plan.items} == {
        "live.md": "published",
        "old.md": "draft",
    }
    assert plan.warnings == ["old.md: its “expiryDate” has passed, so it is imported as a draft"]


def test_undated_hugo_pages_are_published_on_their_lastmod_or_the_import(app):
    now = datetime(2026, 3, 1, 12, 0)
    source = importing.Source(
        [
            importing.SourceFile("content/docs/a.md", b"---\ntitle: A\n---\n"),
            importing.SourceFile("content/docs/b.md", b"---\ntitle: B\nlastmod: 2025-05-01\n---\n"),
        ],
        [("hugo.toml", "not a Markdown file")],
    )
    with app.app_context():
        plan = importing.plan_import(source, now=now)
        got = {i.name: (i.record.status, i.record.published_at) for i in plan.items}
    assert got == {
        "content/docs/a.md": ("published", now),
        "content/docs/b.md": ("published", datetime(2025, 5, 1)),
    }
    plan = run_import(app, {"notes/undated.md": "---\ntitle: A note\n---\n"})
    assert plan.items[0].record.status == "draft"  # not a Hugo site: a note waits


@pytest.mark.parametrize(
    ("draft", "status"),
    [('"false"', "published"), ('"true"', "draft"), ("no", "published"), ("maybe", "draft")],
)
def test_draft_flags_as_text(app, draft, status):
    plan = run_import(app, {"f.md": f"---\ntitle: F\ndate: 2025-01-01\ndraft: {draft}\n---\n"})
    assert plan.ok and plan.items[0].record.status == status
    assert bool(plan.warnings) == (draft == "maybe")


def test_jekyll_post_names_with_unpadded_dates(seoul_app):
    plan = run_import(seoul_app, {"_posts/2026-2-3-first-light.md": "---\ntitle: First\n---\n"})
    assert slugs(plan) == {"_posts/2026-2-3-first-light.md": "first-light"}
    with seoul_app.app_context():
        assert get_review(seoul_app, "first-light").published_at == datetime(2026, 2, 2, 15, 0)


# ---- genres -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "genres"),
    [
        ("tags: kdrama romance", ["kdrama", "romance"]),
        ("tags: Slice of life, Drama", ["Drama", "Slice of life"]),
        ("categories: [Film, Review]\ntags: [Noir]", ["Film", "Noir", "Review"]),
        ("category: Film Reviews", ["Film Reviews"]),
        ("genres: [Thriller]\ncategories: film", ["film", "Thriller"]),
        ("tags: [2024, No]", ["2024", "No"]),
    ],
)
def test_categories_and_taxonomies_join_tags(app, front, genres):
    plan = run_import(app, {"g.md": f"---\ntitle: G\n{front}\n---\n"})
    assert sorted(plan.items[0].record.tags, key=str.casefold) == sorted(genres, key=str.casefold)


# ---- ratings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "rating"),
    [
        ("rating: 4\nrating_scale: 5", Decimal(8)),
        ("rating: 4\nrating_max: 5", Decimal(8)),
        ("rating: 3\nout_of: 4", Decimal("7.5")),
        ('rating: "4/5"', Decimal(8)),
        ('rating: "7 out of 10"', Decimal(7)),
        ("rating: ★★★★☆", Decimal(8)),
        ("rating: ★★★½", Decimal(7)),
        ("rating: 8.5", Decimal("8.5")),
    ],
)
def test_ratings_and_their_scales(app, front, rating):
    plan = run_import(app, {"r.md": f"---\ntitle: R\n{front}\n---\n"})
    assert plan.ok and plan.warnings == []
    assert plan.items[0].record.fields["rating"] == rating


def test_decimals_are_rounded_to_half_points_with_a_warning(app):
    plan = run_import(app, {"r.md": "---\ntitle: R\nrating: 8.7\n---\n"})
    assert plan.items[0].record.fields["rating"] == Decimal("8.5")
    assert plan.warnings == [
        "r.md: its rating 8.7 is 8.7 out of 10, kept as 8.5 (the journal rates in half points)"
    ]


def test_ratings_all_five_or_less_ask_which_scale(app, runner, tmp_path):
    files = {"a.md": "---\ntitle: A\nrating: 4\n---\n", "b.md": "---\ntitle: B\nrating: 3.5\n---\n"}
    plan = run_import(app, files, dry_run=True)
    assert plan.asks_rating_scale and plan.unscaled_ratings == 2
    with app.app_context(), pytest.raises(importing.ImportRefused, match="out of 5 or out of 10"):
        importing.apply_import(plan)
    folder = tmp_path / "films"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = runner.invoke(args=["import", str(folder)])
    assert result.exit_code == 1 and "--rating-scale 5" in result.output
    assert review_count(app) == 0
    result = runner.invoke(args=["import", str(folder), "--rating-scale", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert get_review(app, "a").rating == Decimal(8)
        assert get_review(app, "b").rating == Decimal(7)


def test_a_rating_above_five_means_out_of_ten_without_asking(app):
    files = {"a.md": "---\ntitle: A\nrating: 4\n---\n", "b.md": "---\ntitle: B\nrating: 8\n---\n"}
    plan = run_import(app, files)
    assert not plan.asks_rating_scale and review_count(app) == 2


# ---- text as written, repairs -------------------------------------------------------------


@pytest.mark.parametrize("title", ["No", "12:08", "2024", "yes", "2024-01-01", "1e3"])
def test_yaml_1_1_surprises_keep_the_text_as_written(app, title):
    plan = run_import(app, {"t.md": f"---\ntitle: {title}\ndescription: {title}\n---\n"})
    assert plan.ok, plan.errors
    assert plan.items[0].record.title == title
    assert plan.items[0].record.fields["verdict"] == title


def test_an_over_long_description_is_cut_at_a_word(app):
    description = "A slow and tender film " * 20
    plan = run_import(app, {"d.md": f"---\ntitle: D\ndescription: {description}\n---\n"})
    verdict = plan.items[0].record.fields["verdict"]
    assert len(verdict) <= 300 and verdict.endswith("tender…")
    assert plan.warnings == [
        "d.md: “description” is longer than 300 characters, so it was shortened"
    ]
    assert review_count(app) == 1


def test_a_folded_description_is_one_line(app):
    text = "---\ntitle: F\ndescription: >\n  Slow, tender,\n  and kind.\n---\n"
    plan = run_import(app, {"f.md": text})
    assert plan.ok and plan.items[0].record.fields["verdict"] == "Slow, tender, and kind."


def test_an_empty_title_comes_from_the_heading(app):
    plan = run_import(app, {"e.md": '---\ntitle: ""\n---\n# From the heading\n\nText'})
    assert plan.items[0].record.title == "From the heading"


# ---- Obsidian -----------------------------------------------------------------------------


def test_wikilinks_between_imported_notes_become_links(app):
    plan = run_import(
        app,
        {
            "Vault/Films/Night Train.md": "# Night Train\n\nLike [[Quiet Sea|the sea one]], "
            "see [[quiet sea#Cast]] and [[Missing note]]. ![[poster.jpg]] `[[kept]]`",
            "Vault/Films/Quiet Sea.md": "# Quiet Sea\n\nBack to [[Films/Night Train]].",
        },
    )
    assert plan.ok
    with app.app_context():
        night = get_review(app, "night-train")
        assert night.body == (
            "Like [the sea one](/reviews/quiet-sea), see [quiet sea › Cast](/reviews/quiet-sea) "
            "and Missing note.  `[[kept]]`"
        )
        assert get_review(app, "quiet-sea").body == "Back to [Night Train](/reviews/night-train)."
    assert (
        "Vault/Films/Night Train.md: [[Missing note]] names no note of this import: kept as text"
        in plan.warnings
    )
    assert ("Vault/Films/Night Train.md: ![[poster.jpg]]", "an embed, not imported") in plan.skipped


def test_templates_are_listed_as_unreadable_and_the_rest_can_go_in(app, runner, tmp_path):
    vault = tmp_path / "vault"
    (vault / "Templates").mkdir(parents=True)
    (vault / "Templates" / "Review.md").write_text("---\ncreated: {{date}}\n---\n# {{title}}\n")
    (vault / "Note.md").write_text("# A note\n\nText.")
    result = runner.invoke(args=["import", str(vault)])
    assert result.exit_code == 1
    assert "Error in Templates/Review.md: the front matter is not valid YAML" in result.output
    assert "--skip-unreadable" in result.output and review_count(app) == 0
    result = runner.invoke(args=["import", str(vault), "--skip-unreadable"])
    assert result.exit_code == 0, result.output
    assert "1 to create, 0 to update, 0 unchanged, 0 skipped, 1 cannot be read" in result.output
    assert review_count(app) == 1


# ---- a folder and a zip of the same files -------------------------------------------------


def test_a_folder_and_a_zip_of_the_same_files_give_the_same_report(app, tmp_path):
    files = {
        "content/posts/a/index.md": b"---\ntitle: A\n---\n",
        "content/posts/a/trailer.mp4": b"\0" * (5 * 1024 * 1024),  # over the 4 MB per file
        "content/posts/_index.md": b"---\ntitle: Posts\n---\n",
        "notes/b.md": b"---\ntitle: [broken\n---\n",
    }
    folder = tmp_path / "site"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    archive = tmp_path / "site.zip"
    archive.write_bytes(zip_of(files))
    reports = []
    for path in (folder, archive):
        with app.app_context():
            plan = importing.plan_import(read_path(path), now=datetime(2026, 1, 1))
            reports.append((plan.describe(), slugs(plan), plan.skipped, plan.errors, plan.warnings))
    assert reports[0] == reports[1]
    assert reports[0][2] == [
        ("content/posts/_index.md", "a Hugo section page (_index.md), not a review"),
        ("content/posts/a/trailer.mp4", "not a Markdown file"),
    ]


def test_a_large_markdown_file_in_a_zip_is_still_refused():
    data = zip_of({"big.md": b"x" * 2048})
    with pytest.raises(UnsafeArchive, match="larger than"):
        read_zip(io.BytesIO(data), Limits(max_file_bytes=1024))


# ---- YAML aliases (issue 9, finding 3) ----------------------------------------------------

LAUGHS = (
    "---\na: &a [x,x,x,x,x,x,x,x,x]\n"
    + "".join(
        f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True)
    )
    + "title: *g\n---\n"
)


def test_nested_aliases_are_refused_quickly_with_a_short_message():
    assert len(LAUGHS) < 500
    started = time.perf_counter()
    with pytest.raises(ImportProblem) as problem:
        parse_record("laughs.md", LAUGHS.encode(), ZoneInfo("UTC"))
    assert time.perf_counter() - started < 2  # generous: the walk stops at the budget
    assert "aliases" in str(problem.value) and len(str(problem.value)) < 200


def _aliased(values: int) -> str:
    """A front matter whose one alias adds exactly `values` values once expanded."""
    items = ", ".join(["x"] * (values - 1))
    return f"---\ntitle: T\nbase: &b [{items}]\ncopy: *b\n---\n"


def test_aliases_up_to_the_limit_are_read_and_one_more_is_refused():
    parse_record("ok.md", _aliased(MAX_ALIAS_VALUES).encode(), ZoneInfo("UTC"))
    with pytest.raises(ImportProblem, match="aliases"):
        parse_record("over.md", _aliased(MAX_ALIAS_VALUES + 1).encode(), ZoneInfo("UTC"))


def test_a_huge_value_never_goes_whole_into_a_message(app):
    text = "---\ntitle: T\nbig: &b [" + ", ".join(["long-value"] * 3000) + "]\nrating: *b\n---\n"
    with pytest.raises(ImportProblem) as problem:
        parse_record("big.md", text.encode(), ZoneInfo("UTC"))
    assert len(str(problem.value)) < 200
