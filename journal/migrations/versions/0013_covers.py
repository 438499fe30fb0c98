"""a review's cover: the stored image's name, its size and its alt text

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('cover_width', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cover_height', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cover_alt', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_reviews_cover', ['cover'], unique=False)


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_cover')
        batch_op.drop_column('cover_alt')
        batch_op.drop_column('cover_height')
        batch_op.drop_column('cover_width')
        batch_op.drop_column('cover')
