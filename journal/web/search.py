"""Blueprint: `/search` (the domain is journal/search.py)."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_login import current_user

from .. import search_index
from ..extensions import db
from ..search import MAX_QUERY_CHARS, search_reviews
from . import htmx
from .inputs import requested_page

bp = Blueprint("search", __name__)


@bp.before_app_request
def _check_index_once() -> None:
    """Once per process: put back index triggers a later table rebuild may have dropped."""
    if current_app.extensions.get("search_index_checked"):
        return
    current_app.extensions["search_index_checked"] = True
    if search_index.repair(db.session.connection()):
        current_app.logger.warning("Search index triggers were missing; recreated and rebuilt.")
    db.session.commit()


@bp.get("/search")
def search():
    query = request.args.get("q", "", type=str).strip()[:MAX_QUERY_CHARS]
    page = requested_page()
    per_page = current_app.config["REVIEWS_PER_PAGE"]
    results = search_reviews(query, current_user.is_authenticated, page, per_page)
    return htmx.page_or_partial(
        "search/search.html", "search/_results.html", results=results, query=query
    )
