"""The rota's records as lists: weekly and one-off shifts, overrides and swaps, paged in SQL.

What :mod:`warmline.queries.rota` shows as a week (who is on when) is made of these records;
the API lists them so a tool can edit them by id (``w3``/``o3`` for shifts, as the CLI and the
dashboard name them). Volunteers appear by id and name, never by number. Local times are the
line's (``tz``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from warmline.db.models import (
    OneOffShift,
    RotaOverride,
    SlotAssignment,
    SwapRequest,
    Volunteer,
    WeeklySlot,
)
from warmline.queries.conversations import Page
from warmline.scheduling.shift_text import WEEKDAYS

MAX_LIMIT = 500


@dataclass(frozen=True)
class Person:
    volunteer_id: int
    name: str
    supervisor: bool


@dataclass(frozen=True)
class ShiftRow:
    """A weekly shift (``id`` ``w3``: ``day``, local times, optional ``first_date`` and
    ``last_date``) or a one-off (``o3``: its local ``date`` and times, and the instants
    ``starts_at``/``ends_at``); ``end_time`` at or before ``start_time`` crosses midnight."""

    id: str
    kind: str  # "weekly" | "one_off"
    day: str
    start_time: str
    end_time: str
    date: dt.date | None
    first_date: dt.date | None
    last_date: dt.date | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    people: tuple[Person, ...]


@dataclass(frozen=True)
class OverrideRow:
    id: int
    kind: str  # "add" | "remove" | "replace"
    volunteer_id: int
    volunteer_name: str
    replacement_id: int | None
    replacement_name: str | None
    start: dt.datetime
    end: dt.datetime
    supervisor: bool
    reason: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class SwapRow:
    id: int
    status: str  # "open" | "taken" | "cancelled" ...
    offered_by_id: int
    offered_by_name: str
    taken_by_id: int | None
    taken_by_name: str | None
    start: dt.datetime
    end: dt.datetime
    source: str
    requested_by: str
    override_id: int | None
    created_at: dt.datetime
    closed_at: dt.datetime | None


def _clamp(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_LIMIT)), max(0, offset)


def shifts(
    session: Session,
    tz: ZoneInfo,
    *,
    kind: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ShiftRow]:
    """Weekly shifts (by day and start) then one-offs (by start); ``kind`` "weekly" or
    "one_off" keeps one sort. ``since``/``until`` select one-offs ending after ``since`` and
    starting before ``until``; weekly shifts are listed whatever their dates."""
    limit, offset = _clamp(limit, offset)
    one_where: list[ColumnElement[bool]] = []
    if since is not None:
        one_where.append(OneOffShift.end > since)
    if until is not None:
        one_where.append(OneOffShift.start < until)
    weekly_total = 0 if kind == "one_off" else session.scalar(select(func.count(WeeklySlot.id)))
    one_total = (
        0
        if kind == "weekly"
        else session.scalar(select(func.count(OneOffShift.id)).where(*one_where))
    )
    weekly_total, one_total = weekly_total or 0, one_total or 0
    items: list[ShiftRow] = []
    if offset < weekly_total:
        slots = session.scalars(
            select(WeeklySlot)
            .order_by(WeeklySlot.weekday, WeeklySlot.start_local, WeeklySlot.id)
            .limit(limit)
            .offset(offset)
        ).all()
        items += _weekly_rows(session, slots)
    if len(items) < limit and one_total:
        skip = max(0, offset - weekly_total)
        rows = session.execute(
            select(OneOffShift, Volunteer.name)
            .join(Volunteer, Volunteer.id == OneOffShift.volunteer_id)
            .where(*one_where)
            .order_by(OneOffShift.start, OneOffShift.id)
            .limit(limit - len(items))
            .offset(skip)
        ).all()
        items += [_one_off_row(s, name, tz) for s, name in rows]
    return Page(tuple(items), weekly_total + one_total, limit, offset)


def shift(session: Session, tz: ZoneInfo, ref: str) -> ShiftRow | None:
    """Shift ``w3`` or ``o3``, or None (also for a ref of another shape)."""
    if len(ref) < 2 or ref[0] not in "wo" or not ref[1:].isdigit() or len(ref) > 10:
        return None
    if ref[0] == "w":
        slot = session.get(WeeklySlot, int(ref[1:]))
        return _weekly_rows(session, [slot])[0] if slot is not None else None
    found = session.execute(
        select(OneOffShift, Volunteer.name)
        .join(Volunteer, Volunteer.id == OneOffShift.volunteer_id)
        .where(OneOffShift.id == int(ref[1:]))
    ).first()
    return _one_off_row(found[0], found[1], tz) if found is not None else None


def _weekly_rows(session: Session, slots: Sequence[WeeklySlot]) -> list[ShiftRow]:
    ids = [s.id for s in slots]
    people: dict[int, list[Person]] = {i: [] for i in ids}
    for slot_id, vid, name, supervisor in session.execute(
        select(SlotAssignment.slot_id, Volunteer.id, Volunteer.name, SlotAssignment.supervisor)
        .join(Volunteer, Volunteer.id == SlotAssignment.volunteer_id)
        .where(SlotAssignment.slot_id.in_(ids))
        .order_by(SlotAssignment.id)
    ):
        people[slot_id].append(Person(vid, name, supervisor))
    return [
        ShiftRow(
            id=f"w{s.id}",
            kind="weekly",
            day=WEEKDAYS[s.weekday],
            start_time=f"{s.start_local:%H:%M}",
            end_time=f"{s.end_local:%H:%M}",
            date=None,
            first_date=s.first_date,
            last_date=s.last_date,
            starts_at=None,
            ends_at=None,
            people=tuple(people[s.id]),
        )  # fmt: skip
        for s in slots
    ]


def _one_off_row(s: OneOffShift, name: str, tz: ZoneInfo) -> ShiftRow:
    start, end = s.start.astimezone(tz), s.end.astimezone(tz)
    return ShiftRow(
        id=f"o{s.id}", kind="one_off", day=WEEKDAYS[start.weekday()],
        start_time=f"{start:%H:%M}", end_time=f"{end:%H:%M}",
        date=start.date(), first_date=None, last_date=None,
        starts_at=s.start, ends_at=s.end, people=(Person(s.volunteer_id, name, s.supervisor),),
    )  # fmt: skip


_replacement = aliased(Volunteer)


def _override_query() -> Any:
    return (
        select(RotaOverride, Volunteer.name, _replacement.name)
        .join(Volunteer, Volunteer.id == RotaOverride.volunteer_id)
        .outerjoin(_replacement, _replacement.id == RotaOverride.replacement_id)
    )


def overrides(
    session: Session,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[OverrideRow]:
    """Overrides ending after ``since`` and starting before ``until`` (either optional), by
    start."""
    limit, offset = _clamp(limit, offset)
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(RotaOverride.end > since)
    if until is not None:
        where.append(RotaOverride.start < until)
    total = session.scalar(select(func.count(RotaOverride.id)).where(*where)) or 0
    rows = session.execute(
        _override_query()
        .where(*where)
        .order_by(RotaOverride.start, RotaOverride.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(tuple(_override_row(*r) for r in rows), total, limit, offset)


def override(session: Session, override_id: int) -> OverrideRow | None:
    found = session.execute(_override_query().where(RotaOverride.id == override_id)).first()
    return _override_row(*found) if found is not None else None


def _override_row(o: RotaOverride, name: str, replacement: str | None) -> OverrideRow:
    return OverrideRow(
        o.id, o.kind, o.volunteer_id, name, o.replacement_id, replacement,
        o.start, o.end, o.supervisor, o.reason, o.created_at,
    )  # fmt: skip


_taker = aliased(Volunteer)


def _swap_query() -> Any:
    return (
        select(SwapRequest, Volunteer.name, _taker.name)
        .join(Volunteer, Volunteer.id == SwapRequest.offered_by_id)
        .outerjoin(_taker, _taker.id == SwapRequest.taken_by_id)
    )


def swaps(
    session: Session,
    *,
    status: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[SwapRow]:
    """Swaps of shifts ending after ``since`` and starting before ``until``, optionally of one
    ``status``, by start."""
    limit, offset = _clamp(limit, offset)
    where: list[ColumnElement[bool]] = []
    if status is not None:
        where.append(SwapRequest.status == status)
    if since is not None:
        where.append(SwapRequest.end > since)
    if until is not None:
        where.append(SwapRequest.start < until)
    total = session.scalar(select(func.count(SwapRequest.id)).where(*where)) or 0
    rows = session.execute(
        _swap_query()
        .where(*where)
        .order_by(SwapRequest.start, SwapRequest.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(tuple(_swap_row(*r) for r in rows), total, limit, offset)


def swap(session: Session, swap_id: int) -> SwapRow | None:
    found = session.execute(_swap_query().where(SwapRequest.id == swap_id)).first()
    return _swap_row(*found) if found is not None else None


def _swap_row(s: SwapRequest, offered_by: str, taken_by: str | None) -> SwapRow:
    return SwapRow(
        s.id, s.status, s.offered_by_id, offered_by, s.taken_by_id, taken_by, s.start, s.end,
        s.source, s.requested_by, s.override_id, s.created_at, s.closed_at,
    )  # fmt: skip
