"""Reading what a coordinator types about shifts, and saying back what was understood.

Pure functions: no database, no clock. Local times are wall-clock times in the line's timezone.

- A weekly shift is ``weekday start → end``; an end earlier than the start is the next day
  (overnight, said so); an end equal to the start is refused, except ``00:00 → 00:00``, which
  is the whole day (24 h).
- Shift ids carry their kind: ``w3`` is weekly slot 3, ``o3`` one-off shift 3, so the two are
  never confused. A bare ``3`` is accepted by the caller only when just one of them exists.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo

from warmline.people import AdminError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = dt.timedelta(days=1)
ShiftKind = Literal["w", "o"]
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_REF = re.compile(r"^\s*([wo]?)(\d{1,9})\s*$", re.IGNORECASE)


def weekday(value: str) -> int:
    key = value.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise AdminError(f"day must be one of {', '.join(WEEKDAYS)}, got {value!r}")
    return WEEKDAYS.index(key)


def clock(value: str) -> dt.time:
    """'18:00', '9:30' or '09:30' (24-hour clock)."""
    found = _CLOCK.match(value)
    try:
        if found is None:
            raise ValueError(value)
        return dt.time(int(found.group(1)), int(found.group(2)))
    except ValueError:
        raise AdminError(f"time must look like 18:00, got {value!r}") from None


def day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise AdminError(f"date must look like 2026-12-24, got {value!r}") from None


def times(start: str, end: str) -> tuple[dt.time, dt.time]:
    """A shift's local start and end; equal times are refused unless 00:00 (the whole day)."""
    begins, ends = clock(start), clock(end)
    if begins == ends and begins != dt.time(0, 0):
        raise AdminError(
            f"the shift starts and ends at {begins:%H:%M}: give a different end "
            "(an end earlier than the start is the next day; 00:00 to 00:00 is the whole day)"
        )
    return begins, ends


def local_instant(tz: ZoneInfo, on: dt.date, at: dt.time) -> dt.datetime:
    """A local wall-clock time as an aware UTC instant (a time skipped by DST moves forward)."""
    local = dt.datetime.combine(on, at, tzinfo=tz)
    return local.astimezone(dt.UTC).astimezone(tz).astimezone(dt.UTC)


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


def length(delta: dt.timedelta) -> str:
    """'8 h', '4 h 30 min', '45 min'."""
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def weekly_span(weekday_index: int, start: dt.time, end: dt.time) -> str:
    """'Mon 18:00 → 22:00, 4 h' or 'Mon 18:00 → Tue 02:00 (overnight), 8 h' (wall-clock hours)."""
    first = dt.datetime.combine(dt.date(2024, 1, 1) + weekday_index * DAY, start)  # a Monday
    last = dt.datetime.combine(first.date(), end)
    if last <= first:
        last += DAY
    same_day = last.date() == first.date()
    ends = f"{end:%H:%M}" if same_day else f"{WEEKDAYS[last.weekday()].title()} {end:%H:%M}"
    how = "" if same_day else " (whole day)" if last - first == DAY else " (overnight)"
    return f"{WEEKDAYS[weekday_index].title()} {start:%H:%M} → {ends}{how}, {length(last - first)}"


def span(start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> str:
    """'Thu 2026-12-24 18:00 → 23:00, 5 h', the next day's date when it crosses midnight."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    ends = f"{b:%H:%M}" if a.date() == b.date() else f"{b:%a %Y-%m-%d %H:%M}"
    return f"{a:%a %Y-%m-%d %H:%M} → {ends}, {length(end - start)}"


def dates(first: dt.date | None, last: dt.date | None) -> str:
    if first is None and last is None:
        return "every week"
    return f"{first or '...'} to {last or '...'}"


def parse_shift_ref(value: str) -> tuple[ShiftKind | None, int]:
    """``w3`` -> ("w", 3), ``o3`` -> ("o", 3), ``3`` -> (None, 3); AdminError otherwise."""
    found = _REF.match(value)
    if found is None:
        raise AdminError(f"a shift id looks like w3 (weekly) or o3 (one-off), got {value!r}")
    kind = found.group(1).lower()
    return (kind if kind in ("w", "o") else None), int(found.group(2))  # type: ignore[return-value]
