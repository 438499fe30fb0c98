"""Export: the fixed Markdown format, the per-review download, the zip, `journal export`."""

from __future__ import annotations

import zipfile

import pytest
import yaml

from journal import exchange
from journal.extensions import db
from journal.frontmatter import plain_or_quoted, quoted
from journal.models import Review

from .exchange_helpers import FULL_EXPORT, make_full_review, make_sample_journal, unzip

FORBIDDEN = ("published", "type", "kind", "layout", "url", "weight", "summary", "aliases")


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_full_review_is_written_exactly_in_the_fixed_format(seoul_app):
    review_id = make_full_review(seoul_app)
    with seoul_app.app_context():
        text = exchange.export_review(db.session.get(Review, review_id))
    assert text == FULL_EXPORT


def test_minimal_draft_leaves_out_absent_values_and_empty_lists(app, sample_review):
    review_id = sample_review("Just a title", body="")
    with app.app_context():
        review = db.session.get(Review, review_id)
        text = exchange.export_review(review)
        created = review.created_at.replace(microsecond=0).isoformat() + "+00:00"
    assert text.endswith("---\n")
    meta = front_matter(text)
    assert list(meta) == [
        "title", "slug", "date", "lastmod", "created", "draft", "render_with_liquid",
    ]  # fmt: skip
    assert meta["draft"] is True and meta["render_with_liquid"] is False
    assert f"date: {created}\n" in text  # a draft's date is its creation, to the second
    assert "null" not in text and "[]" not in text
    assert "<!-- journal:characters -->" not in text


def test_never_writes_keys_reserved_by_hugo_jekyll_or_obsidian(seoul_app):
    make_sample_journal(seoul_app)
    with seoul_app.app_context():
        for review in db.session.scalars(db.select(Review)):
            meta = front_matter(exchange.export_review(review))
            assert not set(FORBIDDEN) & set(meta)


@pytest.mark.parametrize(
    "value",
    [
        'She said: "run" # not a comment',
        "- a list? no",
        "---",
        "'single' quotes",
        "  leading spaces",
        "back\\slash and tab\there",
        "줄바꿈 없는 한국어 제목 🎬",
        "yes",
        "null",
        "2025",
        "1.5",
        "{not: a mapping}",
        "[not, a, list]",
        "trailing space ",
        "line\u2028separator and \x85 next line and \ufeff bom",
        "@at `tick` %percent &amp *star !bang |pipe >gt",
    ],
)
def test_every_string_reads_back_as_written(value):
    assert yaml.safe_load(f"v: {quoted(value)}")["v"] == value
    assert yaml.safe_load(f"v: {plain_or_quoted(value)}")["v"] == value
    assert yaml.safe_load(f"v: [{plain_or_quoted(value)}]")["v"] == [value]
    assert yaml.safe_load(f"v: {{a: {plain_or_quoted(value)}}}")["v"] == {"a": value}


def test_ordinary_words_stay_plain_as_in_the_example():
    assert plain_or_quoted("Netflix") == "Netflix"
    assert plain_or_quoted("K-drama") == "K-drama"
    assert plain_or_quoted("Baek Gang Hyeok") == "Baek Gang Hyeok"
    assert plain_or_quoted("Yes") == '"Yes"'
    assert plain_or_quoted("Disney+") == '"Disney+"'


def test_published_review_downloads_as_markdown_for_anyone(seoul_app):
    make_full_review(seoul_app)
    response = seoul_app.test_client().get("/reviews/night-shift-the-ward-never-sleeps.md")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "night-shift-the-ward-never-sleeps.md" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True) == FULL_EXPORT


def test_public_review_page_links_to_its_markdown(seoul_app):
    make_full_review(seoul_app)
    html = seoul_app.test_client().get("/reviews/night-shift-the-ward-never-sleeps").text
    assert 'href="/reviews/night-shift-the-ward-never-sleeps.md"' in html
    assert ">Markdown</a>" in html


def test_draft_markdown_is_for_the_writer_only(client, writer, sample_review, app):
    sample_review("Hidden draft")
    writer.logout()
    assert client.get("/reviews/hidden-draft.md").status_code == 404
    assert client.get("/reviews/no-such-review.md").status_code == 404
    writer.login()
    response = client.get("/reviews/hidden-draft.md")
    assert response.status_code == 200
    assert "draft: true" in response.text
    assert "no-store" in response.headers["Cache-Control"]


def test_export_zip_is_for_the_writer_and_holds_every_review(client, writer, app):
    make_sample_journal(app)
    response = client.get("/write/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    files = unzip(response.get_data())
    assert sorted(files) == [
        "drafts/unfinished-thoughts.md",
        "reviews/night-shift-the-ward-never-sleeps.md",
        "reviews/paper-lanterns.md",
    ]
    assert b"draft: true" in files["drafts/unfinished-thoughts.md"]
    with app.app_context():
        review = db.session.scalar(db.select(Review).where(Review.slug == "paper-lanterns"))
        assert files["reviews/paper-lanterns.md"] == exchange.export_review(review).encode()
    writer.logout()
    response = client.get("/write/export")
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]


def test_nav_offers_import_and_export_to_the_writer_only(client, writer):
    html = client.get("/write/").text
    assert ">Import</a>" in html and ">Export</a>" in html
    writer.logout()
    html = client.get("/").text
    assert ">Import</a>" not in html and ">Export</a>" not in html


def test_cli_exports_to_a_folder_with_a_summary(app, runner, tmp_path):
    make_sample_journal(app)
    target = tmp_path / "out"
    result = runner.invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    assert "2 published, 1 draft, 2 characters, 5 genres" in result.output
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.md")) == [
        "drafts/unfinished-thoughts.md",
        "reviews/night-shift-the-ward-never-sleeps.md",
        "reviews/paper-lanterns.md",
    ]


def test_cli_exports_to_a_zip(app, runner, tmp_path):
    make_sample_journal(app)
    target = tmp_path / "journal.zip"
    result = runner.invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert len(archive.namelist()) == 3
    assert not (tmp_path / "journal.zip.part").exists()


def test_export_warns_about_hugo_shortcode_openers(app, runner, sample_review, tmp_path):
    sample_review("Shortcodes", status="published", body="Hugo reads {{< this >}} as a shortcode.")
    result = runner.invoke(args=["export", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "reviews/shortcodes.md" in result.output and "shortcode" in result.output


def test_streamed_export_keeps_the_session_small(app):
    """Ten thousand reviews must not pile up: the session is emptied after every batch."""
    with app.app_context():
        for n in range(exchange._BATCH + 5):
            db.session.add(Review(title=f"R{n}", slug=f"r-{n}", body="x", status="published"))
        db.session.commit()
        db.session.expunge_all()
        summary = exchange.ExportSummary()
        most = 0
        for _entry in exchange.iter_exports(summary):
            most = max(most, len(db.session.identity_map))
        assert summary.published == exchange._BATCH + 5
        assert most <= exchange._BATCH * 2
