"""full-text search on PostgreSQL: a tsvector per review kept in step by triggers, GIN-indexed

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-02 02:10:00

Frozen SQL: this migration does not import the application, so replaying history never follows
today's code. On SQLite nothing happens here (0004 made the FTS5 index). The text search
configuration lives in the one-row table search_settings so the triggers and the queries agree;
the app changes it (and rebuilds the documents) when JOURNAL_SEARCH_LANGUAGE says otherwise.
"""
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None

# One review's document: weights A (titles), B (genres, verdict), C (cast), D (body).
REFRESH_FUNCTION = """
CREATE OR REPLACE FUNCTION review_search_refresh(rid integer) RETURNS void AS $$
DECLARE
    cfg regconfig := (SELECT config FROM search_settings LIMIT 1);
BEGIN
    INSERT INTO review_documents (review_id, document)
    SELECT r.id,
           setweight(to_tsvector(cfg, coalesce(r.title, '') || ' ' || coalesce(r.work_title, '')
                                      || ' ' || coalesce(r.original_title, '')), 'A')
        || setweight(to_tsvector(cfg, coalesce((
               SELECT string_agg(t.name, ' ') FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
               WHERE rt.review_id = r.id), '') || ' ' || coalesce(r.verdict, '')), 'B')
        || setweight(to_tsvector(cfg, coalesce((
               SELECT string_agg(concat_ws(' ', c.name, c.nickname, c.actor, c.notes), ' ')
               FROM characters c WHERE c.review_id = r.id), '')), 'C')
        || setweight(to_tsvector(cfg, coalesce(r.body, '')), 'D')
    FROM reviews r WHERE r.id = rid
    ON CONFLICT (review_id) DO UPDATE SET document = EXCLUDED.document;
END;
$$ LANGUAGE plpgsql;
"""

# Trigger functions: which reviews a changed row touches.
TRIGGER_FUNCTIONS = {
    "review_search_on_review": "PERFORM review_search_refresh(NEW.id); RETURN NULL;",
    "review_search_on_child": """
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM review_search_refresh(NEW.review_id); END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM review_search_refresh(OLD.review_id); END IF;
        RETURN NULL;""",
    "review_search_on_tag": """
        PERFORM review_search_refresh(rt.review_id) FROM review_tags rt WHERE rt.tag_id = NEW.id;
        RETURN NULL;""",
}

TRIGGERS = {
    "review_search_reviews": (
        "AFTER INSERT OR UPDATE OF title, work_title, original_title, verdict, body ON reviews",
        "review_search_on_review",
    ),
    "review_search_characters": (
        "AFTER INSERT OR UPDATE OR DELETE ON characters",
        "review_search_on_child",
    ),
    "review_search_review_tags": (
        "AFTER INSERT OR DELETE ON review_tags",
        "review_search_on_child",
    ),
    "review_search_tags": ("AFTER UPDATE OF name ON tags", "review_search_on_tag"),
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE search_settings (config regconfig NOT NULL)")
    op.execute("INSERT INTO search_settings (config) VALUES ('simple')")
    op.execute(
        "CREATE TABLE review_documents ("
        " review_id integer PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,"
        " document tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX ix_review_documents_document ON review_documents USING gin (document)")
    op.execute(REFRESH_FUNCTION)
    for name, body in TRIGGER_FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} END; $$ LANGUAGE plpgsql"
        )
    for name, (when, function) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {function}()")
    op.execute("SELECT review_search_refresh(id) FROM reviews")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, (when, _function) in TRIGGERS.items():
        table = when.rsplit(" ON ", 1)[1]
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for name in TRIGGER_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute("DROP FUNCTION IF EXISTS review_search_refresh(integer)")
    op.execute("DROP TABLE IF EXISTS review_documents")
    op.execute("DROP TABLE IF EXISTS search_settings")
