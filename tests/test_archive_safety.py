"""Hostile archives are refused whole, with a message, and nothing is written."""

from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest

from journal.archives import Limits, UnsafeArchive, read_path, read_zip

from .exchange_helpers import review_count, zip_of

GOOD = "---\ntitle: Fine\n---\nBody"


def zip_with(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def link(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def refused(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(UnsafeArchive) as error:
        read_zip(io.BytesIO(data), limits or Limits())
    return str(error.value)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../escape.md", "escapes its folder"),
        ("reviews/../../escape.md", "escapes its folder"),
        ("..\\windows-escape.md", "escapes its folder"),
        ("/etc/absolute.md", "absolute path"),
        ("C:/absolute.md", "absolute path"),
        ("\\\\server\\share.md", "absolute path"),
    ],
)
def test_paths_that_escape_are_refused(name, message):
    assert message in refused(zip_with([("ok.md", GOOD.encode()), (name, GOOD.encode())]))


def test_links_are_refused():
    assert "link" in refused(zip_with([("ok.md", GOOD.encode()), link("evil.md", "/etc/passwd")]))


def test_too_many_files_are_refused():
    data = zip_with([(f"r{n}.md", GOOD.encode()) for n in range(4)])
    assert "more than 3 Markdown files" in refused(data, Limits(max_files=3))
    assert len(read_zip(io.BytesIO(data), Limits(max_files=4)).files) == 4


def test_too_many_bytes_unpacked_are_refused():
    data = zip_with([(f"r{n}.md", b"x" * 600) for n in range(4)])
    assert "unpacks to more than" in refused(data, Limits(max_total_bytes=2000))


def test_one_file_too_large_is_refused():
    data = zip_with([("big.md", os.urandom(3000))])
    assert "larger than" in refused(data, Limits(max_file_bytes=2048))


def test_a_compression_bomb_is_refused():
    data = zip_with([("bomb.md", b"\0" * (3 * 1024 * 1024))])
    assert len(data) < 10_000
    assert "compressed more than 100 to 1" in refused(data)


def test_encrypted_entries_are_refused():
    data = bytearray(zip_with([("secret.md", GOOD.encode())]))
    data[6] |= 0x1  # the local header's "encrypted" flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert "encrypted" in refused(bytes(data))


def test_a_broken_zip_is_refused():
    assert "cannot be read" in refused(b"PK\x03\x04 not really a zip")


def test_a_safe_archive_reads_in_memory_and_skips_what_is_not_markdown():
    source = read_zip(
        io.BytesIO(zip_with([("reviews/a.md", GOOD.encode()), ("img/cover.png", b"\x89PNG")]))
    )
    assert [f.name for f in source.files] == ["reviews/a.md"]
    assert source.skipped == [("img/cover.png", "not a Markdown file")]


def test_folder_links_are_not_followed(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(GOOD)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(GOOD)
    (folder / "link.md").symlink_to(outside)
    (folder / "linked-dir").symlink_to(tmp_path)
    source = read_path(folder)
    assert [f.name for f in source.files] == ["a.md"]
    assert ("link.md", "a link, not followed") in source.skipped
    assert ("linked-dir", "a link, not followed") in source.skipped


def test_cli_refuses_an_unsafe_archive_and_writes_nothing(app, runner, tmp_path):
    archive = tmp_path / "evil.zip"
    archive.write_bytes(zip_of({"good.md": GOOD, "../../evil.md": GOOD}))
    result = runner.invoke(args=["import", str(archive)])
    assert result.exit_code == 1
    assert "refused whole, nothing was imported" in result.output
    assert "escapes its folder: ../../evil.md" in result.output
    assert review_count(app) == 0
    assert not (tmp_path / "evil.md").exists()


def test_browser_upload_of_an_unsafe_archive_is_refused(app, client, writer):
    data = zip_with([("good.md", GOOD.encode()), link("evil.md", "/etc/passwd")])
    response = client.post(
        "/write/import", data={"file": (io.BytesIO(data), "evil.zip")}, buffered=True
    )
    assert response.status_code == 422
    assert "evil.zip was refused whole, nothing was imported: the archive holds a link" in (
        response.text
    )
    assert review_count(app) == 0
    uploads = os.path.join(app.instance_path, "imports")
    assert os.listdir(uploads) == []
