"""exactly one writer, a session generation per writer, login attempts shared by all workers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # A race on the setup link could make several writers; the first one is the writer.
    op.execute("DELETE FROM writers WHERE id <> (SELECT MIN(id) FROM writers)")
    with op.batch_alter_table('writers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('singleton', sa.Integer(), server_default='1', nullable=False)
        )
        batch_op.add_column(
            sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.create_unique_constraint('uq_writers_singleton', ['singleton'])
        batch_op.create_check_constraint('ck_writers_one_writer', 'singleton = 1')

    op.create_table('login_attempts',
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.Float(), nullable=False),
    sa.Column('next_check', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('client')
    )


def downgrade():
    op.drop_table('login_attempts')
    with op.batch_alter_table('writers', schema=None) as batch_op:
        batch_op.drop_constraint('ck_writers_one_writer', type_='check')
        batch_op.drop_constraint('uq_writers_singleton', type_='unique')
        batch_op.drop_column('session_generation')
        batch_op.drop_column('singleton')
