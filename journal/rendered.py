"""Reader pages show Markdown rendered once per save, stored with the row, never per request.

A write that changes a review's body or a character's notes clears the stored HTML in the same
transaction, whichever code makes it (editor, autosave, restore, import, character forms, cast
paste). Right after the commit the new text is rendered, outside the write lock, and stored. A
row read without fresh HTML (a migrated row, a RENDER_VERSION change, a store that lost a race)
is rendered then and stored. A store only lands while the row still holds the text it rendered.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy.session import Session
from markupsafe import Markup
from sqlalchemy.orm.attributes import set_committed_value

from . import database, markdown
from .models import Character, EpisodeNote, Review

# model: (text attribute, HTML attribute, render version attribute)
CACHED = {
    Review: ("body", "body_html", "body_html_version"),
    Character: ("notes", "notes_html", "notes_html_version"),
    EpisodeNote: ("notes", "notes_html", "notes_html_version"),
}
_PENDING = "journal_rendered_pending"
# A reader's page must not wait for an import's write lock just to store what it rendered.
_STORE_TIMEOUT_MS = 100


def init_app(app: Flask) -> None:
    app.jinja_env.filters["body_html"] = body_html
    app.jinja_env.filters["notes_html"] = notes_html


def body_html(review: Review) -> Markup:
    return _html(review)


def notes_html(row: Character | EpisodeNote) -> Markup:
    return _html(row)


def _html(row: Review | Character | EpisodeNote) -> Markup:
    text_name, html_name, version_name = CACHED[type(row)]
    html = getattr(row, html_name)
    if html is not None and getattr(row, version_name) == markdown.RENDER_VERSION:
        return Markup(html)
    text = getattr(row, text_name) or ""
    html = str(markdown.render(text))
    state = sa.inspect(row)
    if state.persistent and not state.modified and state.session is not None:
        _store(state.session.get_bind(), type(row), state.identity[0], text, html)
    set_committed_value(row, html_name, html)
    set_committed_value(row, version_name, markdown.RENDER_VERSION)
    return Markup(html)


def _store(engine: sa.Engine, model, row_id: int, text: str, html: str) -> bool:
    """Store a rendering in its own short transaction; False when the row changed or was busy."""
    text_name, html_name, version_name = CACHED[model]
    table = model.__table__
    statement = (
        sa.update(table)
        .where(table.c.id == row_id, table.c[text_name] == text)
        .values({html_name: html, version_name: markdown.RENDER_VERSION})
    )
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        try:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={_STORE_TIMEOUT_MS}")
            stored = connection.execute(statement).rowcount == 1
            connection.commit()
        except sa.exc.OperationalError:
            connection.rollback()
            return False  # busy: whoever reads the row next renders and stores it
        finally:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={database.BUSY_TIMEOUT_MS}")
    return stored


@sa.event.listens_for(Session, "before_flush")
def _clear_changed(session, _context, _instances) -> None:
    """Changed text loses its stored HTML in the same flush; it is rendered after the commit."""
    for row in [*session.new, *session.dirty]:
        names = CACHED.get(type(row))
        if names is None:
            continue
        text_name, html_name, version_name = names
        if row in session.new or sa.inspect(row).attrs[text_name].history.has_changes():
            setattr(row, html_name, None)
            setattr(row, version_name, None)
            session.info.setdefault(_PENDING, {})[row] = getattr(row, text_name) or ""


@sa.event.listens_for(Session, "after_commit")
def _render_committed(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    engine = session.get_bind()
    for row, text in pending.items():
        state = sa.inspect(row)
        if state.identity is None or state.was_deleted:
            continue
        _store(engine, type(row), state.identity[0], text, str(markdown.render(text)))


@sa.event.listens_for(Session, "after_rollback")
def _forget_pending(session) -> None:
    session.info.pop(_PENDING, None)
