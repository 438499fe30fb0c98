"""The SQLite FTS5 index behind search: its schema, the triggers that keep it in step, rebuilds.

The index is kept by triggers inside SQLite, so every write reaches it whichever code makes it
(the editor, character endpoints, imports, bulk genre merges, the shell): nobody has to call us.
PostgreSQL keeps a weighted tsvector per review in `review_documents`, also by triggers (made by
migration 0009), in the text search configuration named in `search_settings`. Other databases
have no index; search then falls back to LIKE (see search.py).
"""

from __future__ import annotations

import sqlalchemy as sa

TABLE = "review_search"
COLUMNS = ("title", "work_title", "original_title", "verdict", "body", "characters", "genres")

# One review's indexed text, with its characters and genres folded in; {where} picks the reviews.
_ROW_SELECT = """
SELECT r.id, r.title, coalesce(r.work_title, ''), coalesce(r.original_title, ''),
       coalesce(r.verdict, ''), r.body,
       coalesce((SELECT group_concat(c.name || ' ' || coalesce(c.nickname, '') || ' '
                                     || coalesce(c.actor, '') || ' ' || c.notes, ' ')
                 FROM characters c WHERE c.review_id = r.id), ''),
       coalesce((SELECT group_concat(t.name, ' ') FROM review_tags rt
                 JOIN tags t ON t.id = rt.tag_id WHERE rt.review_id = r.id), '')
FROM reviews r WHERE {where}
"""


def _refresh(id_expr: str) -> str:
    """Statements that rebuild the index rows of the reviews whose id is in `id_expr`."""
    columns = ", ".join(COLUMNS)
    return (
        f"DELETE FROM {TABLE} WHERE rowid IN ({id_expr}); "
        f"INSERT INTO {TABLE}(rowid, {columns}) "
        + _ROW_SELECT.format(where=f"r.id IN ({id_expr})")
        + ";"
    )


_TRIGGERS = {
    "review_search_ai": ("AFTER INSERT ON reviews", _refresh("NEW.id")),
    "review_search_au": (
        "AFTER UPDATE OF title, work_title, original_title, verdict, body ON reviews",
        _refresh("NEW.id"),
    ),
    "review_search_ad": ("AFTER DELETE ON reviews", f"DELETE FROM {TABLE} WHERE rowid = OLD.id;"),
    "review_search_char_ai": ("AFTER INSERT ON characters", _refresh("NEW.review_id")),
    "review_search_char_au": (
        "AFTER UPDATE OF name, nickname, actor, notes, review_id ON characters",
        _refresh("NEW.review_id") + " " + _refresh("OLD.review_id"),
    ),
    "review_search_char_ad": ("AFTER DELETE ON characters", _refresh("OLD.review_id")),
    "review_search_tag_ai": ("AFTER INSERT ON review_tags", _refresh("NEW.review_id")),
    "review_search_tag_ad": ("AFTER DELETE ON review_tags", _refresh("OLD.review_id")),
    "review_search_tag_au": (
        "AFTER UPDATE OF name ON tags",
        _refresh("SELECT review_id FROM review_tags WHERE tag_id = NEW.id"),
    ),
}


def fts5_available(connection: sa.Connection) -> bool:
    if connection.dialect.name != "sqlite":
        return False
    used = connection.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
    return bool(used.scalar())


def create(connection: sa.Connection) -> None:
    """Create the index, its triggers and its contents (used by the migration)."""
    if not fts5_available(connection):
        return
    connection.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        + ", ".join(COLUMNS)
        + ", tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for name, (when, body) in _TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {body} END")
    rebuild(connection)


def drop(connection: sa.Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    for name in _TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")


def exists(connection: sa.Connection) -> bool:
    if connection.dialect.name != "sqlite":
        return False
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).scalar()
    return bool(found)


def repair(connection: sa.Connection) -> bool:
    """Recreate lost triggers and refill the index. A later migration that rebuilds `reviews`,
    `characters` or `tags` (SQLite's batch mode copies and drops a table) drops their triggers
    with them; this puts them back. Returns True when something had to be repaired."""
    if not exists(connection):
        return False
    present = set(
        connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'review_search%'"
        ).scalars()
    )
    if present >= set(_TRIGGERS):
        return False
    for name, (when, body) in _TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {body} END")
    rebuild(connection)
    return True


def rebuild(connection: sa.Connection) -> None:
    """Rebuild the whole index from the tables."""
    connection.exec_driver_sql(f"DELETE FROM {TABLE}")
    columns = ", ".join(COLUMNS)
    connection.exec_driver_sql(
        f"INSERT INTO {TABLE}(rowid, {columns}) " + _ROW_SELECT.format(where="1")
    )


def reindex_review(connection: sa.Connection, review_id: int) -> None:
    """Rebuild one review's row (the triggers do this already; kept for repairs and tools)."""
    for statement in _refresh(str(int(review_id))).split(";"):
        if statement.strip():
            connection.exec_driver_sql(statement)


# PostgreSQL: the tsvector documents of migration 0009.
PG_TABLE = "review_documents"


def kind(connection: sa.Connection) -> str | None:
    """Which index search can use here: "fts5", "tsvector", or None (the LIKE fallback)."""
    if exists(connection):
        return "fts5"
    if connection.dialect.name == "postgresql" and sa.inspect(connection).has_table(PG_TABLE):
        return "tsvector"
    return None


def pg_language(connection: sa.Connection) -> str:
    return connection.exec_driver_sql("SELECT config::text FROM search_settings").scalar_one()


def pg_set_language(connection: sa.Connection, language: str) -> bool:
    """Use another text search configuration (e.g. 'english'); rebuild when it changed."""
    if pg_language(connection) == language:
        return False
    connection.execute(
        sa.text("UPDATE search_settings SET config = CAST(:c AS regconfig)"), {"c": language}
    )
    pg_rebuild(connection)
    return True


def pg_rebuild(connection: sa.Connection) -> None:
    connection.exec_driver_sql(f"DELETE FROM {PG_TABLE}")
    connection.exec_driver_sql("SELECT review_search_refresh(id) FROM reviews")


def pg_reindex_review(connection: sa.Connection, review_id: int) -> None:
    connection.execute(sa.text("SELECT review_search_refresh(:id)"), {"id": review_id})
