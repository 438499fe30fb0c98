"""The one place that decides between a full page and an htmx fragment."""

from flask import Response, make_response, render_template, request


def wants_partial() -> bool:
    """True only for a real htmx request that is not a boosted or history-restore one."""
    h = request.headers
    return (
        h.get("HX-Request") == "true"
        and h.get("HX-Boosted") != "true"
        and h.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_partial(page: str, partial: str, **context) -> Response:
    response = make_response(render_template(partial if wants_partial() else page, **context))
    response.vary.add("HX-Request")
    return response
