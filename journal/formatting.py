"""Template filters: times in the journal's time zone, ratings without trailing zeros, the
reviewer's progress and scores as readers see them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from .cleantext import removed_note
from .fields import DROPPED, REVIEW, SCORE_FIELDS

# One date format everywhere: "2 December 2026"; with the time "2 December 2026, 14:05".
DATE = "%-d %B %Y"
DATE_TIME = DATE + ", %H:%M"
DATE_TIME_SECONDS = DATE_TIME + ":%S"  # History, where two saves may share a minute


def journal_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_time(value: datetime | None) -> datetime | None:
    """A stored naive-UTC time in the journal's time zone."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(journal_zone())


def format_time(value: datetime | None, fmt: str = DATE) -> str:
    local = local_time(value)
    return local.strftime(fmt) if local else ""


def format_day(value: date | None) -> str:
    """A calendar day (a viewing's), in the one date format."""
    return value.strftime(DATE) if value else ""


def viewing_details(viewing) -> str:
    """What a diary line says after the day: " · rewatch · 8/10 — the note"."""
    parts = ["rewatch"] if viewing.rewatch else []
    if viewing.rating is not None:
        parts.append(f"{format_rating(viewing.rating)}/10")
    line = "".join(f" · {part}" for part in parts)
    return f"{line} — {viewing.note}" if viewing.note else line


def viewing_line(viewing) -> str:
    """A diary line: "Watched 14 February 2025 · rewatch · 8/10 — the note"."""
    return f"Watched {format_day(viewing.watched_on)}{viewing_details(viewing)}"


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


def progress(review) -> str | None:
    """ "Reviewed after episode 8 of 16", "Dropped at episode 5", and once the count rose since
    the first publication, "… · Updated after episode 16"."""
    seen, total = review.episodes_seen, review.episodes
    if seen is None:
        return None
    if review.watch_status == DROPPED:
        return f"Dropped at episode {seen}"
    first = review.first_episodes_seen
    if first is not None and seen > first:
        reviewed = f"Reviewed after episode {first}" + (f" of {total}" if total else "")
        return f"{reviewed} · Updated after episode {seen}"
    return f"Reviewed after episode {seen}" + (f" of {total}" if total else "")


def scores(review) -> list[tuple[str, Decimal]]:
    """The rating and the sub-scores that are set, for the readers' table."""
    rows = [("Overall", review.rating)] if review.rating is not None else []
    rows += [(f.label, getattr(review, f.name)) for f in SCORE_FIELDS]
    return [(label, value) for label, value in rows if value is not None]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = format_time
    app.jinja_env.filters["machine_time"] = machine_time
    app.jinja_env.filters["local_date_time"] = lambda value: format_time(value, DATE_TIME)
    app.jinja_env.filters["local_date_time_seconds"] = lambda value: format_time(
        value, DATE_TIME_SECONDS
    )
    app.jinja_env.filters["rating"] = format_rating
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["viewing_line"] = viewing_line
    app.jinja_env.filters["viewing_details"] = viewing_details
    app.jinja_env.globals["removed_note"] = removed_note
    app.jinja_env.filters["progress"] = progress
    app.jinja_env.filters["scores"] = scores
    app.jinja_env.globals["field_label"] = lambda name: REVIEW[name].label
