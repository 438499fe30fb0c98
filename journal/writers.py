"""The writer's account: the one writer, the password check, the one-time setup link.

No request objects here; the setup token lives beside the database in the instance folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import Writer


def writer_for_session(session_id: str) -> Writer | None:
    """Writer.get_id() is the writer's id and the session generation it logged in under; a
    session from an older generation (or from before generations) is over."""
    writer_id, _, generation = session_id.partition(".")
    if not (writer_id.isdigit() and generation.isdigit()):
        return None
    writer = db.session.get(Writer, int(writer_id))
    return writer if writer and writer.session_generation == int(generation) else None


@functools.cache
def _dummy_hash() -> str:
    """Checked for an unknown username, so it costs the same as a wrong password."""
    return generate_password_hash(secrets.token_hex(16))


def find_writer(username: str, password: str) -> Writer | None:
    """The writer if both are right; the same hash work whether or not the username exists."""
    writer = db.session.scalar(sa.select(Writer).where(Writer.username == username))
    if writer is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return writer if writer.check_password(password) else None


def writer_exists() -> bool:
    return db.session.scalar(sa.select(sa.func.count(Writer.id))) > 0


def create_first_writer(token: str, username: str, password: str) -> Writer | None:
    """Use the setup link once: claim its token (an atomic rename), then insert the writer,
    which the table's one-row constraint admits only if there is none. None: too late."""
    claimed = f"{_token_path()}.{secrets.token_hex(8)}"
    try:
        os.rename(_token_path(), claimed)
    except FileNotFoundError:
        return None
    try:
        if not _hash_matches(claimed, token):
            os.rename(claimed, _token_path())
            return None
        writer = Writer(username=username)
        writer.set_password(password)
        db.session.add(writer)
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(claimed)
    return writer


def set_writer_password(username: str, password: str) -> Writer:
    """Create the writer, or rename and re-key the one there is (ending its sessions)."""
    writer = db.session.scalar(sa.select(Writer).order_by(Writer.id)) or Writer()
    writer.username = username
    writer.set_password(password)
    db.session.add(writer)
    db.session.commit()
    return writer


def _token_path() -> str:
    return os.path.join(current_app.instance_path, "setup-token")


def issue_setup_token() -> str:
    """A fresh one-time token; only its hash is stored, beside the database (needs app context)."""
    token = secrets.token_urlsafe(24)
    fd = os.open(_token_path(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(hashlib.sha256(token.encode()).hexdigest())
    return token


def setup_token_matches(token: str) -> bool:
    return _hash_matches(_token_path(), token)


def _hash_matches(path: str, token: str) -> bool:
    try:
        with open(path, encoding="ascii") as f:
            stored = f.read().strip()
    except FileNotFoundError:
        return False
    return hmac.compare_digest(stored, hashlib.sha256(token.encode()).hexdigest())
