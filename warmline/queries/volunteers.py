"""Volunteers as the API and the dashboard list them, paged in SQL.

A volunteer's phone number is in a row only when the caller asks with ``phones=True``, which
it does for the coordinator role alone (``view_volunteer_phones``, SPEC §11); otherwise
``phone`` is None and the number is never read out of the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from warmline.db.models import Volunteer
from warmline.queries.conversations import Page

MAX_LIMIT = 500


@dataclass(frozen=True)
class VolunteerRow:
    """A volunteer; ``phone`` (E.164) only when asked for, None otherwise."""

    id: int
    name: str
    role: str
    active: bool
    paused: bool
    capacity: int
    languages: tuple[str, ...]
    created_at: dt.datetime
    phone: str | None


_COLUMNS = (
    Volunteer.id,
    Volunteer.name,
    Volunteer.role,
    Volunteer.active,
    Volunteer.paused,
    Volunteer.capacity,
    Volunteer.languages,
    Volunteer.created_at,
)


def page(
    session: Session,
    *,
    phones: bool,
    active: bool | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[VolunteerRow]:
    """Volunteers by name (then id); ``active`` filters, ``since``/``until`` bound when they
    were added (inclusive, exclusive). ``limit`` clamped to 1..500, ``offset`` to 0 or more;
    ``total`` counts every match."""
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    where: list[ColumnElement[bool]] = []
    if active is not None:
        where.append(Volunteer.active.is_(active))
    if since is not None:
        where.append(Volunteer.created_at >= since)
    if until is not None:
        where.append(Volunteer.created_at < until)
    total = session.scalar(select(func.count(Volunteer.id)).where(*where)) or 0
    rows = session.execute(
        select(*_columns(phones))
        .where(*where)
        .order_by(Volunteer.name, Volunteer.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(tuple(_row(*r) for r in rows), total, limit, offset)


def one(session: Session, volunteer_id: int, *, phones: bool) -> VolunteerRow | None:
    """Volunteer ``volunteer_id``, or None."""
    found = session.execute(select(*_columns(phones)).where(Volunteer.id == volunteer_id)).first()
    return _row(*found) if found is not None else None


def _columns(phones: bool) -> tuple[Any, ...]:
    return (*_COLUMNS, Volunteer.phone) if phones else _COLUMNS


def _row(
    id: int,
    name: str,
    role: str,
    active: bool,
    paused: bool,
    capacity: int,
    languages: str,
    created_at: dt.datetime,
    phone: str | None = None,
) -> VolunteerRow:
    langs = tuple(sorted({x.strip().lower() for x in languages.split(",") if x.strip()}))
    return VolunteerRow(id, name, role, active, paused, capacity, langs, created_at, phone)
