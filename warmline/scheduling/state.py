"""Small pieces of worker state kept in the ``setting`` table (key -> text)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline.db.models import Setting


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row is not None else None


def put_setting(session: Session, key: str, value: str, now: dt.datetime) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now
    session.flush()
