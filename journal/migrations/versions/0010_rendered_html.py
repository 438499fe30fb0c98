"""reviews and characters keep their Markdown rendered once per save

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:30:00

The columns start empty: each row is rendered on its first read and stored (journal/rendered.py),
so this migration needs none of the app's rendering code. Plain ADD COLUMN, no table rebuild.
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("reviews", sa.Column("body_html", sa.Text(), nullable=True))
    op.add_column("reviews", sa.Column("body_html_version", sa.Integer(), nullable=True))
    op.add_column("characters", sa.Column("notes_html", sa.Text(), nullable=True))
    op.add_column("characters", sa.Column("notes_html_version", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("characters") as batch_op:
        batch_op.drop_column("notes_html_version")
        batch_op.drop_column("notes_html")
    with op.batch_alter_table("reviews") as batch_op:
        batch_op.drop_column("body_html_version")
        batch_op.drop_column("body_html")
