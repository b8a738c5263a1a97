"""A version stamp of the rota, so that each process can keep the rota compiled between requests.

Every flush that adds, changes or deletes a weekly slot, slot assignment, one-off shift or
override writes a new random stamp to the setting ``rota_version`` in the same transaction. It is
a session event, so every ORM edit counts, whichever service or process makes it; an edit made
with plain SQL must call :func:`bump_rota_version` itself. Readers read the stamp (one
primary-key read) *before* the rota and reuse what they compiled for an equal stamp, so an edit
committed by any process is seen by every other on its next read. No stamp yet (a database that
never had a rota edit) means: don't cache.
"""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, Table, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from warmline.db.models import OneOffShift, RotaOverride, Setting, SlotAssignment, WeeklySlot

KEY = "rota_version"
ROTA_MODELS = (WeeklySlot, SlotAssignment, OneOffShift, RotaOverride)


def bump_rota_version(conn: Connection) -> None:
    """Write a new stamp in the connection's transaction."""
    value, now = uuid.uuid4().hex, dt.datetime.now(dt.UTC)
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    table = cast(Table, Setting.__table__)
    stmt = insert(table).values(key=KEY, value=value, updated_at=now)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[table.c.key], set_={"value": value, "updated_at": now}
        )
    )


def current_version(session: Session) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == KEY))


@event.listens_for(Session, "after_flush")
def _rota_changed(session: Session, _context: Any) -> None:
    # The new/dirty/deleted collections still show what this flush wrote.
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, ROTA_MODELS) for obj in changed):
        bump_rota_version(session.connection())
