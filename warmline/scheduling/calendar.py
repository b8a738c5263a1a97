"""iCalendar (RFC 5545) feeds of the rota: one per volunteer, one for the whole line.

Each feed is a VCALENDAR (PRODID, VERSION 2.0) with one VEVENT per shift from
:func:`warmline.scheduling.rota.shifts_between` for the window, and a VTIMEZONE for the line's
timezone. Event times carry ``TZID`` of that timezone, except an instant in the second pass of
a fall-back hour: RFC 5545 reads an ambiguous local time as its first occurrence, so such an
instant is written in UTC instead. UIDs are derived from the shift's source, volunteer and start,
so they stay the same across fetches. No clock is read: ``DTSTAMP`` is ``dtstamp`` when given,
else the window's start, so the same arguments give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from warmline.scheduling.rota import Rota, ShiftInstance, shifts_between
from warmline.scheduling.rota_types import require_aware

PRODID = "-//warmline//rota//EN"
UID_DOMAIN = "warmline"


def volunteer_feed(
    rota: Rota,
    volunteer_id: int,
    *,
    line_name: str,
    volunteer_name: str,
    start: dt.datetime,
    end: dt.datetime,
    dtstamp: dt.datetime | None = None,
) -> bytes:
    """One volunteer's shifts intersecting ``[start, end)``.

    SUMMARY is "<line> shift", or "<line> shift (supervisor)".
    """
    shifts = [s for s in shifts_between(rota, start, end) if s.volunteer_id == volunteer_id]
    events = ((s, _role(f"{line_name} shift", s)) for s in shifts)
    name, uid = f"{line_name}: {volunteer_name}", f"volunteer-{volunteer_id}@{UID_DOMAIN}"
    return _feed(rota.timezone, name, uid, events, dtstamp or start)


def rota_feed(
    rota: Rota,
    *,
    line_name: str,
    names: Mapping[int, str],
    start: dt.datetime,
    end: dt.datetime,
    dtstamp: dt.datetime | None = None,
) -> bytes:
    """Every shift intersecting ``[start, end)``; SUMMARY "<line>: <volunteer>[ (supervisor)]".

    A volunteer missing from ``names`` is called "volunteer <id>".
    """
    shifts = shifts_between(rota, start, end)
    events = (
        (s, _role(f"{line_name}: {names.get(s.volunteer_id, f'volunteer {s.volunteer_id}')}", s))
        for s in shifts
    )
    return _feed(rota.timezone, f"{line_name} rota", f"rota@{UID_DOMAIN}", events, dtstamp or start)


def shift_uid(shift: ShiftInstance) -> str:
    """Stable UID of a shift: its source, volunteer and UTC start."""
    source = shift.source.replace(":", "-")
    start = shift.start.astimezone(dt.UTC)
    return f"{source}.v{shift.volunteer_id}.{start:%Y%m%dT%H%M%SZ}@{UID_DOMAIN}"


def _role(summary: str, shift: ShiftInstance) -> str:
    return f"{summary} (supervisor)" if shift.supervisor else summary


def _feed(
    tz: ZoneInfo,
    name: str,
    uid: str,
    events: Iterable[tuple[ShiftInstance, str]],
    dtstamp: dt.datetime,
) -> bytes:
    require_aware(dtstamp, "dtstamp")
    stamp = dtstamp.astimezone(dt.UTC)
    cal = Calendar.new(prodid=PRODID, name=name, uid=uid)
    years: list[int] = []
    for shift, summary in events:
        event = Event.new(
            uid=shift_uid(shift),
            stamp=stamp,
            start=_local(shift.start, tz),
            end=_local(shift.end, tz),
            summary=summary,
        )
        cal.add_component(event)
        years += [shift.start.year, shift.end.year]
    if years:
        # Whole years, so the VTIMEZONE lists each transition of the years the events touch.
        cal.add_missing_timezones(
            first_date=dt.date(min(years) - 1, 12, 1), last_date=dt.date(max(years) + 1, 2, 1)
        )
    return cal.to_ical()


def _local(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """``instant`` in ``tz``, or in UTC when its local time is the second of two (fall-back)."""
    local = instant.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return instant.astimezone(dt.UTC)
    return local
