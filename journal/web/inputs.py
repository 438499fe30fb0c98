"""Numbers from URLs and forms that the database cannot hold answer 4xx, never a 500.

SQLite (and PostgreSQL's bigint) stop at 2**63 - 1: a larger id or page reaches the driver as
an OverflowError unless it is refused here first.
"""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**63 - 1
MAX_PAGE = 1_000_000


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: an id past LARGEST_ID matches no route, so it is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def database_id(value: str | None) -> int | None:
    """A form or query value as an id, or None when it is not one the database could hold."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


def requested_page() -> int:
    """`?page=N`: 1 when absent or not a number (as ever); a page no list can reach is a 404."""
    raw = request.args.get("page", "").strip()
    if not raw.isascii() or not raw.lstrip("-").isdigit():
        return 1
    if len(raw) > len(str(MAX_PAGE)) or not 1 <= int(raw) <= MAX_PAGE:
        abort(404, f"There is no page {raw[:24]} in this list.")
    return int(raw)
