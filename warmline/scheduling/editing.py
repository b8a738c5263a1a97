"""Coordinator actions on the rota: weekly slots, one-off shifts (the CLI, dashboard and API
share these; overrides are in :mod:`warmline.scheduling.overrides`).

Rules, each refused with an AdminError saying why:

- A shift needs at least one person; a person appears once per shift (not both ``--volunteer``
  and ``--supervisor``); only a volunteer whose role is supervisor may be a shift's supervisor.
- Start and end as in :func:`warmline.scheduling.shift_text.times` (equal times refused).
- A weekly shift identical to one already on the rota (same weekday, times and dates) for the
  same person is a duplicate; so is a one-off with the same start, end and person.
- A one-off that would already be over at ``now``, or a weekly shift whose last date has
  passed (or whose dates hold none of its weekdays), would never happen.
- Volunteers are named by id or phone number; ``region`` (the line's country) lets the phone
  number be written in national format.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.db.models import OneOffShift, SlotAssignment, Volunteer, WeeklySlot
from warmline.people import AdminError, find_volunteer
from warmline.scheduling import rota_version  # noqa: F401  (edits bump the rota version)
from warmline.scheduling.overrides import (
    add_override,
    list_overrides,
    remove_override,
    require_supervisor,
)
from warmline.scheduling.shift_text import (
    WEEKDAYS,
    clock,
    day,
    local_datetime,
    local_instant,
    parse_shift_ref,
    span,
    times,
    weekday,
    weekly_span,
)

__all__ = [
    "WEEKDAYS",
    "add_around_the_clock",
    "add_one_off",
    "add_override",
    "add_weekly_slot",
    "edit_weekly_slot",
    "clock",
    "day",
    "list_one_offs",
    "list_overrides",
    "list_slots",
    "local_datetime",
    "local_instant",
    "remove_override",
    "remove_shift",
    "remove_slot",
    "weekday",
]


def shift_people(
    session: Session, volunteers: list[str], supervisors: list[str], region: str | None
) -> list[tuple[Volunteer, bool]]:
    """Each named volunteer with whether they supervise; the rules of the module docstring."""
    if not volunteers and not supervisors:
        raise AdminError("a shift needs at least one --volunteer or --supervisor")
    found: list[tuple[Volunteer, bool]] = []
    for ref, supervisor in [(v, False) for v in volunteers] + [(s, True) for s in supervisors]:
        person = find_volunteer(session, ref, region)
        if any(p.id == person.id for p, _ in found):
            raise AdminError(
                f"{person.name} is named twice: a person is on a shift once, "
                "either as --volunteer or as --supervisor"
            )
        if supervisor:
            require_supervisor(person)
        found.append((person, supervisor))
    return found


def add_weekly_slot(
    session: Session,
    *,
    day_name: str,
    start: str,
    end: str,
    volunteers: list[str],
    supervisors: list[str],
    now: dt.datetime,
    first_date: str | None = None,
    last_date: str | None = None,
    region: str | None = None,
    tz: ZoneInfo | None = None,
) -> WeeklySlot:
    """A weekly slot; ``tz`` (the line's) dates ``now`` to check ``last_date`` (UTC without)."""
    slot = WeeklySlot(created_at=now)
    _fill_slot(session, slot, day_name, start, end, first_date, last_date)
    _check_dates(slot, now.astimezone(tz or dt.UTC).date())
    found = shift_people(session, volunteers, supervisors, region)
    _assign(session, slot, found)
    session.add(slot)
    session.flush()
    return slot


def edit_weekly_slot(
    session: Session,
    slot_id: int,
    *,
    day_name: str,
    start: str,
    end: str,
    volunteers: list[str],
    supervisors: list[str],
    now: dt.datetime,
    first_date: str | None = None,
    last_date: str | None = None,
    region: str | None = None,
    tz: ZoneInfo | None = None,
) -> WeeklySlot:
    """Give weekly slot ``slot_id`` this day, these times, dates and people, by the rules of
    :func:`add_weekly_slot` (the slot is no duplicate of itself). It keeps its id, so the ``w3``
    a coordinator knows still names it. The caller's unit of work rolls back a refused edit."""
    slot = session.get(WeeklySlot, slot_id)
    if slot is None:
        raise AdminError(f"no weekly shift w{slot_id}")
    found = shift_people(session, volunteers, supervisors, region)
    _fill_slot(session, slot, day_name, start, end, first_date, last_date)
    _check_dates(slot, now.astimezone(tz or dt.UTC).date())
    slot.assignments.clear()
    session.flush()  # the old assignments go before the duplicate check sees the slot
    _assign(session, slot, found)
    session.flush()
    return slot


def _fill_slot(
    session: Session,
    slot: WeeklySlot,
    day_name: str,
    start: str,
    end: str,
    first_date: str | None,
    last_date: str | None,
) -> None:
    begins, ends = times(start, end)
    slot.weekday = weekday(day_name)
    slot.start_local, slot.end_local = begins, ends
    slot.first_date = day(first_date) if first_date else None
    slot.last_date = day(last_date) if last_date else None


def _assign(session: Session, slot: WeeklySlot, found: list[tuple[Volunteer, bool]]) -> None:
    for person, supervisor in found:
        same = _same_slot(session, slot, person.id)
        if same is not None:
            raise AdminError(f"{person.name} is already on that weekly shift (w{same})")
        slot.assignments.append(SlotAssignment(volunteer_id=person.id, supervisor=supervisor))


def _check_dates(slot: WeeklySlot, today: dt.date) -> None:
    first, last = slot.first_date, slot.last_date
    if last is not None and last < today:
        raise AdminError(f"the last date {last} has passed: the shift would never happen")
    if first is not None and last is not None:
        if last < first:
            raise AdminError("the last date is before the first date")
        if (last - first).days < 6 and all(
            (first + dt.timedelta(days=n)).weekday() != slot.weekday
            for n in range((last - first).days + 1)
        ):
            raise AdminError(
                f"there is no {WEEKDAYS[slot.weekday]} from {first} to {last}: "
                "the shift would never happen"
            )


def _same_slot(session: Session, slot: WeeklySlot, volunteer_id: int) -> int | None:
    """The id of a slot with the same weekday, times and dates that has ``volunteer_id``."""
    return session.scalars(
        select(WeeklySlot.id)
        .join(SlotAssignment)
        .where(
            SlotAssignment.volunteer_id == volunteer_id,
            WeeklySlot.weekday == slot.weekday,
            WeeklySlot.start_local == slot.start_local,
            WeeklySlot.end_local == slot.end_local,
            WeeklySlot.first_date.is_(None)
            if slot.first_date is None
            else WeeklySlot.first_date == slot.first_date,
            WeeklySlot.last_date.is_(None)
            if slot.last_date is None
            else WeeklySlot.last_date == slot.last_date,
        )
    ).first()


def add_around_the_clock(
    session: Session, *, volunteers: list[str], supervisors: list[str], now: dt.datetime
) -> list[WeeklySlot]:
    """A midnight-to-midnight weekly slot on every day (the demo's rota, and tests')."""
    return [
        add_weekly_slot(
            session,
            day_name=day_name,
            start="00:00",
            end="00:00",
            volunteers=volunteers,
            supervisors=supervisors,
            now=now,
        )
        for day_name in WEEKDAYS
    ]


def add_one_off(
    session: Session,
    tz: ZoneInfo,
    *,
    on: str,
    start: str,
    end: str,
    volunteers: list[str],
    supervisors: list[str],
    now: dt.datetime,
    region: str | None = None,
) -> list[OneOffShift]:
    """One row per person, all with the same start and end (local times on ``on``)."""
    date = day(on)
    starts_at, ends_at = times(start, end)
    begins = local_instant(tz, date, starts_at)
    ends = local_instant(tz, date if ends_at > starts_at else date + dt.timedelta(days=1), ends_at)
    if ends <= now:
        raise AdminError(f"that shift ({span(begins, ends, tz)}) would already be over")
    shifts = []
    for person, supervisor in shift_people(session, volunteers, supervisors, region):
        same = session.scalars(
            select(OneOffShift.id).where(
                OneOffShift.volunteer_id == person.id,
                OneOffShift.start == begins,
                OneOffShift.end == ends,
            )
        ).first()
        if same is not None:
            raise AdminError(f"{person.name} already has that one-off shift (o{same})")
        shifts.append(
            OneOffShift(
                start=begins,
                end=ends,
                volunteer_id=person.id,
                supervisor=supervisor,
                created_at=now,
            )
        )
    session.add_all(shifts)
    session.flush()
    return shifts


def list_slots(session: Session) -> list[WeeklySlot]:
    return list(
        session.scalars(
            select(WeeklySlot).order_by(WeeklySlot.weekday, WeeklySlot.start_local, WeeklySlot.id)
        )
    )


def list_one_offs(session: Session, since: dt.datetime) -> list[OneOffShift]:
    return list(
        session.scalars(
            select(OneOffShift).where(OneOffShift.end >= since).order_by(OneOffShift.start)
        )
    )


def remove_slot(session: Session, slot_id: int) -> None:
    slot = session.get(WeeklySlot, slot_id)
    if slot is None:
        raise AdminError(f"no weekly shift w{slot_id}")
    session.delete(slot)


def remove_shift(session: Session, tz: ZoneInfo, ref: str) -> tuple[str, str]:
    """Remove the weekly (``w3``) or one-off (``o3``) shift; a bare ``3`` only when one of the
    two exists. Returns the shift's full id and what was removed, in words:
    ``("w3", "weekly shift w3: Mon 18:00 → 22:00, 4 h")``."""
    kind, number = parse_shift_ref(ref)
    slot = session.get(WeeklySlot, number) if kind in ("w", None) else None
    one_off = session.get(OneOffShift, number) if kind in ("o", None) else None
    if slot is not None and one_off is not None:
        raise AdminError(
            f"shift {number} is ambiguous: say w{number} (weekly, "
            f"{weekly_span(slot.weekday, slot.start_local, slot.end_local)}) or o{number} "
            f"(one-off, {span(one_off.start, one_off.end, tz)})"
        )
    if slot is not None:
        said = (
            f"weekly shift w{number}: {weekly_span(slot.weekday, slot.start_local, slot.end_local)}"
        )
        session.delete(slot)
        return f"w{number}", said
    if one_off is not None:
        said = f"one-off shift o{number}: {span(one_off.start, one_off.end, tz)}"
        session.delete(one_off)
        return f"o{number}", said
    what = {"w": "weekly shift w", "o": "one-off shift o", None: "shift "}[kind]
    raise AdminError(f"no {what}{number}")
