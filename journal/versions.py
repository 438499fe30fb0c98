"""Edit conflicts: the version check inside the UPDATE, and the one Conflict a stale save raises.

Any row with `id` and `version` (reviews, characters, and the lists to come) is saved with
`claim_version`: `UPDATE ... SET version = v + 1 WHERE id = ? AND version = v`, so two saves from
the same version cannot both win, under any number of workers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from .extensions import db


class StaleVersion(Exception):
    """The row changed since the version the save was made from."""


class Conflict(Exception):
    """A save made from a stale version, refused. `current` is the row as it is now; `mine`,
    where the refused text was kept (a review's conflict revision), is that keeping."""

    def __init__(self, current: Any, mine: Any = None) -> None:
        super().__init__(f"{type(current).__name__} {current.id} changed since it was opened")
        self.current = current
        self.mine = mine


def claim_version(row: Any, expected_version: int) -> None:
    """The conflict test in the UPDATE itself: bump the version only if it is still the one seen."""
    model = type(row)
    result = db.session.execute(
        sa.update(model)
        .where(model.id == row.id, model.version == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleVersion(row.id)
    set_committed_value(row, "version", expected_version + 1)
