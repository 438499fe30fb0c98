"""Uploads waiting between an import's Check and its Import, in a private folder under the
instance folder, each named by a random token; deleted after the import, when the check finds
errors, or at the latest an hour later."""

from __future__ import annotations

import secrets
import shutil
import time
import unicodedata
from pathlib import Path

UPLOAD_MAX_AGE = 3600


def uploads_root(instance_path: str) -> Path:
    root = Path(instance_path, "imports")
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def upload_dir(root: Path, token: str) -> Path:
    return root / token


def store_upload(root: Path, upload) -> str:
    """Keep an uploaded file (a werkzeug FileStorage) under a fresh random token."""
    token = secrets.token_hex(16)
    folder = upload_dir(root, token)
    folder.mkdir(mode=0o700)
    upload.save(folder / "upload")
    (folder / "name").write_text(display_name(upload.filename), encoding="utf-8")
    return token


def display_name(filename: str) -> str:
    """The upload's own name, for messages and dates only: never used as a path."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "upload"


def discard(root: Path, token: str) -> None:
    shutil.rmtree(upload_dir(root, token), ignore_errors=True)


def purge_expired_uploads(root: Path, max_age: int = UPLOAD_MAX_AGE) -> None:
    """Uploads left waiting longer than `max_age` seconds go."""
    if not root.is_dir():
        return
    cutoff = time.time() - max_age
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass
