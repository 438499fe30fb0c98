"""Real shapes, end to end: a Hugo site, a Jekyll blog, an Obsidian vault and a film blog rating
out of 5 are each imported, exported, and built with Hugo (drafts too, `-D`) and Jekyll, with
every imported page present. The sources are our own demo text, in the layouts those tools use.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from journal import exchange, importing
from journal.archives import read_path
from journal.extensions import db
from journal.models import Review

from .test_static_sites import HUGO_CONFIG, HUGO_LIST, HUGO_SINGLE, build, require

JEKYLL_CONFIG = """\
title: Imported journal
collections:
  reviews: {output: true, permalink: "/reviews/:slug/"}
  draft_reviews: {output: true, permalink: "/drafts/:slug/"}  # `_drafts` is Jekyll's own
defaults:
  - scope: {path: ""}
    values: {layout: review}
"""
JEKYLL_LAYOUT = "<!doctype html><html><body><h1>{{ page.title }}</h1>{{ content }}</body></html>\n"

HUGO_SITE = {
    "hugo.toml": 'baseURL = "https://films.example.org/"\ntitle = "Films"\n',
    "content/_index.md": "---\ntitle: Films\n---\nWelcome.",
    "content/posts/_index.md": "---\ntitle: Posts\n---\n",
    "content/posts/night-train/index.md": (
        "---\ntitle: Night Train\ndate: 2025-03-01T20:00:00+01:00\ntags: [Thriller]\n"
        "categories: [Film]\nrating: 8\n---\nA train, a night.\n"
    ),
    "content/posts/night-train/index.zh.md": (
        "---\ntitle: 夜行列车\ndate: 2025-03-02\n---\n一列火车，一个夜晚。\n"
    ),
    "content/posts/night-train/still.jpg": b"\xff\xd8\xff\xe0",
    "content/posts/quiet-sea.md": "---\ntitle: Quiet Sea\nslug: quiet-sea\ndate: 2025-04-01\n---\n",
    "content/posts/quiet-sea.ko.md": "---\ntitle: 바다\nslug: quiet-sea\ndate: 2025-04-01\n---\n",
    "content/posts/build-notes.md": (
        "---\ntitle: Build notes\nslug: Hugo_Build\ndate: 2025-05-01\n---\nNotes."
    ),
    "content/posts/index-page.md": "---\ntitle: Index\nslug: index\ndate: 2025-05-02\n---\nA list.",
    "content/posts/idea.md": "---\ntitle: An idea\ndraft: true\n---\nLater.",
    "content/posts/gone.md": (
        "---\ntitle: Gone soon\ndate: 2020-01-01\nexpiryDate: 2021-01-01\n---\nExpired."
    ),
    "content/posts/toml.md": (
        '+++\ntitle = "Toml Review"\ndate = 2025-06-01\ngenres = ["Drama"]\n+++\nToml body.'
    ),
    "content/docs/getting-started.md": "---\ntitle: Getting started\n---\nNo date here.",
}
JEKYLL_BLOG = {
    "_config.yml": "title: Reviews\n",
    "_posts/2026-2-3-first-light.md": (
        "---\nlayout: post\ntitle: First Light\ncategories: film review\n"
        "tags: kdrama romance\n---\nMorning.\n"
    ),
    "_posts/2025-11-20-rain-city.md": (
        "---\nlayout: post\ntitle: Rain City\ndate: 2025-11-20 21:30:00 +0900\n"
        "tags: Noir, Crime\n---\nWet streets.\n"
    ),
    "_posts/2024-1-5-no.md": "---\nlayout: post\ntitle: No\n---\nA film called No.\n",
    "_posts/2024-02-09-hidden.md": "---\ntitle: Hidden\npublished: false\n---\nNot yet.",
    "_drafts/someday.md": "---\ntitle: Someday\n---\nA draft.",
    "index.md": "---\nlayout: home\ntitle: Home\n---\n",
}
OBSIDIAN_VAULT = {
    ".obsidian/app.json": "{}",
    "Films/Night Train.md": (
        "---\ntags: [thriller, film]\n---\n# Night Train\n\nBetter than [[Quiet Sea|the sea film]];"
        " the cast is in [[Quiet Sea#Cast]].\n\n![[attachments/poster.png]]\n"
    ),
    "Films/Quiet Sea.md": "# Quiet Sea\n\n## Cast\n\nSee also [[Night Train]] and [[Unwritten]].\n",
    "Templates/Review.md": "---\ncreated: {{date}}\ntags: {{tags}}\n---\n# {{title}}\n",
    "attachments/poster.png": b"\x89PNG\r\n\x1a\n",
    "Daily/2026-02-03.md": "Watched two films today.",
}
FILM_BLOG = {
    "_posts/2025-01-10-harbour.md": "---\ntitle: Harbour\nrating: 4\n---\nGood.",
    "_posts/2025-01-17-lanterns.md": "---\ntitle: Lanterns\nrating: 3.5\n---\nWarm.",
    "_posts/2025-01-24-summit.md": "---\ntitle: Summit\nrating: 5\n---\nBest.",
    "_posts/2025-01-31-frost.md": '---\ntitle: Frost\nrating: "★★☆☆☆"\n---\nCold.',
    "_posts/2025-02-07-ember.md": '---\ntitle: Ember\nrating: "4.5/5"\n---\nHot.',
}


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def import_and_export(make_app, tmp_path, files, **options):
    """(plan, {slug: (title, status, rating, body)}, export folder)."""
    app = make_app(WTF_CSRF_ENABLED=False)
    source = write_tree(tmp_path / "source", files)
    with app.app_context():
        plan = importing.plan_import(read_path(source), rating_scale=options.get("rating_scale"))
        importing.apply_import(plan, skip_unreadable=options.get("skip_unreadable", False))
        reviews = {
            r.slug: (r.title, r.status, r.rating, r.body, sorted(t.name for t in r.tags))
            for r in db.session.scalars(sa.select(Review))
        }
        exchange.export_to(tmp_path / "export")
    return plan, reviews, tmp_path / "export"


def assert_built_with_every_page(export: Path, reviews: dict, tmp_path: Path) -> None:
    hugo, jekyll = require("hugo"), require("jekyll")
    site = tmp_path / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    shutil.copytree(export, site / "content")
    build([hugo, "-D", "--quiet", "--destination", "public"], site)
    jsite = tmp_path / "jekyll"
    (jsite / "_layouts").mkdir(parents=True)
    (jsite / "_config.yml").write_text(JEKYLL_CONFIG)
    (jsite / "_layouts" / "review.html").write_text(JEKYLL_LAYOUT)
    for folder, collection in (("reviews", "_reviews"), ("drafts", "_draft_reviews")):
        if (export / folder).is_dir():
            shutil.copytree(export / folder, jsite / collection)
    build([jekyll, "build", "--safe", "--quiet", "--source", ".", "--destination", "_site"], jsite)
    for slug, (title, status, *_rest) in reviews.items():
        folder = "reviews" if status == "published" else "drafts"
        for built in (site / "public", jsite / "_site"):
            page = built / folder / slug / "index.html"
            assert page.is_file(), f"{built.parent.name} has no page for {folder}/{slug}"
            assert f"<h1>{html.escape(title)}</h1>" in page.read_text(encoding="utf-8")
    hugo_pages = list((site / "public").glob("*/*/index.html"))
    assert len(hugo_pages) == len(reviews)  # none hidden by an `index` page


@pytest.mark.parametrize("shape", ["hugo", "jekyll", "obsidian", "film-blog"])
def test_each_shape_imports_exports_and_builds(make_app, tmp_path, shape):
    files, options = {
        "hugo": (HUGO_SITE, {}),
        "jekyll": (JEKYLL_BLOG, {}),
        "obsidian": (OBSIDIAN_VAULT, {"skip_unreadable": True}),
        "film-blog": (FILM_BLOG, {"rating_scale": 5}),
    }[shape]
    plan, reviews, export = import_and_export(make_app, tmp_path, files, **options)
    CHECKS[shape](plan, reviews)
    assert_built_with_every_page(export, reviews, tmp_path)


def check_hugo(plan, reviews):
    assert sorted(reviews) == [
        "getting-started",
        "gone",
        "hugo-build",
        "idea",
        "index-2",
        "night-train",
        "night-train-zh",
        "quiet-sea",
        "quiet-sea-ko",
        "toml",
    ]
    assert reviews["getting-started"][1] == "published"  # Hugo publishes undated pages
    assert reviews["gone"][1] == "draft" and reviews["idea"][1] == "draft"
    assert reviews["night-train"][4] == ["Film", "Thriller"]
    assert reviews["toml"][4] == ["Drama"]
    assert ("content/posts/_index.md", "a Hugo section page (_index.md), not a review") in (
        plan.skipped
    )
    assert ("content/posts/night-train/still.jpg", "not a Markdown file") in plan.skipped


def check_jekyll(plan, reviews):
    assert sorted(reviews) == ["first-light", "hidden", "home", "no", "rain-city", "someday"]
    assert reviews["first-light"][4] == ["film", "kdrama", "review", "romance"]
    assert reviews["rain-city"][4] == ["Crime", "Noir"]
    assert reviews["no"][0] == "No" and reviews["no"][1] == "published"
    assert reviews["hidden"][1] == "draft" and reviews["someday"][1] == "draft"


def check_obsidian(plan, reviews):
    assert plan.errors[0][0] == "Templates/Review.md"
    assert sorted(reviews) == ["2026-02-03", "night-train", "quiet-sea"]
    assert reviews["night-train"][3] == (
        "Better than [the sea film](/reviews/quiet-sea); the cast is in "
        "[Quiet Sea › Cast](/reviews/quiet-sea)."
    )
    assert "[Night Train](/reviews/night-train) and Unwritten." in reviews["quiet-sea"][3]
    skipped = dict(plan.skipped)
    assert skipped["attachments/poster.png"] == "not a Markdown file"
    assert skipped["Films/Night Train.md: ![[attachments/poster.png]]"] == "an embed, not imported"


def check_film_blog(plan, reviews):
    assert plan.unscaled_ratings == 3  # 4, 3.5 and 5 gave no scale; stars and "4.5/5" do
    assert {slug: str(r[2]) for slug, r in reviews.items()} == {
        "harbour": "8.0",
        "lanterns": "7.0",
        "summit": "10.0",
        "frost": "4.0",
        "ember": "9.0",
    }


CHECKS = {
    "hugo": check_hugo,
    "jekyll": check_jekyll,
    "obsidian": check_obsidian,
    "film-blog": check_film_blog,
}
