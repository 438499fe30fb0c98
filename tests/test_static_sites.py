"""An export builds unchanged as the content of a Hugo site and of a Jekyll site.

Without hugo or jekyll these tests skip with a reason on a laptop and fail in CI (CI=true),
like the browser tests do without Chromium.
"""

from __future__ import annotations

import html
import io
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from PIL import Image

from journal import covers, exchange
from journal.extensions import db
from journal.models import Review

from .conftest import engine_independent
from .exchange_helpers import create_review, make_sample_journal

pytestmark = engine_independent

HUGO_CONFIG = """\
baseURL = "http://example.org/"
title = "Exported journal"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
HUGO_SINGLE = """\
<!doctype html><html><body><article>
<h1>{{ .Title }}</h1>
{{ with .Params.image }}<img src="/{{ . }}" alt="{{ $.Params.image_alt }}">{{ end }}
<time>{{ .Date.Format "2006-01-02" }}</time>
<ul class="genres">{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>
<div class="body">{{ .Content }}</div>
</article></body></html>
"""
HUGO_LIST = "<!doctype html><html><body>{{ range .Pages }}{{ .Title }} {{ end }}</body></html>\n"
JEKYLL_CONFIG = """\
title: Exported journal
timezone: Asia/Seoul
collections:
  reviews:
    output: true
    permalink: /reviews/:slug/
defaults:
  - scope: {path: "", type: reviews}
    values: {layout: review}
"""
JEKYLL_LAYOUT = """\
<!doctype html><html><body><article>
<h1>{{ page.title }}</h1>
{% if page.image %}<img src="/{{ page.image }}" alt="{{ page.image_alt }}">{% endif %}
<time>{{ page.date | date: "%Y-%m-%d" }}</time>
<ul class="genres">{% for tag in page.tags %}<li>{{ tag }}</li>{% endfor %}</ul>
<div class="body">{{ content }}</div>
</article></body></html>
"""


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (apt-get install {tool})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def export(make_app, tmp_path) -> Path:
    """A sample journal exported to a folder: Hangul, Liquid-looking bodies, a draft."""
    app = make_app(WTF_CSRF_ENABLED=False, TIMEZONE="Asia/Seoul")
    make_sample_journal(app)
    with app.app_context():
        create_review(
            {
                "title": "밤의 병동: 한 편의 리뷰 🎬",
                "body": "한국어 본문입니다. {% if %} and {{ nothing }} stay text.",
                "tags": "의학, K-drama",
            },
            "published",
        )
        lanterns = db.session.scalar(sa.select(Review).where(Review.slug == "paper-lanterns"))
        image = io.BytesIO()
        Image.new("RGB", (300, 450), (200, 120, 40)).save(image, "PNG")
        root = covers.covers_root(app.instance_path)
        covers.set_cover(lanterns, root, covers.process(image.getvalue()), "Lanterns at dusk")
        exchange.export_to(tmp_path / "export")
        db.engine.dispose()
    return tmp_path / "export"


def expected_pages(folder: Path) -> list[dict]:
    pages = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n", 2)[1])
        first_line = exchange.normalize_body(text.split("---\n", 2)[2]).split("\n")[0]
        date = meta["date"]
        assert isinstance(date, datetime)
        pages.append(
            {
                "title": meta["title"],
                "date": date.strftime("%Y-%m-%d"),
                "tags": meta.get("tags", []),
                "body": first_line,
            }
        )
    return pages


def built_pages(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def page_for(site: Path, title: str) -> str:
    heading = f"<h1>{html.escape(title, quote=False)}</h1>"
    heading_quoted = f"<h1>{html.escape(title)}</h1>"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if heading in text or heading_quoted in text:
            return text
    raise AssertionError(f"no built page has the title {title!r}")


def assert_pages_carry_reviews(site: Path, pages: list[dict]) -> None:
    assert len(pages) == 3
    for page in pages:
        text = html.unescape(page_for(site, page["title"]))
        assert f"<time>{page['date']}</time>" in text
        for tag in page["tags"]:
            assert f"<li>{tag}</li>" in text
        assert page["body"] in text


def build(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hugo_builds_the_export_and_leaves_drafts_out(export, tmp_path):
    hugo = require("hugo")
    site = tmp_path / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (site / "layouts" / "index.html").write_text(HUGO_LIST)
    shutil.copytree(export, site / "content")
    build([hugo, "--quiet", "--destination", "public"], site)
    public = site / "public"
    assert_pages_carry_reviews(public, expected_pages(export / "reviews"))
    lanterns = public / "reviews" / "paper-lanterns" / "index.html"  # the slug is the URL
    assert '<img src="/covers/paper-lanterns.webp" alt="Lanterns at dusk">' in lanterns.read_text()
    assert "Secret draft text." not in built_pages(public)
    assert not (public / "drafts" / "unfinished-thoughts").exists()


def test_jekyll_builds_the_export_as_a_reviews_collection(export, tmp_path):
    jekyll = require("jekyll")
    site = tmp_path / "jekyll"
    (site / "_layouts").mkdir(parents=True)
    (site / "_config.yml").write_text(JEKYLL_CONFIG)
    (site / "_layouts" / "review.html").write_text(JEKYLL_LAYOUT)
    shutil.copytree(export / "reviews", site / "_reviews")
    shutil.copytree(export / "covers", site / "covers")
    build([jekyll, "build", "--safe", "--quiet", "--source", ".", "--destination", "_site"], site)
    built = site / "_site"
    assert_pages_carry_reviews(built, expected_pages(export / "reviews"))
    lanterns = (built / "reviews" / "paper-lanterns" / "index.html").read_text(encoding="utf-8")
    assert "{{ lanterns }}" in lanterns and "{% raw %}" in lanterns  # Liquid did not run
    assert '<img src="/covers/paper-lanterns.webp" alt="Lanterns at dusk">' in lanterns
    assert (built / "covers" / "paper-lanterns.webp").read_bytes() == (
        export / "covers" / "paper-lanterns.webp"
    ).read_bytes()
