"""The rota as a week in the line's timezone, and its gaps (SPEC §9, §11 ``/rota``).

Built on the scheduling domain, never beside it: shifts are
:func:`warmline.scheduling.rota.shifts_between` (weekly slots, one-off shifts, overrides and
taken swaps applied), gaps :func:`warmline.scheduling.hours.open_gaps` (only opening hours count),
closed hours the complement of :func:`warmline.scheduling.hours.open_intervals`.

A week is 7 local dates from the one given; each day runs from its local midnight to the next
(23 or 25 hours on a daylight-saving change). Instants are aware UTC; a page converts them with
``WeekView.timezone``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from warmline.config import Settings
from warmline.people import volunteer_names
from warmline.scheduling import hours
from warmline.scheduling import rota as domain
from warmline.scheduling.rota import Gap
from warmline.scheduling.shift_text import local_instant
from warmline.scheduling.store import load_rota

__all__ = ["Day", "Gap", "Period", "RotaShift", "WeekView", "gaps", "week"]


@dataclass(frozen=True)
class RotaShift:
    """A volunteer's shift, unclipped (it may begin before its day or end after it).

    ``source`` as in the domain: ``"slot:3"``, ``"one-off:2"``, ``"override:5"``, joined by
    ``"+"`` where pieces merged."""

    volunteer_id: int
    name: str
    supervisor: bool
    start: dt.datetime
    end: dt.datetime
    source: str


@dataclass(frozen=True)
class Period:
    """A stretch of a day: ``kind`` is ``"uncovered"`` (open, nobody on shift),
    ``"no_supervisor"`` (open, nobody supervising) or ``"closed"`` (outside the opening hours)."""

    start: dt.datetime
    end: dt.datetime
    kind: str


@dataclass(frozen=True)
class Day:
    """One local date: ``[start, end)`` its midnights; ``shifts`` those intersecting it, by start
    then name; ``gaps`` and ``closed`` clipped to it, in order."""

    date: dt.date
    start: dt.datetime
    end: dt.datetime
    shifts: tuple[RotaShift, ...]
    gaps: tuple[Period, ...]
    closed: tuple[Period, ...]


@dataclass(frozen=True)
class WeekView:
    timezone: str
    first_date: dt.date
    start: dt.datetime
    end: dt.datetime
    days: tuple[Day, ...]


def week(session: Session, settings: Settings, first_date: dt.date) -> WeekView:
    """The 7 local days from ``first_date`` (any weekday; a page passes a Monday)."""
    tz = settings.line.timezone
    midnights = [local_instant(tz, first_date + dt.timedelta(days=n), dt.time(0)) for n in range(8)]
    lo, hi = midnights[0], midnights[-1]
    line_rota = load_rota(session, tz)
    names = volunteer_names(session)
    shifts = sorted(
        (
            RotaShift(
                s.volunteer_id,
                names.get(s.volunteer_id, f"volunteer {s.volunteer_id}"),
                s.supervisor,
                s.start,
                s.end,
                s.source,
            )
            for s in domain.shifts_between(line_rota, lo, hi)
        ),
        key=lambda s: (s.start, s.name, s.volunteer_id),
    )
    found = [
        Period(g.start, g.end, g.kind)
        for g in hours.open_gaps(settings.opening_hours, line_rota, lo, hi)
    ]
    closed = _closed(settings, tz, lo, hi)
    days = tuple(
        Day(
            date=first_date + dt.timedelta(days=n),
            start=start,
            end=end,
            shifts=tuple(s for s in shifts if s.start < end and s.end > start),
            gaps=_clip(found, start, end),
            closed=_clip(closed, start, end),
        )
        for n, (start, end) in enumerate(zip(midnights, midnights[1:], strict=False))
    )
    return WeekView(tz.key, first_date, lo, hi, days)


def gaps(
    session: Session, settings: Settings, since: dt.datetime, until: dt.datetime
) -> tuple[Gap, ...]:
    """The gaps of ``[since, until)`` within the opening hours, in order: ``Gap(start, end,
    kind)`` with kind ``"uncovered"`` or ``"no_supervisor"``."""
    tz = settings.line.timezone
    return tuple(hours.open_gaps(settings.opening_hours, load_rota(session, tz), since, until))


def _closed(settings: Settings, tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime) -> list[Period]:
    """``[lo, hi)`` outside the opening hours."""
    found: list[Period] = []
    here = lo
    for start, end in hours.open_intervals(settings.opening_hours, tz, lo, hi):
        if start > here:
            found.append(Period(here, start, "closed"))
        here = max(here, end)
    if here < hi:
        found.append(Period(here, hi, "closed"))
    return found


def _clip(periods: list[Period], start: dt.datetime, end: dt.datetime) -> tuple[Period, ...]:
    return tuple(
        Period(max(p.start, start), min(p.end, end), p.kind)
        for p in periods
        if p.start < end and p.end > start
    )
