"""Review Journal: a self-hosted journal for reviews of dramas, shows and films."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from .extensions import csrf, db, login_manager, migrate
from .filemodes import make_private

PACKAGE_DIR = Path(__file__).resolve().parent
SITE_TITLE = "Review Journal"


def _asset_dir(name: str) -> str:
    """templates/ and static/ live beside the package in a checkout and inside it in a wheel."""
    inside = PACKAGE_DIR / name
    return str(inside if inside.is_dir() else PACKAGE_DIR.parent / name)


def create_app(config: dict | None = None) -> Flask:
    instance_path = os.environ.get("JOURNAL_INSTANCE_PATH") or os.path.join(os.getcwd(), "instance")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path),
        instance_relative_config=True,
        template_folder=_asset_dir("templates"),
        static_folder=_asset_dir("static"),
    )
    make_private(app.instance_path, folder=True)  # database and keys: owner only
    _configure(app, config or {})

    from . import cli, web

    web.register_request_handling(app)
    _register_extensions(app)
    web.register_blueprints(app)
    web.register_error_handlers(app)
    cli.init_app(app)
    return app


def _register_extensions(app: Flask) -> None:
    from . import database, formatting, markdown, rendered

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)
    markdown.init_app(app)
    rendered.init_app(app)
    formatting.init_app(app)


def _configure(app: Flask, config: dict) -> None:
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "journal.db"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # A writer may leave the editor open for an evening; tokens last as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=8 * 1024 * 1024,
        # How long the editor waits after the last keystroke before it autosaves.
        AUTOSAVE_DELAY_MS=2000,
        TIMEZONE="UTC",
        REVIEWS_PER_PAGE=20,
        DIARY_PER_PAGE=50,
        LOGIN_ATTEMPTS_PER_MINUTE=5,
        TRUSTED_PROXIES=0,  # how many reverse proxies set X-Forwarded-For in front of us
        SITE_URL=None,  # e.g. https://reviews.example.org: feeds link there, whatever the Host
        AUTHOR_NAME=None,  # the feeds' author; default below
        # PostgreSQL's text search configuration; 'simple' keeps Hangul and names as typed.
        SEARCH_LANGUAGE="simple",
        # Import has its own, larger limit (a zip of a whole journal); see transfer.py.
        IMPORT_MAX_UPLOAD_BYTES=64 * 1024 * 1024,
        # A cover upload's own limit, also above the general one (journal/web/covers.py).
        COVER_MAX_UPLOAD_BYTES=20 * 1024 * 1024,
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("JOURNAL")
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.update(config)
    # JOURNAL_AUTHOR is its older name; never the login username, which the feed would publish.
    app.config["AUTHOR_NAME"] = app.config["AUTHOR_NAME"] or app.config.get("AUTHOR") or SITE_TITLE
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app.instance_path)


def _instance_secret_key(instance_path: str) -> str:
    """Read the generated key, or write a new one readable by the owner only."""
    path = os.path.join(instance_path, "secret_key")
    try:
        with open(path, encoding="ascii") as f:
            return f.read().strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
        return key
