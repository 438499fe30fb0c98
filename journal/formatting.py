"""Template filters: times in the journal's time zone, ratings without trailing zeros."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def journal_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_time(value: datetime | None) -> datetime | None:
    """A stored naive-UTC time in the journal's time zone."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(journal_zone())


def format_time(value: datetime | None, fmt: str = "%-d %B %Y") -> str:
    local = local_time(value)
    return local.strftime(fmt) if local else ""


def format_rating(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value % 1 else str(int(value))


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """'1 draft', '2 drafts'."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def machine_time(value: datetime | None) -> str:
    """A <time datetime> value: to the second, with its offset (HTML allows no microseconds)."""
    local = local_time(value)
    return local.isoformat(timespec="seconds") if local else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = format_time
    app.jinja_env.filters["machine_time"] = machine_time
    app.jinja_env.filters["rating"] = format_rating
