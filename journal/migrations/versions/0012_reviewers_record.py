"""reviews keep the reviewer's record: sub-scores, watch status, episodes seen, spoilers, facts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:00:00

Plain ADD COLUMN (no table rebuild, so the search triggers stay as they are); every column may
be NULL but the spoiler flag, which starts false.
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SCORES = ("story_score", "acting_score", "music_score", "rewatch_score")
TEXTS = (("watch_status", 20), ("network", 120), ("country", 80), ("director", 200),
         ("screenwriter", 200))


def upgrade():
    for name in SCORES:
        op.add_column("reviews", sa.Column(name, sa.Numeric(3, 1), nullable=True))
    for name, length in TEXTS:
        op.add_column("reviews", sa.Column(name, sa.String(length), nullable=True))
    op.add_column("reviews", sa.Column("episodes_seen", sa.Integer(), nullable=True))
    op.add_column("reviews", sa.Column("first_episodes_seen", sa.Integer(), nullable=True))
    op.add_column(
        "reviews",
        sa.Column("contains_spoilers", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    with op.batch_alter_table("reviews") as batch_op:
        for name in ("contains_spoilers", "first_episodes_seen", "episodes_seen"):
            batch_op.drop_column(name)
        for name, _length in reversed(TEXTS):
            batch_op.drop_column(name)
        for name in reversed(SCORES):
            batch_op.drop_column(name)
