"""Input no database or header can hold answers 4xx with a message, never a 500."""

from __future__ import annotations

import io

import pytest

from .conftest import WriterActions

HUGE = "9223372036854775808"  # 2**63: one past SQLite's integers
HUGER = "9" * 40


@pytest.fixture
def quiet_app(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a bug answers 500 here instead of raising
    return app


@pytest.mark.parametrize(
    "url",
    [
        f"/?page={HUGE}",
        f"/?page={HUGER}",
        f"/search?q=night&page={HUGE}",
        f"/tags/medical?page={HUGE}",
    ],
)
def test_a_page_number_no_list_reaches_is_a_404_for_anyone(quiet_app, sample_review, url):
    sample_review("Night shift", status="published", tags="Medical")
    response = quiet_app.test_client().get(url)
    assert response.status_code == 404
    assert "There is no page" in response.text


@pytest.mark.parametrize(
    "url",
    [
        f"/write/{HUGE}",
        f"/write/{HUGER}",
        f"/write/{HUGE}/history",
        f"/write/{HUGE}/delete",
        f"/write/1/characters/{HUGE}/edit",
        f"/write/{HUGE}/characters/new",
        f"/write/tags/{HUGE}/rename",
        f"/write/1/history?from={HUGE}&to={HUGE}",
    ],
)
def test_huge_ids_in_writer_urls_are_4xx(quiet_app, writer, client, sample_review, url):
    sample_review()
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert "<h1" in response.text


@pytest.mark.parametrize("rating", ["Infinity", "-Infinity", "NaN", "sNaN", "1e999999"])
def test_a_rating_that_is_not_a_number_is_refused_with_the_text_kept(
    quiet_app, writer, client, sample_review, rating
):
    review_id = sample_review()
    data = {"title": "Kept title", "body": "Kept words.", "rating": rating, "version": HUGE}
    response = client.post(f"/write/{review_id}", data=data)
    assert response.status_code == 422
    assert "Kept words." in response.text and "Rate from 0 to 10." in response.text
    autosave = client.post("/write/autosave", data={**data, "review_id": str(review_id)})
    assert 400 <= autosave.status_code < 500


def test_autosave_of_a_review_id_the_database_cannot_hold_is_4xx(quiet_app, writer, client):
    response = client.post("/write/autosave", data={"review_id": HUGE, "title": "x", "body": "y"})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("next_url", ["/write/%0d%0aSet-Cookie:%20x=1", "/write/%0aX:1", "/%09"])
def test_a_next_with_control_characters_is_ignored(quiet_app, writer, client, next_url):
    writer.logout()
    response = client.post(
        f"/login?next={next_url}",
        data={"username": "writer", "password": "correct horse battery"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/write/"


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_an_oversize_form_is_refused_before_it_is_read(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, MAX_FORM_MEMORY_SIZE=1024 * 1024)
    client = app.test_client()
    WriterActions(app, client).create()
    WriterActions(app, client).login()
    body = b"body=" + b"x" * (2 * 1024 * 1024)  # over the form limit, under the request limit
    assert len(body) < app.config["MAX_CONTENT_LENGTH"]
    stream = CountingStream(body)
    response = client.post(
        "/write/preview",
        input_stream=stream,
        content_length=len(body),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "larger than the journal accepts" in response.text
    assert stream.bytes_read == 0


def test_a_large_form_is_decoded_once_not_field_by_field(writer, client, monkeypatch):
    from journal.web import security

    calls = []
    real = security.unquote_to_bytes
    monkeypatch.setattr(security, "unquote_to_bytes", lambda b: calls.append(1) or real(b))
    fields = {f"field{n}": "x" * 100 for n in range(20_000)}  # 2 MB in 20,000 fields
    response = client.post("/write/new", data={"title": "Kept", "body": "Kept words.", **fields})
    assert response.status_code in (200, 303, 422)
    assert len(calls) == 1


def test_a_body_at_its_limit_in_four_byte_characters_still_fits(writer, client):
    text = "😀" * 200_000  # MAX_BODY_CHARS of the widest characters
    response = client.post("/write/preview", data={"body": text})
    assert response.status_code == 200
