"""When the line is open: its opening hours (:mod:`warmline.opening_hours`) as instants.

Pure functions of the hours, the line's timezone and instants passed in (aware; ValueError
otherwise); instants returned are aware UTC, periods half-open ``[start, end)``.

- Each local date has the periods of its holiday entry, else of its weekday. A period starts on
  its date at its wall-clock start and ends at its wall-clock end, on the next date when it runs
  past midnight.
- Daylight saving follows the rota's rules (:mod:`warmline.scheduling.rota`): a wall-clock time
  skipped by spring-forward moves forward by the length of the skip (02:30 → 03:30 EDT), a
  repeated one means its first occurrence; a period is as long in real time as the wall clock
  says (an hour shorter on spring-forward night), and a period lying wholly in a skipped hour
  has no time that day. So opening hours and shifts written with the same wall-clock times
  begin and end at the same instants.
- Periods that overlap or touch (``18:00-24:00`` then ``00:00-02:00``, or every day
  ``00:00-24:00``) join into one open interval.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from warmline.opening_hours import OpeningHours
from warmline.scheduling import rota
from warmline.scheduling.rota_pieces import UTC, wall_to_utc
from warmline.scheduling.rota_types import Rota, require_aware

Interval = tuple[dt.datetime, dt.datetime]
_ONE_DAY = dt.timedelta(days=1)
_TICK = dt.timedelta(microseconds=1)
DEFAULT_HORIZON = dt.timedelta(days=366)
STAFFED_HORIZON = dt.timedelta(days=14)  # as far as the rota's own next opening looks


def open_intervals(
    hours: OpeningHours, tz: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    """The maximal open intervals intersecting ``[start, end)``, clipped to it, in order."""
    require_aware(start, "start")
    require_aware(end, "end")
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    found = []
    for s, e in _joined(hours, tz, lo, hi):
        if e > lo:
            found.append((max(s, lo), min(e, hi)))
    return found


def is_open(hours: OpeningHours, tz: ZoneInfo, at: dt.datetime) -> bool:
    """True when instant ``at`` lies within the opening hours."""
    require_aware(at, "at")
    return hours.always_open or bool(open_intervals(hours, tz, at, at + _TICK))


def next_opening(
    hours: OpeningHours,
    tz: ZoneInfo,
    at: dt.datetime,
    horizon: dt.timedelta = DEFAULT_HORIZON,
) -> dt.datetime | None:
    """The first instant in ``[at, at + horizon)`` when the line is open (``at`` itself when
    open then), or None."""
    require_aware(at, "at")
    at = at.astimezone(UTC)
    if hours.always_open:
        return at if horizon > dt.timedelta(0) else None
    found = open_intervals(hours, tz, at, at + horizon)
    return found[0][0] if found else None


def next_start(
    hours: OpeningHours,
    tz: ZoneInfo,
    at: dt.datetime,
    horizon: dt.timedelta = DEFAULT_HORIZON,
) -> dt.datetime | None:
    """The first instant after ``at``, within ``horizon``, when the line opens, or None: the
    start of the next open interval, never of one already under way at ``at``."""
    require_aware(at, "at")
    at = at.astimezone(UTC)
    for s, _ in _joined(hours, tz, at, at + horizon):
        if s > at:
            return s
    return None


def _joined(
    hours: OpeningHours, tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime
) -> Iterator[Interval]:
    """The joined open intervals starting before ``hi`` and ending after ``lo``, unclipped,
    except that periods starting at or after ``hi`` are not joined onto the last one."""
    pending: Interval | None = None
    for s, e in _occurrences(hours, tz, lo, hi):
        if pending is not None and s <= pending[1]:
            pending = (pending[0], max(pending[1], e))
            continue
        if pending is not None and pending[1] > lo:
            yield pending
        pending = (s, e)
    if pending is not None and pending[1] > lo:
        yield pending


def _occurrences(
    hours: OpeningHours, tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime
) -> Iterator[Interval]:
    """Periods starting on the local dates that may touch ``[lo, hi)``, as UTC instants, in order
    of start; a period with no time once converted (inside a skipped hour) is left out."""
    day = lo.astimezone(tz).date() - _ONE_DAY * 2  # a period lasts at most a day, plus DST
    last = hi.astimezone(tz).date() + _ONE_DAY
    while day <= last:
        for period in hours.periods_on(day):
            s, e = _wall(day, period.start, tz), _wall(day, period.end, tz)
            if s >= hi:
                return
            if e > s:
                yield s, e
        day += _ONE_DAY


def _wall(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    """``minutes`` after the local midnight of ``day`` (past 24 h: on the next day), in UTC."""
    days, minute = divmod(minutes, 24 * 60)
    return wall_to_utc(day + dt.timedelta(days=days), dt.time(minute // 60, minute % 60), tz)


def next_staffed_opening(
    hours: OpeningHours, line_rota: Rota, at: dt.datetime, horizon: dt.timedelta = STAFFED_HORIZON
) -> dt.datetime | None:
    """When the line next answers: the first instant in ``[at, at + horizon)`` that is within the
    opening hours and has someone on shift (``at`` itself when both hold then).

    Failing that, a line with opening hours names the next start of its hours after ``at`` (what
    it has promised, even with nobody on its rota yet); an always-open line None.
    """
    tz = line_rota.timezone
    for start, end in open_intervals(hours, tz, at, at + horizon):
        staffed = rota.next_opening(line_rota, start, end - start)
        if staffed is not None:
            return staffed
    return None if hours.always_open else next_start(hours, tz, at)


def open_gaps(
    hours: OpeningHours, line_rota: Rota, start: dt.datetime, end: dt.datetime
) -> list[rota.Gap]:
    """The rota's gaps (:func:`warmline.scheduling.rota.gaps`) within the opening hours only, in
    order: an evening line is not short of volunteers in the afternoon."""
    found: list[rota.Gap] = []
    for s, e in open_intervals(hours, line_rota.timezone, start, end):
        found += rota.gaps(line_rota, s, e)
    return found


def openings_between(
    hours: OpeningHours, tz: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """The instants in ``[start, end)`` at which the line opens (an always-open line: none)."""
    require_aware(start, "start")
    if hours.always_open:
        return []
    lo = start.astimezone(UTC)
    return [s for s, _ in _joined(hours, tz, lo - _ONE_DAY * 2, end.astimezone(UTC)) if s >= lo]
