"""The rota's week as table rows, in the line's local time (``warmline rota week``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from warmline.scheduling.editing import local_instant
from warmline.scheduling.rota import Rota, shifts_between

Row = tuple[str, str, str, str, str]


def week_rows(rota: Rota, tz: ZoneInfo, at: dt.datetime, names: Mapping[int, str]) -> list[Row]:
    """(day, from, until, volunteer, role) for each shift of the 7 local days from ``at``'s date.

    A shift is listed on the local day it starts; one already running at the first day's
    midnight is listed on that day. ``until`` gets ``+1`` when it ends on a later local date.
    The day is written once, on its first row. Sorted by start, then volunteer name.
    """
    first = at.astimezone(tz).date()
    lo = local_instant(tz, first, dt.time(0))
    hi = local_instant(tz, first + dt.timedelta(days=7), dt.time(0))
    shifts = sorted(
        shifts_between(rota, lo, hi),
        key=lambda s: (s.start, names.get(s.volunteer_id, ""), s.volunteer_id),
    )
    rows: list[Row] = []
    last_day = ""
    for s in shifts:
        start, end = s.start.astimezone(tz), s.end.astimezone(tz)
        shown = max(start, lo.astimezone(tz))
        day = f"{shown:%a %Y-%m-%d}"
        later = (end.date() - start.date()).days
        rows.append(
            (
                day if day != last_day else "",
                f"{start:%H:%M}" if start >= lo else f"({start:%a %H:%M})",
                f"{end:%H:%M}" + (f" +{later}" if later else ""),
                names.get(s.volunteer_id, f"volunteer {s.volunteer_id}"),
                "supervisor" if s.supervisor else "volunteer",
            )
        )
        last_day = day
    return rows
