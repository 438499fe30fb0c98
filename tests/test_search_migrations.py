"""A later migration that rebuilds tables in SQLite batch mode keeps the data and the search index.

Batch mode copies a table, DROPs it and RENAMEs the copy: with foreign keys on, the DROP would
cascade-delete characters, genre links and revisions, and the RENAME would fail on the search
triggers of other tables. env.py turns both off while migrating and puts the triggers back.
"""

import shutil
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

import journal
from journal.editing import new_review, save
from journal.extensions import db
from journal.models import Character, Review

from .conftest import sqlite_only

pytestmark = sqlite_only  # batch mode and its trigger repair exist for SQLite

LATER_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"


def upgrade():
    for table in ["reviews", "characters", "tags", "review_tags"]:
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.add_column(sa.Column("later", sa.Integer, nullable=True))


def downgrade():
    pass
"""


def test_batch_migration_after_the_search_index_keeps_everything(make_app, tmp_path):
    migrations = tmp_path / "migrations"
    shutil.copytree(Path(journal.__file__).parent / "migrations", migrations)
    config = Config()
    config.set_main_option("script_location", str(migrations))
    head = ScriptDirectory.from_config(config).get_current_head()
    with_head = LATER_MIGRATION.replace("{head}", head)
    (migrations / "versions" / "9999_later.py").write_text(with_head)
    app = make_app(WTF_CSRF_ENABLED=False)
    with app.app_context():
        review = save(new_review(), {"title": "Kept", "body": "lantern", "tags": "Melo, Crime"})
        db.session.add(Character(review_id=review.id, name="Zelda", notes="brave"))
        db.session.commit()
        db.session.remove()

        upgrade(directory=str(migrations))

        connection = db.session.connection()
        counts = [
            connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
            for table in ("reviews", "characters", "review_tags", "revisions")
        ]
        assert counts == [1, 1, 2, 1]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.session.commit()
        save(
            db.session.scalar(sa.select(Review)), {"title": "Kept", "body": "harbour"}, "published"
        )
    client = app.test_client()
    for word in ("harbour", "zelda", "melo"):
        assert "Kept" in client.get(f"/search?q={word}").text, word
    assert "Kept" not in client.get("/search?q=lantern").text
