"""Export names what a static site would run that the journal shows as text (issue 9, #12)."""

from __future__ import annotations

import shutil

import pytest

from journal import exchange
from journal.editing import new_review, save
from journal.models import Character

from .test_static_sites import (
    HUGO_CONFIG,
    HUGO_LIST,
    HUGO_SINGLE,
    JEKYLL_CONFIG,
    JEKYLL_LAYOUT,
    build,
    require,
)

HOSTILE = (
    "Intro.\n\n<script>alert(1)</script>\n\n"
    "[trailer](JAVASCRIPT:alert(2)) and [more](&#106;avascript:alert(3))"
)


@pytest.fixture
def journal_with_hostile_text(app):
    with app.app_context():
        save(new_review(), {"title": "Raw", "body": HOSTILE}, "published")
        plain = {"title": "Plain", "body": "A [link](https://example.org)."}
        save(new_review(), plain, "published")
        noted = save(new_review(), {"title": "Noted", "body": "Fine."})
        noted.characters = [Character(name="A", notes='<iframe src="https://x.org"></iframe>')]
        save(noted, {"title": "Noted", "body": "Fine."})


def test_cli_export_names_the_reviews_and_says_what_jekyll_and_hugo_do(
    app, runner, tmp_path, journal_with_hostile_text
):
    result = runner.invoke(args=["export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    raw = next(line for line in result.output.splitlines() if "reviews/raw.md" in line)
    assert raw.startswith("Warning: reviews/raw.md: the body holds raw HTML (<script>)")
    assert "links the journal does not make (javascript:)" in raw
    assert "Jekyll (kramdown) puts the raw HTML on the page as written" in raw
    assert "Hugo (goldmark) leaves the raw HTML out" in raw
    assert "`JAVASCRIPT:`" in raw and "which run when clicked" in raw
    assert "Warning: drafts/noted.md: the body holds raw HTML (<iframe>)" in result.output
    assert "plain.md" not in result.output


def test_web_export_still_downloads_and_tells_the_writer(
    app, client, writer, journal_with_hostile_text
):
    response = client.get("/write/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert len(response.data) > 100
    page = client.get("/write/").text
    assert "The export holds 2 reviews that a static site shows differently" in page
    assert "Export report" in client.get("/write/import").text
    report = client.get("/write/export/report")
    assert report.status_code == 200
    assert "reviews/raw.md: the body holds raw HTML (&lt;script&gt;)" in report.text
    assert "drafts/noted.md" in report.text and "plain.md" not in report.text
    writer.logout()
    assert client.get("/write/export/report").status_code in (302, 303)


def test_a_clean_journal_exports_without_warnings(app, client, writer):
    with app.app_context():
        save(new_review(), {"title": "Plain", "body": "<https://example.org> ok"}, "published")
        assert exchange.scan_warnings() == []
    client.get("/write/export")
    assert "static site shows differently" not in client.get("/write/").text


def test_the_warning_says_what_the_builds_really_do(app, tmp_path, journal_with_hostile_text):
    """Our own Hugo and Jekyll site configs (tests/test_static_sites.py) with the export."""
    hugo, jekyll = require("hugo"), require("jekyll")
    with app.app_context():
        exchange.export_to(tmp_path / "export")
    site = tmp_path / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    shutil.copytree(tmp_path / "export", site / "content")
    build([hugo, "--quiet", "--destination", "public"], site)
    page = (site / "public" / "reviews" / "raw" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page and "raw HTML omitted" in page
    assert 'href="JAVASCRIPT:alert(2)"' in page  # kept: runs when clicked

    jsite = tmp_path / "jekyll"
    (jsite / "_layouts").mkdir(parents=True)
    (jsite / "_config.yml").write_text(JEKYLL_CONFIG)
    (jsite / "_layouts" / "review.html").write_text(JEKYLL_LAYOUT)
    shutil.copytree(tmp_path / "export" / "reviews", jsite / "_reviews")
    build([jekyll, "build", "--safe", "--quiet", "--source", ".", "--destination", "_site"], jsite)
    page = (jsite / "_site" / "reviews" / "raw" / "index.html").read_text()
    assert "<script>alert(1)</script>" in page  # runs on page load
    assert 'href="JAVASCRIPT:alert(2)"' in page
