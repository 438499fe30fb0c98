"""each character's actor slug, so an actor's page is one indexed lookup

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 09:00:00

The slug is filled in for existing characters with a frozen copy of the slug rule of this
release (migrations never import the application).
"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_NOT_WORD = re.compile(r"[^\w]+")


def _slugify(text, max_length=80):
    text = unicodedata.normalize("NFKC", text).casefold()
    words = [w for w in _NOT_WORD.sub(" ", text).replace("_", " ").split() if w]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def upgrade():
    with op.batch_alter_table("characters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_slug", sa.String(length=80), nullable=True))
        batch_op.create_index("ix_characters_actor_slug", ["actor_slug"], unique=False)
    characters = sa.table(
        "characters", sa.column("id", sa.Integer), sa.column("actor", sa.String),
        sa.column("actor_slug", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(characters.c.id, characters.c.actor).where(characters.c.actor.is_not(None))
    ).all()
    updates = [{"key": id_, "slug": _slugify(actor) or None} for id_, actor in rows]
    if updates:
        bind.execute(
            characters.update()
            .where(characters.c.id == sa.bindparam("key"))
            .values(actor_slug=sa.bindparam("slug")),
            updates,
        )


def downgrade():
    with op.batch_alter_table("characters", schema=None) as batch_op:
        batch_op.drop_index("ix_characters_actor_slug")
        batch_op.drop_column("actor_slug")
