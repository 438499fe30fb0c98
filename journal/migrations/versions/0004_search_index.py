"""full-text search index (SQLite FTS5) kept in step by triggers

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-24 22:10:00

Frozen SQL: this migration does not import the application, so replaying history never follows
today's code (journal/search_index.py keeps the live copy, which env.py uses to put back triggers
a later batch rebuild dropped). On databases other than SQLite nothing is created here.
"""
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLE = "review_search"
COLUMNS = "title, work_title, original_title, verdict, body, characters, genres"

# One review's indexed text, with its characters and genres folded in; {where} picks the reviews.
ROW_SELECT = """
SELECT r.id, r.title, coalesce(r.work_title, ''), coalesce(r.original_title, ''),
       coalesce(r.verdict, ''), r.body,
       coalesce((SELECT group_concat(c.name || ' ' || coalesce(c.nickname, '') || ' '
                                     || coalesce(c.actor, '') || ' ' || c.notes, ' ')
                 FROM characters c WHERE c.review_id = r.id), ''),
       coalesce((SELECT group_concat(t.name, ' ') FROM review_tags rt
                 JOIN tags t ON t.id = rt.tag_id WHERE rt.review_id = r.id), '')
FROM reviews r WHERE {where}
"""


def _refresh(id_expr):
    """Statements that rebuild the index rows of the reviews whose id is in `id_expr`."""
    return (
        f"DELETE FROM {TABLE} WHERE rowid IN ({id_expr}); "
        f"INSERT INTO {TABLE}(rowid, {COLUMNS}) "
        + ROW_SELECT.format(where=f"r.id IN ({id_expr})")
        + ";"
    )


TRIGGERS = {
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


def _fts5_available(connection):
    if connection.dialect.name != "sqlite":
        return False
    used = connection.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
    return bool(used.scalar())


def upgrade():
    connection = op.get_bind()
    if not _fts5_available(connection):
        return
    connection.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({COLUMNS}, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for name, (when, body) in TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {body} END")
    connection.exec_driver_sql(f"DELETE FROM {TABLE}")
    connection.exec_driver_sql(
        f"INSERT INTO {TABLE}(rowid, {COLUMNS}) " + ROW_SELECT.format(where="1")
    )


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")
