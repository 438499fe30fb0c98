"""full-text search index (SQLite FTS5) kept in step by triggers

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-24 22:10:00

On databases other than SQLite nothing is created: search falls back to LIKE there.
"""
from alembic import op

from journal import search_index

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    search_index.create(op.get_bind())


def downgrade():
    search_index.drop(op.get_bind())
