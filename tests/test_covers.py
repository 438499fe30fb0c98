"""Covers: uploads checked and cleaned by Pillow, refused with a message, served with a year's
cache to readers and to nobody but the writer while only a draft shows them."""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zlib

import pytest
from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from journal.extensions import db
from journal.models import Review

from .conftest import WRITER, csrf_token_from

GPS = {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 40.0)}


def jpeg(size=(1200, 800), orientation=None, gps=True) -> bytes:
    image = Image.new("RGB", size, (180, 40, 60))
    for x in range(0, size[0], 40):  # something to encode besides one colour
        image.paste((20, 90, 200), (x, 0, x + 20, size[1] // 2))
    exif = Image.Exif()
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(size=(640, 480), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR says width × height, with one tiny IDAT: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(client, review_id, data=None, name="cover.jpg", alt="A poster", **extra):
    form = {"alt": alt, **extra}
    if data is not None:
        form["image"] = FileStorage(io.BytesIO(data), name, content_type="application/octet-stream")
    boundary, body = encode_multipart(form)  # in memory: the test client's temporary file
    # for a large body is never closed
    return client.post(
        f"/write/{review_id}/cover", data=body, headers={"HX-Request": "true"},
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip


def stored(app, review_id) -> Review:
    with app.app_context():
        review = db.session.get(Review, review_id)
        db.session.expunge(review)
        return review


def cover_src(html: str, small=False) -> str:
    pattern = (
        r"(/covers/[0-9a-f]{32}-480\.webp)" if small else r'src="(/covers/[0-9a-f]{32}\.webp)"'
    )
    match = re.search(pattern, html)
    assert match, html
    return match.group(1)


def test_a_jpeg_is_stored_as_webp_upright_without_its_gps(app, client, writer, sample_review):
    review_id = sample_review(status="published")
    data = jpeg(size=(3600, 2400), orientation=6)
    assert b"GPS" in data or Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    response = upload(client, review_id, data, alt="Two doctors in a corridor")
    assert response.status_code == 200
    assert "Remove cover" in response.text
    review = stored(app, review_id)
    assert (review.cover_width, review.cover_height) == (1600, 2400)  # turned upright, 1600 wide
    assert review.cover_alt == "Two doctors in a corridor"

    page = client.get("/reviews/" + review.slug).text
    large = client.get(cover_src(page))
    large.get_data()
    large.close()
    assert large.status_code == 200
    assert large.mimetype == "image/webp"
    image = Image.open(io.BytesIO(large.data))
    assert image.format == "WEBP" and image.size == (1600, 2400)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert b"Exif" not in large.data and b"XMP" not in large.data
    assert 'alt="Two doctors in a corridor"' in page
    assert 'width="1600" height="2400"' in page
    assert re.search(
        r'srcset="/covers/[0-9a-f]{32}-480\.webp 480w, /covers/[0-9a-f]{32}\.webp 1600w"', page
    )
    small_response = client.get(cover_src(page, small=True))
    small = Image.open(io.BytesIO(small_response.get_data()))
    small_response.close()
    assert small.size == (480, 720)


def test_a_png_with_transparency_is_kept_with_its_alpha(app, client, writer, sample_review):
    review_id = sample_review()
    assert upload(client, review_id, png(), name="poster.png").status_code == 200
    review = stored(app, review_id)
    assert (review.cover_width, review.cover_height) == (640, 480)
    response = client.get(f"/covers/{review.cover}.webp")
    data = response.data
    response.close()
    assert Image.open(io.BytesIO(data)).mode == "RGBA"


def test_cover_files_are_the_owners_only(app, client, writer, sample_review):
    review_id = sample_review()
    upload(client, review_id, png(mode="RGB"), name="poster.png")
    folder = app.instance_path + "/covers"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    for name in os.listdir(folder):
        assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600


@pytest.mark.parametrize(
    ("data", "name", "status", "words"),
    [
        (b"\xff\xd8" + b"x" * (30 * 1024 * 1024), "huge.jpg", 413, "larger than the 20 MB"),
        (png_header_only(50_000, 50_000), "bomb.png", 422, "megapixels"),
        (png_header_only(8_000, 6_000), "big.png", 422, "8,000 × 6,000 pixels"),
        (b"Dear diary, this is not a picture.\n" * 20, "notes.jpg", 422, "not an image"),
        (SVG, "poster.png", 422, "SVG images are not accepted"),
        (jpeg()[:3000], "cut.jpg", 422, "damaged or cut short"),
    ],
    ids=["30-MB", "50000x50000-header", "48-megapixels", "text-named-jpg", "svg", "truncated"],
)
def test_refused_images_answer_with_a_message_and_store_nothing(
    app, client, writer, sample_review, data, name, status, words
):
    review_id = sample_review()
    response = upload(client, review_id, data, name=name, alt="Kept alt text")
    assert response.status_code == status
    assert words in response.text
    assert 'role="alert"' in response.text
    if status == 422:
        assert 'value="Kept alt text"' in response.text  # what was typed comes back
    assert stored(app, review_id).cover is None


def test_alt_text_is_required_with_an_image(app, client, writer, sample_review):
    review_id = sample_review()
    response = upload(client, review_id, png(), name="p.png", alt="   ")
    assert response.status_code == 422
    assert "Give the cover a short description (alt text)." in response.text
    assert stored(app, review_id).cover is None
    assert upload(client, review_id, None, alt="").status_code == 422  # nothing chosen either


def test_alt_text_alone_changes_and_remove_cover_removes_files(app, client, writer, sample_review):
    review_id = sample_review(status="published")
    upload(client, review_id, png(mode="RGB"), name="p.png")
    name = stored(app, review_id).cover
    assert upload(client, review_id, None, alt="A green field").status_code == 200
    assert stored(app, review_id).cover_alt == "A green field"
    assert stored(app, review_id).cover == name

    response = upload(client, review_id, None, action="remove")
    assert response.status_code == 200 and "Remove cover" not in response.text
    review = stored(app, review_id)
    assert review.cover is None and review.cover_alt is None
    assert client.get(f"/covers/{name}.webp").status_code == 404
    assert not os.path.exists(os.path.join(app.instance_path, "covers", f"{name}.webp"))


def test_a_plain_form_is_redirected_to_the_editor(app, client, writer, sample_review):
    review_id = sample_review()
    response = client.post(
        f"/write/{review_id}/cover",
        data={"alt": "A poster", "image": (io.BytesIO(png()), "p.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/write/{review_id}")
    refused = client.post(
        f"/write/{review_id}/cover",
        data={"alt": "A poster", "image": (io.BytesIO(SVG), "p.svg")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "<h1>Cover</h1>" in refused.text


def test_logged_out_uploads_are_refused(app, client, sample_review):
    review_id = sample_review()
    response = upload(client, review_id, png(), name="p.png")
    assert response.status_code in (302, 401)
    assert stored(app, review_id).cover is None


def test_an_upload_without_the_csrf_token_is_refused(csrf_app, sample_review):
    with csrf_app.app_context():
        from journal.writers import set_writer_password

        set_writer_password(*WRITER)
    client = csrf_app.test_client()
    login_page = client.get("/login").text
    client.post("/login", data={"username": WRITER[0], "password": WRITER[1],
                                "csrf_token": csrf_token_from(login_page)})  # fmt: skip
    with csrf_app.app_context():
        from journal.editing import new_review, save

        review_id = save(new_review(), {"title": "T", "body": "b"}).id
    refused = upload(client, review_id, png(), name="p.png")
    assert refused.status_code == 400
    assert stored(csrf_app, review_id).cover is None
    token = csrf_token_from(client.get(f"/write/{review_id}").text)
    accepted = upload(client, review_id, png(), name="p.png", csrf_token=token)
    assert accepted.status_code == 200
    assert stored(csrf_app, review_id).cover


def test_published_covers_are_cached_for_a_year(app, client, writer, sample_review):
    review_id = sample_review(status="published")
    upload(client, review_id, png(), name="p.png")
    name = stored(app, review_id).cover
    writer.logout()
    for file in (f"{name}.webp", f"{name}-480.webp"):
        response = client.get(f"/covers/{file}")
        response.close()
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Type"] == "image/webp"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers
    assert client.get(f"/covers/{'0' * 32}.webp").status_code == 404
    assert client.get("/covers/../journal.db").status_code == 404
    assert client.get(f"/covers/{name}.png").status_code == 404


def test_a_drafts_cover_is_the_writers_only(app, client, writer, sample_review):
    review_id = sample_review()
    upload(client, review_id, png(), name="p.png")
    name = stored(app, review_id).cover
    mine = client.get(f"/covers/{name}.webp")
    mine.close()
    assert mine.status_code == 200
    assert mine.headers["Cache-Control"] == "no-store"
    writer.logout()
    assert client.get(f"/covers/{name}.webp").status_code == 404
    assert client.get(f"/covers/{name}-480.webp").status_code == 404


def test_list_pages_show_the_small_cover_with_its_alt_text(app, client, writer, sample_review):
    review_id = sample_review(title="Night Train", status="published", tags="Thriller")
    upload(client, review_id, jpeg(), alt="A train at night")
    writer.logout()
    for path in ("/", "/tags/thriller", "/search?q=train"):
        html = client.get(path).text
        card = r'<img class="card-cover" src="/covers/[0-9a-f]{32}-480\.webp" width="480" '
        assert re.search(card + r'height="320" alt="A train at night"', html), path


def test_deleting_the_review_deletes_its_cover_files(app, client, writer, sample_review):
    review_id = sample_review()
    upload(client, review_id, png(), name="p.png")
    name = stored(app, review_id).cover
    folder = os.path.join(app.instance_path, "covers")
    assert os.path.exists(os.path.join(folder, f"{name}-480.webp"))
    client.post(f"/write/{review_id}/delete", data={})
    assert not os.path.exists(os.path.join(folder, f"{name}.webp"))
    assert not os.path.exists(os.path.join(folder, f"{name}-480.webp"))
