"""The login limit: attempts per client address, counted in the database that every worker shares.

An attempt is counted before its password is checked, in one UPDATE, so parallel requests
cannot all slip under the limit. Past the limit a client is slowed, not locked out: one attempt
is still checked every WINDOW / limit seconds, so the writer's right password gets through while
a guesser gets at most twice the limit a minute. A right password clears the count.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .models import LoginAttempt

WINDOW = 60.0
_KEEP = 3600.0  # rows of clients silent this long are swept


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0


def claim_attempt(client: str, limit: int, now: float | None = None) -> Decision:
    """Count one login attempt by `client`; allowed means its password may be checked."""
    now = time.time() if now is None else now
    client = client[:64]
    _ensure_row(client, now)
    table = LoginAttempt.__table__
    expired = table.c.window_start < now - WINDOW
    counted = db.session.execute(
        sa.update(table)
        .where(table.c.client == client, sa.or_(expired, table.c.failures < limit))
        .values(
            failures=sa.case((expired, 1), else_=table.c.failures + 1),
            window_start=sa.case((expired, now), else_=table.c.window_start),
            next_check=sa.case((expired, 0.0), else_=table.c.next_check),
        )
        .returning(table.c.failures)
    ).first()
    if counted is None:  # past the limit: one check per interval
        interval = WINDOW / max(limit, 1)
        counted = db.session.execute(
            sa.update(table)
            .where(table.c.client == client, table.c.next_check <= now)
            .values(next_check=now + interval)
            .returning(table.c.next_check)
        ).first()
    if counted is None:
        wait = db.session.scalar(sa.select(table.c.next_check).where(table.c.client == client))
        db.session.commit()
        return Decision(False, max(1, math.ceil((wait or now) - now)))
    db.session.commit()
    return Decision(True)


def forget(client: str) -> None:
    """A right password: this client starts afresh."""
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.client == client[:64]))
    db.session.commit()


def _ensure_row(client: str, now: float) -> None:
    table = LoginAttempt.__table__
    db.session.execute(sa.delete(table).where(table.c.window_start < now - _KEEP))
    values = {"client": client, "failures": 0, "window_start": now, "next_check": 0.0}
    dialect = db.engine.dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = (sqlite if dialect == "sqlite" else postgresql).insert(table).values(**values)
        db.session.execute(insert.on_conflict_do_nothing(index_elements=["client"]))
    elif db.session.get(LoginAttempt, client) is None:
        db.session.add(LoginAttempt(**values))
        db.session.flush()
