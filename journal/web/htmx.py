"""The one place that reads htmx's request headers and writes its response headers.

A URL whose answer depends on whether htmx asked (a partial or a whole page) says so with
`Vary: HX-Request`, so no cache hands a fragment to a plain browser or the reverse. Boosted and
history-restore requests get the whole page (django-htmx's rule).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, current_app, make_response, render_template, request


def is_htmx() -> bool:
    """Any request htmx made, boosted or not."""
    return request.headers.get("HX-Request") == "true"


def wants_partial() -> bool:
    """True only for a real htmx request that is not a boosted or history-restore one."""
    h = request.headers
    return (
        is_htmx()
        and h.get("HX-Boosted") != "true"
        and h.get("HX-History-Restore-Request") != "true"
    )


def page_or_partial(page: str, partial: str, status: int = 200, **context) -> Response:
    """`partial` for htmx, `page` for anyone else; templates see which as `inline`."""
    inline = wants_partial()
    html = render_template(partial if inline else page, inline=inline, **context)
    return varies(make_response(html, status))


def varies(response: Response) -> Response:
    """Mark a response that differs between htmx and a plain browser."""
    response.vary.add("HX-Request")
    return response


def current_page_path() -> str | None:
    """The path (and query) of the page htmx sent the request from."""
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    return page.path + (f"?{page.query}" if page.query else "") if page.path else None


def client_redirect(url: str, message: str, status: int = 200) -> Response:
    """Send the whole tab to `url` (htmx follows HX-Redirect instead of swapping the answer)."""
    response = current_app.response_class(message, status)
    response.headers["HX-Redirect"] = url
    return response


def replace_url(response: Response, url: str) -> Response:
    """Let the address bar show `url` after the swap (a review just created by autosave)."""
    response.headers["HX-Replace-Url"] = url
    return response
