"""What only a browser shows: a diff that reads line by line, the verdict near the title,
a heading scale and a reading measure of about 70 characters (the same in Preview)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from journal.editing import new_review, save
from journal.extensions import db
from journal.models import PUBLISHED, Review
from tools.demo import GARDEN_BODY

from .conftest import rendering_only

LINES = ["Episode one opens in the rain.", "Episode two is quieter.", "The finale is loud."]
OLD = "\n".join(
    ["A fierce surgeon works the night shift in a hospital that cannot pay for its lights.", *LINES]
)
NEW = OLD.replace("fierce", "gentle")


@pytest.fixture
def edited(live_app):
    """A published review saved twice, the second time with one word changed."""
    with live_app.app_context():
        review = save(new_review(), {"title": "Night Shift", "body": OLD}, PUBLISHED)
        save(review, {"title": "Night Shift", "body": NEW})
        review_id = review.id
        db.session.remove()
        return review_id


def boxes(page):
    old = page.locator(".diff del", has_text="fierce").bounding_box()
    new = page.locator(".diff ins", has_text="gentle").bounding_box()
    return old, new


def assert_reads_as_lines(page):
    """A changed word sits on one line, inside a line of text, not a column one letter wide."""
    for word in ("fierce", "gentle"):
        mark = page.locator(".diff :is(del, ins)", has_text=word).bounding_box()
        assert mark["height"] < 30 and mark["width"] > 30, (word, mark)
        line = page.get_by_text("works the night shift").first.bounding_box()
        assert line["width"] > 250, line
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")


@rendering_only
def test_history_diff_side_by_side_on_a_desktop_stacked_on_a_phone(
    writer_page, live_server, edited
):
    page = writer_page
    page.goto(f"{live_server.url}/write/{edited}/history")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.locator(".diff del", has_text="fierce")).to_be_visible()
    assert_reads_as_lines(page)
    old, new = boxes(page)
    assert abs(old["y"] - new["y"]) < 5 and new["x"] > old["x"] + 300  # before | after

    page.set_viewport_size({"width": 390, "height": 844})
    assert_reads_as_lines(page)
    old, new = boxes(page)
    assert new["y"] > old["y"] + 10  # after below before


@rendering_only
def test_conflict_diff_reads_line_by_line(writer_page, live_server, live_app, edited):
    page = writer_page
    page.goto(f"{live_server.url}/write/{edited}")
    with live_app.app_context():
        review = db.session.get(Review, edited)
        save(review, {"title": "Night Shift", "body": OLD})
        db.session.remove()
    page.get_by_label("Body", exact=True).fill(NEW + " Mine.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Edit conflict", exact=True)).to_be_visible()
    page.locator("summary", has_text="Differences from the saved version").click()
    assert_reads_as_lines(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_reads_as_lines(page)


@pytest.fixture
def long_review(live_app):
    fields = {
        "title": "Garden at Night",
        "rating": Decimal("8.5"),
        "verdict": "A quiet mystery that rewards patience.",
        "where_to_watch": "Netflix",
        "episodes": 16,
        "body": GARDEN_BODY * 4,
    }
    with live_app.app_context():
        slug = save(new_review(), fields, PUBLISHED).slug
        db.session.remove()
        return slug, fields


@rendering_only
def test_a_phone_reader_sees_the_rating_and_verdict_on_the_first_screen(
    page, live_server, long_review
):
    slug, _ = long_review
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reviews/{slug}")
    header = page.locator("article.review > header")
    expect(header).to_contain_text("8.5/10")
    verdict = header.get_by_text("A quiet mystery that rewards patience.")
    assert verdict.bounding_box()["y"] + verdict.bounding_box()["height"] < 844
    expect(header).to_contain_text("Netflix")
    # The facts repeat at the end, as in the sample review.
    expect(page.locator("article.review > footer .facts")).to_contain_text("8.5/10")


# Characters on each line of the body's first long paragraph (its last line left out).
LINE_LENGTHS = """(el) => {
  const range = document.createRange();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const lines = new Map();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      const top = Math.round(box.top);
      lines.set(top, (lines.get(top) || 0) + 1);
    }
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]).slice(0, -1);
}"""


def assert_readable(body):
    title_size = body.page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    )
    heading = body.locator("h2").first.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")
    assert heading * 1.4 <= title_size, (heading, title_size)
    paragraph = body.locator("p").first
    lengths = paragraph.evaluate(LINE_LENGTHS)
    assert len(lengths) >= 2
    average = sum(lengths) / len(lengths)
    assert 60 <= average <= 78, lengths


@rendering_only
def test_heading_scale_and_reading_measure_on_the_page_and_in_preview(
    writer_page, live_server, long_review
):
    page = writer_page
    slug, fields = long_review
    page.goto(f"{live_server.url}/reviews/{slug}")
    assert_readable(page.locator(".review-body"))

    page.goto(f"{live_server.url}/write/new")
    page.get_by_label("Title", exact=True).fill(fields["title"])
    page.get_by_label("Body", exact=True).fill(fields["body"])
    page.get_by_role("button", name="Preview", exact=True).click()
    assert_readable(page.locator("#preview .review-body"))
