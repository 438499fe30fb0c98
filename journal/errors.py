"""Error pages in the site's look; htmx requests get a short fragment the page can show."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .htmx import wants_partial

TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    422: "Cannot be processed",
    429: "Too many requests",
    500: "Something went wrong",
}
MESSAGES = {
    404: "There is nothing at this address. It may have been unpublished or moved.",
    413: "That upload or form is larger than the journal accepts.",
    500: "The journal hit an error. Nothing you submitted was saved; go back and try again.",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)


def _render(code: int, message: str, headers: dict | None = None):
    template = "errors/_message.html" if wants_partial() else "errors/error.html"
    return render_template(
        template, code=code, title=TITLES.get(code, "Error"), message=message
    ), code, headers or {}


def _csrf_error(error: CSRFError):
    return _render(
        400,
        "The form's security token is missing or out of date (CSRF check failed: "
        f"{error.description}). Reload the page and submit again.",
    )


def _http_error(error: HTTPException):
    code = error.code or 500
    default = type(error).description
    described = error.description if error.description != default else None
    retry = dict(error.get_headers()).get("Retry-After")  # 429 and 503 say when to come back
    headers = {"Retry-After": retry} if retry else None
    return _render(code, described or MESSAGES.get(code) or error.description, headers)
