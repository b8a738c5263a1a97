"""Timers are rows with a due time (STYLE habit 5): set them in the transaction that makes them
necessary; the worker claims due ones, re-checks the state they are about and acts idempotently.

A timer's ``key`` names what it is for ("response:42", "idle:42"); setting a key again moves its
due time (and re-arms it if it already fired), so each conversation has at most one of each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Executable, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from warmline.db.engine import is_postgres
from warmline.db.models import Base, Timer

TIMERS = Base.metadata.tables[Timer.__tablename__]


def _arm(insert: Any) -> Any:
    stmt = insert(TIMERS).inline()  # (no RETURNING of the id, which nobody reads)
    return stmt.on_conflict_do_update(
        index_elements=[TIMERS.c.key], set_={"due_at": stmt.excluded.due_at, "done_at": None}
    )


# Built once per dialect: only the parameters (timer_values) change.
ARM_TIMER: dict[str, Executable] = {
    "postgresql": _arm(postgresql.insert),
    "sqlite": _arm(sqlite.insert),
}


def timer_values(
    kind: str, ref_id: int | None, due_at: dt.datetime, now: dt.datetime, key: str | None = None
) -> dict[str, Any]:
    key = key or f"{kind}:{ref_id}"
    return {"kind": kind, "ref_id": ref_id, "key": key, "due_at": due_at, "created_at": now}


def set_timer(
    session: Session,
    kind: str,
    ref_id: int | None,
    due_at: dt.datetime,
    now: dt.datetime,
    key: str | None = None,
) -> None:
    """Arm the timer ``key`` (default ``"kind:ref_id"``) to fire at ``due_at``."""
    dialect = session.get_bind().dialect.name
    session.execute(ARM_TIMER[dialect], timer_values(kind, ref_id, due_at, now, key))


def set_timer_once(
    session: Session, kind: str, ref_id: int | None, due_at: dt.datetime, now: dt.datetime, key: str
) -> bool:
    """Create the timer ``key`` unless it ever existed; True when created (exactly-once notices)."""
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    stmt = insert(Timer).values(kind=kind, ref_id=ref_id, key=key, due_at=due_at, created_at=now)
    # RETURNING says whether a row went in; rowcount does not on PostgreSQL here.
    created = stmt.on_conflict_do_nothing(index_elements=[Timer.key]).returning(Timer.id)
    return session.execute(created).first() is not None


def cancel_timer(session: Session, key: str) -> None:
    session.execute(delete(Timer).where(Timer.key == key, Timer.done_at.is_(None)))


def claim_due(session: Session, now: dt.datetime, limit: int = 100) -> list[Timer]:
    """Due timers, locked for this transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL)."""
    query = (
        select(Timer)
        .where(Timer.done_at.is_(None), Timer.due_at <= now)
        .order_by(Timer.due_at, Timer.id)
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))
