"""Blueprint: the diary, every viewing of a published review, newest first (its feed is in
feeds.py)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from ..extensions import db
from ..published import published_viewings
from .inputs import requested_page

bp = Blueprint("diary", __name__)


@bp.get("/diary")
def index():
    page = db.paginate(
        published_viewings(), page=requested_page(), per_page=current_app.config["DIARY_PER_PAGE"]
    )
    return render_template("diary/index.html", page=page)
