"""A review's episode notes and viewings as front-matter lists: written, and read back checked.

Export writes each item as a flow mapping with every key of its field table, an absent value as
`null` (DESIGN.md); import reads the values as written (their keys are text keys, so YAML 1.1
never turns a title into a boolean) and holds them to the editor's limits, read from the same
tables. No request objects here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from . import fields
from .episodes import date_problem
from .formatting import format_rating
from .frontmatter import clip, flow_mapping, scalar, shown

# front-matter key: (field table, one item in a sentence, an example for a message)
LISTS = {
    "episode_notes": (fields.EPISODE_NOTE_FIELDS, "episode note", "{episode: 3, notes: ...}"),
    "viewings": (fields.VIEWING_FIELDS, "viewing", "{date: 2025-02-14, rewatch: false}"),
}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_TRUTH = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


class ListProblem(ValueError):
    """An item that the editor would refuse; the message names the item and the key."""


def item_data(row, table: tuple[fields.Field, ...]) -> dict:
    """A row's values by field name, empty text as None."""
    return {f.name: None if getattr(row, f.name) == "" else getattr(row, f.name) for f in table}


def list_lines(key: str, items: list[dict]) -> list[str]:
    """`key:` and one flow mapping a line; nothing for an empty list."""
    if not items:
        return []
    table = LISTS[key][0]
    return [f"{key}:"] + [
        f"  - {flow_mapping([(f.key, _written(f, item.get(f.name))) for f in table])}"
        for item in items
    ]


def _written(spec: fields.Field, value) -> str:
    if value is None or value == "":
        return "null"
    if spec.kind == fields.RATING:
        return format_rating(Decimal(value))
    if spec.kind == fields.DATE:
        return value.isoformat()
    return scalar(value, plain=spec.kind == fields.LINE)


def read_list(key: str, value, today: date, warnings: list[str]) -> list[dict]:
    """The list under `key` as items by field name, normalized. Raises ListProblem."""
    if value is None:
        return []
    table, noun, example = LISTS[key]
    if not isinstance(value, list):
        raise ListProblem(f"“{key}” must be a list")
    known = {f.key for f in table}
    items = []
    for number, raw in enumerate(value, 1):
        where = f"{noun} {number}"
        if not isinstance(raw, dict):
            raise ListProblem(f"{where} must be a mapping such as {example}")
        unknown = sorted(str(k) for k in raw if k not in known)
        warnings.extend(f"{where}: unknown key “{clip(k)}” ignored" for k in unknown)
        item = {spec.name: _read(spec, raw.get(spec.key), f"{where} {spec.key}", today)
                for spec in table}  # fmt: skip
        items.append(item)
    if key == "episode_notes":
        episodes = [item["episode"] for item in items]
        twice = sorted({e for e in episodes if episodes.count(e) > 1})
        if twice:
            raise ListProblem(f"episode {twice[0]} has more than one note")
    return items


def _read(spec: fields.Field, value, where: str, today: date):
    if isinstance(value, str) and not value.strip() and spec.kind != fields.TEXT:
        value = None
    if value is None or value == "":
        if spec.required:
            raise ListProblem(f"{where} is missing")
        return spec.normalize(None)
    if spec.kind == fields.INTEGER:
        return _integer(spec, value, where)
    if spec.kind == fields.RATING:
        return _rating(value, where)
    if spec.kind == fields.DATE:
        return _date(value, where, today)
    if spec.kind == fields.BOOLEAN:
        truth = value if isinstance(value, bool) else _TRUTH.get(str(value).strip().lower())
        if truth is None:
            raise ListProblem(f"{where} must be true or false, not {shown(value)}")
        return truth
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ListProblem(f"{where} must be text, not {type(value).__name__}")
    text = str(value)
    multiline = spec.kind == fields.TEXT
    if not multiline and any(ch in text for ch in "\n\r\t"):
        text = " ".join(text.split())  # a folded `note: >` ends in a line break
    if (_CONTROL_MULTILINE if multiline else _CONTROL).search(text):
        raise ListProblem(f"{where} contains control characters")
    if len(text) > spec.max_length:
        raise ListProblem(f"{where} is longer than {spec.max_length:,} characters")
    return spec.normalize(text)


def _integer(spec: fields.Field, value, where: str) -> int:
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,9}", str(value).strip()):
        raise ListProblem(f"{where} must be a whole number, not {shown(value)}")
    number = int(str(value).strip())
    if not spec.low <= number <= spec.high:
        raise ListProblem(f"{where} is out of range: {number} (from {spec.low} to {spec.high:,})")
    return number


def _rating(value, where: str) -> Decimal:
    try:
        rating = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        rating = None
    if rating is None or not rating.is_finite() or not 0 <= rating <= 10 or (rating * 2) % 1:
        raise ListProblem(
            f"{where} must be from 0 to 10 in whole or half points, not {shown(value)}"
        )
    return rating


def _date(value, where: str, today: date) -> date:
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ListProblem(
                f"{where} must be a date such as 2025-02-14, not {shown(value)}"
            ) from None
    if date_problem(day, today):
        raise ListProblem(f"{where} must be from 1 January 1900 to today, not {day.isoformat()}")
    return day
