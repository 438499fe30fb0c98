"""episode notes and diary viewings, each belonging to a review

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 06:00:00

Two new tables; nothing existing changes. Deleting a review deletes its notes and viewings.
"""
from alembic import op
import sqlalchemy as sa

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "episode_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("episode", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("rating", sa.Numeric(precision=3, scale=1), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("notes_html", sa.Text(), nullable=True),
        sa.Column("notes_html_version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name="fk_episode_notes_review_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_episode_notes"),
        sa.UniqueConstraint("review_id", "episode", name="uq_episode_notes_review_episode"),
    )
    op.create_table(
        "viewings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("watched_on", sa.Date(), nullable=False),
        sa.Column("rewatch", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("rating", sa.Numeric(precision=3, scale=1), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name="fk_viewings_review_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_viewings"),
    )
    op.create_index("ix_viewings_review_id", "viewings", ["review_id"])
    op.create_index("ix_viewings_watched_on", "viewings", ["watched_on"])


def downgrade():
    op.drop_index("ix_viewings_watched_on", table_name="viewings")
    op.drop_index("ix_viewings_review_id", table_name="viewings")
    op.drop_table("viewings")
    op.drop_table("episode_notes")
