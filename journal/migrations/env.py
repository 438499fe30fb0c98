"""Alembic environment for Flask-Migrate; batch mode so SQLite can alter tables."""

from alembic import context
from flask import current_app

config = context.config


def _metadata():
    return current_app.extensions["migrate"].db.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=str(current_app.extensions["migrate"].db.engine.url).replace("%", "%%"),
        target_metadata=_metadata(),
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = current_app.extensions["migrate"].db.engine
    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _batch_safe_pragmas(connection, migrating=True)
        context.configure(
            connection=connection,
            target_metadata=_metadata(),
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                # Batch mode copies and drops a table, and its triggers with it: put back the
                # search index's triggers (one query when nothing is missing).
                from journal import search_index

                search_index.repair(connection)
        if sqlite:
            _batch_safe_pragmas(connection, migrating=False)


def _batch_safe_pragmas(connection, migrating: bool) -> None:
    """Batch mode rebuilds a table by copy, DROP and RENAME. With foreign keys on, the DROP would
    cascade-delete the rows that reference the table (characters, genres, revisions); and the
    RENAME would refuse to run while triggers on other tables name the dropped table. Both
    pragmas only take effect outside a transaction, so they go straight to the driver."""
    connection.commit()
    dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.commit()
    dbapi_connection.execute(f"PRAGMA foreign_keys={'OFF' if migrating else 'ON'}")
    dbapi_connection.execute(f"PRAGMA legacy_alter_table={'ON' if migrating else 'OFF'}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
