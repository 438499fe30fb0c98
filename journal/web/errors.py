"""Error pages in the site's look; htmx requests get a short fragment the page can show."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..database import is_busy
from ..extensions import db
from . import htmx

TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    422: "Cannot be processed",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Busy",
}
MESSAGES = {
    404: "There is nothing at this address. It may have been unpublished or moved.",
    413: "That upload or form is larger than the journal accepts.",
    500: "The journal hit an error. Nothing you submitted was saved; go back and try again.",
    503: "The journal is busy with another save (an import?). Nothing was saved yet: go back "
    "and try again in a moment.",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(sa.exc.OperationalError, _database_error)


def _same_site_path(url: str | None) -> str | None:
    """The page the writer came from, as a path on this site (for login's `next`)."""
    if not url or not url.startswith(request.host_url):
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _render(code: int, message: str, *, login: str | None = None, headers: dict | None = None):
    response = htmx.page_or_partial(
        "errors/error.html",
        "errors/_message.html",
        code,
        code=code,
        title=TITLES.get(code, "Error"),
        message=message,
        login=login,
    )
    response.headers.update(headers or {})
    return response


def _csrf_error(error: CSRFError):
    if not current_user.is_authenticated:
        return _render(
            400,
            "Not saved: your session has ended, so the journal could not accept this form. "
            "Log in again, then open the page again: the editor offers back the text this "
            "browser kept of what you typed (or go back, where the form may still hold it). "
            f"(CSRF check: {error.description})",
            login=url_for("auth.login", next=_same_site_path(request.referrer)),
        )
    return _render(
        400,
        "The form's security token is missing or out of date (CSRF check failed: "
        f"{error.description}). Reload the page and submit again.",
    )


def _database_error(error: sa.exc.OperationalError):
    """A write that waited too long for another one is a 503 to try again, never a 500."""
    if not is_busy(error):
        raise error  # Flask's own 500: logged, and raised in tests
    db.session.rollback()
    return _render(503, MESSAGES[503])


def _http_error(error: HTTPException):
    code = error.code or 500
    default = type(error).description
    described = error.description if error.description != default else None
    retry = dict(error.get_headers()).get("Retry-After")  # 429 and 503 say when to come back
    headers = {"Retry-After": retry} if retry else None
    return _render(code, described or MESSAGES.get(code) or error.description, headers=headers)
