"""Coordinator actions on the rota: weekly slots, one-off shifts, overrides."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.db.models import OneOffShift, RotaOverride, SlotAssignment, WeeklySlot
from warmline.people import AdminError, find_volunteer
from warmline.scheduling import rota_version  # noqa: F401  (edits bump the rota version)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday(value: str) -> int:
    key = value.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise AdminError(f"day must be one of {', '.join(WEEKDAYS)}, got {value!r}")
    return WEEKDAYS.index(key)


def clock(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value.strip())
    except ValueError:
        raise AdminError(f"time must look like 18:00, got {value!r}") from None


def day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise AdminError(f"date must look like 2026-12-24, got {value!r}") from None


def local_instant(tz: ZoneInfo, on: dt.date, at: dt.time) -> dt.datetime:
    """A local wall-clock time as an aware UTC instant (a time skipped by DST moves forward)."""
    local = dt.datetime.combine(on, at, tzinfo=tz)
    return local.astimezone(dt.UTC).astimezone(tz).astimezone(dt.UTC)


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
) -> WeeklySlot:
    if not volunteers and not supervisors:
        raise AdminError("a shift needs at least one --volunteer or --supervisor")
    slot = WeeklySlot(
        weekday=weekday(day_name),
        start_local=clock(start),
        end_local=clock(end),
        first_date=day(first_date) if first_date else None,
        last_date=day(last_date) if last_date else None,
        created_at=now,
    )
    if slot.first_date and slot.last_date and slot.last_date < slot.first_date:
        raise AdminError("the last date is before the first date")
    for ref, supervisor in [(v, False) for v in volunteers] + [(s, True) for s in supervisors]:
        slot.assignments.append(
            SlotAssignment(volunteer_id=find_volunteer(session, ref).id, supervisor=supervisor)
        )
    session.add(slot)
    session.flush()
    return slot


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
) -> list[OneOffShift]:
    if not volunteers and not supervisors:
        raise AdminError("a shift needs at least one --volunteer or --supervisor")
    date = day(on)
    begins = local_instant(tz, date, clock(start))
    end_date = date if clock(end) > clock(start) else date + dt.timedelta(days=1)
    ends = local_instant(tz, end_date, clock(end))
    shifts = [
        OneOffShift(
            start=begins,
            end=ends,
            volunteer_id=find_volunteer(session, ref).id,
            supervisor=supervisor,
            created_at=now,
        )
        for ref, supervisor in [(v, False) for v in volunteers] + [(s, True) for s in supervisors]
    ]
    session.add_all(shifts)
    session.flush()
    return shifts


def add_override(
    session: Session,
    tz: ZoneInfo,
    *,
    kind: str,
    volunteer: str,
    start: str,
    end: str,
    now: dt.datetime,
    replacement: str | None = None,
    supervisor: bool = False,
    reason: str | None = None,
) -> RotaOverride:
    """``start``/``end`` are local 'YYYY-MM-DD HH:MM' in the line's timezone."""
    if kind not in ("add", "remove", "replace"):
        raise AdminError("kind must be add, remove or replace")
    if (kind == "replace") != (replacement is not None):
        raise AdminError("--with is required for replace, and only for replace")
    begins, ends = local_datetime(tz, start), local_datetime(tz, end)
    if ends <= begins:
        raise AdminError("the end must be after the start")
    override = RotaOverride(
        kind=kind,
        volunteer_id=find_volunteer(session, volunteer).id,
        replacement_id=find_volunteer(session, replacement).id if replacement else None,
        start=begins,
        end=ends,
        supervisor=supervisor,
        reason=reason,
        created_at=now,
    )
    session.add(override)
    session.flush()
    return override


def local_datetime(tz: ZoneInfo, value: str) -> dt.datetime:
    try:
        naive = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise AdminError(
            f"date and time must look like '2026-12-24 18:00', got {value!r}"
        ) from None
    if naive.tzinfo is not None:
        return naive.astimezone(dt.UTC)
    return local_instant(tz, naive.date(), naive.time())


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
        raise AdminError(f"no shift {slot_id}")
    session.delete(slot)
