"""The writer's Import page: upload, "Check" (dry run), "Import" (confirm); its own size limit."""

from __future__ import annotations

import io
import os
import re
import stat
import time

import pytest

from journal.uploads import purge_expired_uploads
from journal.writers import set_writer_password

from .conftest import WRITER, csrf_token_from
from .exchange_helpers import FULL_EXPORT, review_count, zip_of


def check(client, data: bytes, name: str, **extra):
    return client.post(
        "/write/import", data={"file": (io.BytesIO(data), name), **extra}, buffered=True
    )


def upload_token(html: str) -> str:
    match = re.search(r'name="upload" value="([0-9a-f]{32})"', html)
    assert match, "no Import button with an upload"
    return match.group(1)


def uploads(app) -> list[str]:
    folder = os.path.join(app.instance_path, "imports")
    return os.listdir(folder) if os.path.isdir(folder) else []


def test_import_page_is_for_the_writer(client, writer):
    html = client.get("/write/import").text
    assert '<label for="import-file">Markdown or zip file</label>' in html
    assert 'type="file" id="import-file" name="file"' in html
    assert ">Check</button>" in html
    assert ">Import</button>" not in html
    writer.logout()
    response = client.get("/write/import")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    assert client.post("/write/import").status_code in (302, 303)
    assert client.post("/write/import/confirm").status_code in (302, 303)


def test_check_shows_the_dry_run_then_import_confirms(app, client, writer):
    response = check(client, FULL_EXPORT.encode(), "night-shift.md")
    assert response.status_code == 200
    assert "1 to create, 0 to update, 0 unchanged, 0 skipped" in response.text
    assert "Night Shift: The Ward Never Sleeps" in response.text
    assert ">Import</button>" in response.text
    assert review_count(app) == 0  # a check writes nothing
    token = upload_token(response.text)
    folder = os.path.join(app.instance_path, "imports", token)
    assert os.path.isdir(folder)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.dirname(folder)).st_mode) == 0o700

    response = client.post("/write/import/confirm", data={"upload": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/write/")
    assert review_count(app) == 1
    assert uploads(app) == []  # deleted after the import
    page = client.get("/write/").text
    assert "Imported: 1 created, 0 updated, 0 unchanged, 0 skipped." in page

    again = check(client, FULL_EXPORT.encode(), "night-shift.md")
    assert "0 to create, 0 to update, 1 unchanged" in again.text


def test_zip_upload_lists_files_and_skips_the_rest(app, client, writer):
    data = zip_of(
        {
            "reviews/a.md": "---\ntitle: Alpha\ndraft: false\n---\nA",
            "drafts/b.md": "---\ntitle: Beta\ndraft: true\nmood: odd\n---\nB",
            "cover.jpg": b"\xff\xd8\xff",
        }
    )
    response = check(client, data, "journal.zip")
    assert response.status_code == 200
    text = response.text
    assert "2 to create, 0 to update, 0 unchanged, 1 skipped" in text
    assert "cover.jpg: not a Markdown file" in text
    assert "drafts/b.md: unknown key “mood” ignored" in text
    client.post("/write/import/confirm", data={"upload": upload_token(text)})
    assert review_count(app) == 2


def test_a_bad_file_is_named_and_import_waits_for_the_skip(app, client, writer):
    data = zip_of({"ok.md": "# Fine", "reviews/broken.md": b"---\ntitle: \xff\n---\n"})
    response = check(client, data, "journal.zip")
    assert response.status_code == 422
    assert "reviews/broken.md" in response.text and "not UTF-8" in response.text
    assert "1 of 2 Markdown files cannot be read" in response.text
    assert '<label for="import-skip-unreadable">' in response.text
    assert "Skip the files that cannot be read</label>" in response.text
    token = upload_token(response.text)
    assert review_count(app) == 0

    refused = client.post("/write/import/confirm", data={"upload": token})
    assert refused.status_code == 422
    assert "1 file(s) cannot be read; nothing was imported" in refused.text
    assert review_count(app) == 0 and uploads(app) == [token]  # it still waits

    done = client.post("/write/import/confirm", data={"upload": token, "skip_unreadable": "1"})
    assert done.status_code == 303
    assert review_count(app) == 1 and uploads(app) == []


def test_only_unreadable_files_leave_nothing_waiting(app, client, writer):
    response = check(client, zip_of({"broken.md": b"---\ntitle: \xff\n---\n"}), "j.zip")
    assert response.status_code == 422
    assert "Nothing will be imported" in response.text
    assert ">Import</button>" not in response.text
    assert uploads(app) == [] and review_count(app) == 0


def test_check_without_a_file_says_so_next_to_the_field(client, writer):
    response = client.post("/write/import", data={}, buffered=True)
    assert response.status_code == 422
    assert 'aria-describedby="import-file-error"' in response.text
    assert "Choose a Markdown (.md) or zip file to check." in response.text


def test_a_file_that_is_neither_markdown_nor_zip_is_skipped(app, client, writer):
    response = check(client, b"just text", "notes.txt")
    assert response.status_code == 200
    assert "notes.txt: not a Markdown file or zip" in response.text
    assert ">Import</button>" not in response.text
    assert uploads(app) == []


@pytest.mark.parametrize("token", ["", "nothing", "0" * 32, "../../etc"])
def test_confirm_with_an_unknown_upload_is_refused(app, client, writer, token):
    response = client.post("/write/import/confirm", data={"upload": token})
    assert response.status_code == 410
    assert "That upload is gone" in response.text


def test_file_names_are_shown_escaped(app, client, writer):
    response = check(client, b"# Hi", "<img src=x onerror=alert(1)>.md")
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;.md" in response.text


@pytest.fixture
def small_limit_app(make_app):
    app = make_app(
        WTF_CSRF_ENABLED=False, MAX_CONTENT_LENGTH=4096, IMPORT_MAX_UPLOAD_BYTES=64 * 1024
    )
    return app


def test_import_has_its_own_larger_size_limit(small_limit_app):
    with small_limit_app.app_context():
        set_writer_password(*WRITER)
    client = small_limit_app.test_client()
    client.post("/login", data={"username": WRITER[0], "password": WRITER[1]})
    body = "x" * 20_000
    data = f"---\ntitle: Long one\n---\n{body}".encode()
    assert len(data) > small_limit_app.config["MAX_CONTENT_LENGTH"]
    response = check(client, data, "long.md")
    assert response.status_code == 200
    assert "1 to create" in response.text
    too_big = check(client, b"#" * (70 * 1024), "huge.md")
    assert too_big.status_code == 413
    assert "larger than the 0.0625 MB an import accepts" in too_big.text
    other = client.post("/write/new", data={"title": "t", "body": body})
    assert other.status_code == 413  # every other route keeps the general limit


def test_csrf_is_checked_on_both_steps(csrf_app):
    with csrf_app.app_context():
        set_writer_password(*WRITER)
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").text)
    client.post("/login", data={"username": WRITER[0], "password": WRITER[1], "csrf_token": token})
    response = check(client, b"# Hello", "hello.md")
    assert response.status_code == 400
    assert "CSRF" in response.text
    token = csrf_token_from(client.get("/write/import").text)
    response = check(client, b"# Hello", "hello.md", csrf_token=token)
    assert response.status_code == 200
    upload = upload_token(response.text)
    assert client.post("/write/import/confirm", data={"upload": upload}).status_code == 400
    response = client.post(
        "/write/import/confirm", data={"upload": upload}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 303
    assert review_count(csrf_app) == 1


def test_uploads_older_than_an_hour_are_purged(tmp_path):
    old, fresh = tmp_path / ("a" * 32), tmp_path / ("b" * 32)
    old.mkdir()
    fresh.mkdir()
    (old / "upload").write_bytes(b"x")
    an_hour_ago = time.time() - 3601
    os.utime(old, (an_hour_ago, an_hour_ago))
    purge_expired_uploads(tmp_path)
    assert not old.exists() and fresh.exists()
