"""A cover in a real browser: chosen in the editor's Cover section, refused with a message that
leaves the typed text alone, then shown on the review page, also on a phone."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from journal.editing import new_review, save

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def poster() -> bytes:
    image = Image.new("RGB", (1200, 1800), (30, 40, 90))
    draw = ImageDraw.Draw(image)
    for n in range(0, 1200, 60):
        draw.rectangle((n, 0, n + 30, 900), fill=(220, 160, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.fixture
def review_id(live_app):
    with live_app.app_context():
        return save(new_review(), {"title": "Night Train", "body": "First line."}, "published").id


def test_a_cover_is_uploaded_in_the_editor_and_read_on_the_review_page(
    writer_page, live_server, review_id, tmp_path
):
    page = writer_page
    page.goto(f"{live_server.url}/write/{review_id}")
    page.evaluate("window.coverMarker = 'same page'")
    body = page.get_by_label("Body", exact=True)
    body.fill("First line.\nTyped before choosing a cover, not saved by any button.")
    section = page.locator("#cover")

    section.get_by_label("Cover image", exact=True).set_input_files(
        {"name": "poster.jpg", "mimeType": "image/jpeg", "buffer": SVG}
    )
    section.get_by_label("Cover alt text", exact=True).fill("A train in the rain")
    section.get_by_role("button", name="Save cover", exact=True).click()
    expect(section.get_by_role("alert")).to_contain_text("SVG images are not accepted")
    expect(body).to_have_value(
        "First line.\nTyped before choosing a cover, not saved by any button."
    )
    expect(section.get_by_label("Cover alt text", exact=True)).to_have_value("A train in the rain")
    assert page.evaluate("window.coverMarker") == "same page"  # swapped in place, not reloaded

    section.get_by_label("Cover image", exact=True).set_input_files(
        {"name": "poster.jpg", "mimeType": "image/jpeg", "buffer": poster()}
    )
    section.get_by_role("button", name="Save cover", exact=True).click()
    thumb = section.get_by_role("img", name="A train in the rain")
    expect(thumb).to_be_visible()
    expect(section.get_by_role("button", name="Remove cover", exact=True)).to_be_visible()
    expect(body).to_have_value(
        "First line.\nTyped before choosing a cover, not saved by any button."
    )
    assert page.evaluate("window.coverMarker") == "same page"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reviews/night-train")
    cover = page.locator(".review-cover img")
    expect(cover).to_have_attribute("alt", "A train in the rain")
    expect(cover).to_have_attribute("width", "1200")
    page.wait_for_function(
        "() => { const i = document.querySelector('.review-cover img');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    box = cover.bounding_box()
    assert box and 0 < box["width"] <= 390 and box["height"] > 0
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # no sideways scroll
    page.screenshot(path=str(tmp_path / "review-390.png"), full_page=False)
    # On a phone the browser picks the 480 px copy from srcset.
    assert page.evaluate("document.querySelector('.review-cover img').currentSrc").endswith(
        "-480.webp"
    )

    page.goto(live_server.url + "/")
    card = page.locator(".review-card img.card-cover")
    expect(card).to_have_attribute("alt", "A train in the rain")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "index-390.png"), full_page=False)
