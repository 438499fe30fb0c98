"""The web layer: one blueprint per capability, and the request-level helpers they share.

Blueprints call the domain modules of the package above; no module here is imported by the
domain, and no blueprint imports another (shared look-ups are in lookups.py, forms in forms.py,
page-or-partial in htmx.py).
"""

from __future__ import annotations

from flask import Flask, redirect, url_for

from . import (
    auth,
    characters,
    covers,
    diary,
    editor,
    episodes,
    errors,
    feeds,
    history,
    inputs,
    reviews,
    search,
    security,
    tags,
    transfer,
)


def register_request_handling(app: Flask) -> None:
    """Before the extensions are bound: CSRFProtect's check reads the form security repairs,
    and review ids in URLs use the converter that refuses ids no database could hold."""
    app.url_map.converters["int"] = inputs.DatabaseIdConverter
    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(auth.bp)
    app.register_blueprint(transfer.bp)  # /reviews/<slug>.md, before reviews' /reviews/<slug>
    app.register_blueprint(reviews.bp)
    editor.init_app(app)
    app.register_blueprint(history.bp)
    app.register_blueprint(tags.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(characters.bp)
    app.register_blueprint(episodes.notes_bp)
    app.register_blueprint(episodes.viewings_bp)
    app.register_blueprint(diary.bp)
    app.register_blueprint(covers.bp)
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    app.add_url_rule(
        "/favicon.ico", "favicon", lambda: redirect(url_for("static", filename="favicon.svg"), 301)
    )


def register_error_handlers(app: Flask) -> None:
    errors.init_app(app)
