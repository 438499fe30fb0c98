"""PostgreSQL databases for the test suite: a migrated template, and a copy of it per test."""

from __future__ import annotations

import itertools
import os

import sqlalchemy as sa

_numbers = itertools.count()


def url_of(base_url: str, database: str) -> str:
    return sa.make_url(base_url).set(database=database).render_as_string(hide_password=False)


def _admin(base_url: str) -> sa.Engine:
    return sa.create_engine(url_of(base_url, "postgres"), isolation_level="AUTOCOMMIT")


def _execute(base_url: str, statement: str) -> None:
    engine = _admin(base_url)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def template_database(base_url: str) -> str:
    """A database with the schema built by the real migrations."""
    from .conftest import _migrate

    name = f"journal_template_{os.getpid()}"
    drop_database(base_url, name)
    create_database(base_url, name)
    _migrate(url_of(base_url, name))
    return name


def create_database(base_url: str, name: str) -> None:
    _execute(base_url, f'CREATE DATABASE "{name}"')


def copy_database(base_url: str, template: str) -> str:
    name = f"journal_test_{os.getpid()}_{next(_numbers)}"
    _execute(base_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return name


def drop_database(base_url: str, name: str) -> None:
    _execute(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def filled_tables(url: str) -> set[str]:
    """The tables the migrations themselves fill (alembic's version, search settings)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            names = sa.inspect(connection).get_table_names()
            return {
                name
                for name in names
                if connection.exec_driver_sql(f'SELECT 1 FROM "{name}" LIMIT 1').first()
            }
    finally:
        engine.dispose()


def empty(url: str, keep: set[str]) -> None:
    """Every table but `keep` emptied at once, numbering restarted: a journal as migrated."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            names = [n for n in sa.inspect(connection).get_table_names() if n not in keep]
            tables = ", ".join(f'"{name}"' for name in names)
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()
