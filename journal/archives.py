"""Reading import sources safely (a .md file, a folder, a .zip) and writing zips as a stream.

An unsafe archive is refused whole before anything is read from it: names that escape (`../`,
absolute paths, drive letters), links, encrypted entries, too many files, too many bytes once
unpacked, or a compression ratio no Markdown file has. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import os
import posixpath
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

MARKDOWN_SUFFIXES = (".md", ".markdown")
# A vault holds attachments beside its notes; the archive may list this many entries per file.
_ENTRIES_PER_FILE = 5


@dataclass(frozen=True)
class Limits:
    max_files: int = 20_000
    max_total_bytes: int = 256 * 1024 * 1024
    max_file_bytes: int = 4 * 1024 * 1024
    max_ratio: int = 100

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(
            max_files=config.get("IMPORT_MAX_FILES", cls.max_files),
            max_total_bytes=config.get("IMPORT_MAX_TOTAL_BYTES", cls.max_total_bytes),
            max_file_bytes=config.get("IMPORT_MAX_FILE_BYTES", cls.max_file_bytes),
            max_ratio=config.get("IMPORT_MAX_RATIO", cls.max_ratio),
        )


class UnsafeArchive(ValueError):
    """The whole source is refused; the message says why."""


@dataclass
class SourceFile:
    name: str  # a relative, slash-separated path, for messages and Jekyll dates
    data: bytes


@dataclass
class Source:
    files: list[SourceFile]
    skipped: list[tuple[str, str]]  # (name, reason)
    # Cover images of a journal's export (`covers/<slug>.webp`), by name; journal/covers.py
    # checks each before it is stored.
    images: dict[str, bytes] = field(default_factory=dict)


IMAGE_SUFFIXES = (".webp", ".png", ".jpg", ".jpeg")
COVER_MAX_BYTES = 20 * 1024 * 1024


def is_cover_image(name: str) -> bool:
    """An image in a `covers/` folder, as this journal's export writes them."""
    parts = name.split("/")
    return len(parts) >= 2 and parts[-2] == "covers" and name.lower().endswith(IMAGE_SUFFIXES)


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def _skip_reason(name: str) -> str | None:
    parts = name.split("/")
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return "hidden or system file"
    if not is_markdown(name):
        return "not a Markdown file"
    return None


def read_path(path: str | os.PathLike, limits: Limits = Limits()) -> Source:
    """A .md file, a folder of them, or a .zip. Raises UnsafeArchive or OSError."""
    path = Path(path)
    if path.is_dir():
        return _read_folder(path, limits)
    if zipfile.is_zipfile(path):
        with path.open("rb") as f:
            return read_zip(f, limits)
    if path.stat().st_size > limits.max_file_bytes:
        raise UnsafeArchive(f"{path.name} is larger than {_mb(limits.max_file_bytes)}")
    if not is_markdown(path.name):
        return Source([], [(path.name, "not a Markdown file or zip")])
    return Source([SourceFile(path.name, path.read_bytes())], [])


def _read_folder(root: Path, limits: Limits) -> Source:
    files, skipped, total, images = [], [], 0, {}
    for folder, dirnames, filenames in os.walk(root):  # os.walk does not follow links
        dirnames.sort()
        for filename in sorted(filenames) + [d for d in dirnames if Path(folder, d).is_symlink()]:
            full = Path(folder, filename)
            name = full.relative_to(root).as_posix()
            if full.is_symlink():
                skipped.append((name, "a link, not followed"))
                continue
            size = full.stat().st_size
            hidden = (_skip_reason(name) or "").startswith("hidden")
            if is_cover_image(name) and not hidden and size <= COVER_MAX_BYTES:
                images[name] = full.read_bytes()
                continue
            reason = _skip_reason(name)
            if reason:
                skipped.append((name, reason))
                continue
            _check_counts(len(files) + 1, total + size, size, name, limits)
            total += size
            files.append(SourceFile(name, full.read_bytes()))
    return Source(files, skipped, images)


def read_zip(fileobj: IO[bytes], limits: Limits = Limits()) -> Source:
    """Every entry's path is checked; the limits on size, count and compression apply to the
    Markdown files, the only entries ever decompressed. An attachment is listed and skipped
    whatever its size, as it is when the same files come as a folder."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnsafeArchive(f"the zip file cannot be read ({error})") from None
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > limits.max_files * _ENTRIES_PER_FILE:
            raise UnsafeArchive(f"the archive holds more than {limits.max_files} files")
        readable, skipped, total, covers = [], [], 0, []
        for info in entries:
            _check_path(info)
            name = _clean_name(info.filename)
            if is_cover_image(name) and info.file_size <= COVER_MAX_BYTES:
                _check_ratio(info, limits)
                covers.append((name, info))
                continue
            reason = _skip_reason(name)
            if reason:
                skipped.append((name, reason))
                continue
            _check_entry(info, limits)
            total += info.file_size
            _check_counts(len(readable) + 1, total, info.file_size, name, limits, "archive")
            readable.append((name, info))
        files = []
        for name, info in readable:
            try:
                with archive.open(info) as member:
                    data = member.read(limits.max_file_bytes + 1)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise UnsafeArchive(f"{name} cannot be read from the archive ({error})") from None
            if len(data) > limits.max_file_bytes:
                raise UnsafeArchive(f"{name} is larger than {_mb(limits.max_file_bytes)}")
            files.append(SourceFile(name, data))
        images = {}
        for name, info in covers:
            try:
                with archive.open(info) as member:
                    images[name] = member.read(COVER_MAX_BYTES + 1)[:COVER_MAX_BYTES]
            except (zipfile.BadZipFile, OSError, EOFError):
                continue  # import reports the review's cover as missing
        return Source(files, skipped, images)


def _check_path(info: zipfile.ZipInfo) -> None:
    raw = info.filename
    name = raw.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or (len(parts[0]) == 2 and parts[0][1] == ":"):
        raise UnsafeArchive(f"the archive holds an absolute path: {raw}")
    if ".." in parts or "\x00" in name:
        raise UnsafeArchive(f"the archive holds a path that escapes its folder: {raw}")
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        raise UnsafeArchive(f"the archive holds a link: {raw}")
    if info.flag_bits & 0x1:
        raise UnsafeArchive(f"the archive holds an encrypted file: {raw}")


def _check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    raw = info.filename
    if info.file_size > limits.max_file_bytes:
        raise UnsafeArchive(f"{raw} is larger than {_mb(limits.max_file_bytes)}")
    _check_ratio(info, limits)


def _check_ratio(info: zipfile.ZipInfo, limits: Limits) -> None:
    raw = info.filename
    if info.file_size > 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise UnsafeArchive(
            f"{raw} is compressed more than {limits.max_ratio} to 1, which no Markdown file is"
        )


def _check_counts(
    count: int, total: int, size: int, name: str, limits: Limits, what: str = "folder"
) -> None:
    if count > limits.max_files:
        raise UnsafeArchive(f"the {what} holds more than {limits.max_files} Markdown files")
    if size > limits.max_file_bytes:
        raise UnsafeArchive(f"{name} is larger than {_mb(limits.max_file_bytes)}")
    if total > limits.max_total_bytes:
        unpacked = "unpacks to" if what == "archive" else "holds"
        raise UnsafeArchive(f"the {what} {unpacked} more than {_mb(limits.max_total_bytes)}")


def _clean_name(name: str) -> str:
    return posixpath.normpath(name.replace("\\", "/")).lstrip("/")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class _Sink:
    """A write-only file for ZipFile that hands out what was written so far."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(entries: Iterable[tuple[str, bytes, datetime]]) -> Iterator[bytes]:
    """A zip built one entry at a time: memory holds one file, never the archive."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, modified in entries:
            info = zipfile.ZipInfo(name, date_time=_zip_time(modified))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
            chunk = sink.take()
            if chunk:
                yield chunk
    yield sink.take()


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    moment = max(moment, datetime(1980, 1, 1))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
