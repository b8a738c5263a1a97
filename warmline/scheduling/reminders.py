"""Which shift timers to create: reminders before shifts, start and end notices, queue draining.

Pure rules (no database, no clock), applied by the planner job in
:mod:`warmline.worker.notices` every minute over the shifts of the coming day or more:

- A volunteer's **reminders** are minutes before the start of each of their shifts
  (``Volunteer.reminder_minutes``, default ``"1440,60"``: 24 hours and 1 hour).
- Every timer has a **key** naming the volunteer and the shift instant, created at most once
  (:func:`warmline.scheduling.timers.set_timer_once`), so nothing is sent twice, across worker
  restarts too: ``reminder:<minutes>:<volunteer>:<start>``, ``shift-start:<volunteer>:<start>``,
  ``shift-end:<volunteer>:<end>`` and ``drain:<start>`` (one per start instant), instants as
  ``YYYYMMDDTHHMMSSZ``.
- **Late rule:** a timer whose due time is more than ``LATE`` (10 minutes) in the past is not
  created. So a shift added at short notice gets only the reminders still ahead of it (a shift
  added 30 minutes before it starts gets no 1-hour reminder), while a worker that was down for
  less than ``LATE`` loses nothing. Reminders are never created for a shift that has started.
- Only volunteers listed in ``reminders`` (the active ones) get timers.

Whether a timer still applies when it fires (the volunteer still on that shift, still active,
not already on shift just before it) is checked by its handler, not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from warmline.people import AdminError
from warmline.scheduling.rota_types import ShiftInstance

LATE = dt.timedelta(minutes=10)
MAX_REMINDER_MINUTES = 7 * 24 * 60
DEFAULT_REMINDERS = "1440,60"
NO_REMINDERS = ("", "none", "off")


@dataclass(frozen=True)
class Planned:
    """A timer to create: its kind, the volunteer it is about, its unique key and due time."""

    kind: str
    ref_id: int
    key: str
    due_at: dt.datetime


def stamp(at: dt.datetime) -> str:
    """An instant as it appears in timer keys: UTC, ``YYYYMMDDTHHMMSSZ``."""
    return at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def parse_reminder_minutes(text: str) -> tuple[int, ...]:
    """``"1440,60"`` -> ``(1440, 60)``: whole minutes before a shift, 1 to 10080 (7 days).

    Duplicates are dropped, the result is sorted longest first; ``""``, ``"none"`` or ``"off"``
    means no reminders. Anything else raises AdminError naming the bad part.
    """
    if text.strip().lower() in NO_REMINDERS:
        return ()
    values = set()
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= MAX_REMINDER_MINUTES:
            raise AdminError(
                f"reminders are minutes before a shift, 1 to {MAX_REMINDER_MINUTES}, "
                f"comma-separated (e.g. 1440,60), got {part!r}"
            )
        values.add(int(part))
    return tuple(sorted(values, reverse=True))


def stored_reminders(text: str | None) -> tuple[int, ...]:
    """A volunteer's stored reminders; an unreadable value means the default."""
    try:
        return parse_reminder_minutes(text if text is not None else DEFAULT_REMINDERS)
    except AdminError:
        return parse_reminder_minutes(DEFAULT_REMINDERS)


def horizon(reminders: Mapping[int, tuple[int, ...]]) -> dt.timedelta:
    """How far ahead to look: the longest reminder plus an hour, at least 25 hours."""
    longest = max((m for ms in reminders.values() for m in ms), default=0)
    return max(dt.timedelta(hours=25), dt.timedelta(minutes=longest, hours=1))


def plan(
    shifts: Iterable[ShiftInstance], reminders: Mapping[int, tuple[int, ...]], now: dt.datetime
) -> list[Planned]:
    """The timers ``shifts`` call for at ``now`` (see the module's rules), in due order.

    Start notices come before the drain timer of the same instant, so a volunteer hears their
    shift has started before the queue's first conversation reaches them.
    """
    earliest = now - LATE
    planned: list[Planned] = []
    drains: dict[dt.datetime, int] = {}
    for s in sorted(shifts, key=lambda s: (s.start, s.volunteer_id)):
        vid = s.volunteer_id
        if vid not in reminders:
            continue
        if s.start >= earliest:
            planned.append(
                Planned("shift-start", vid, f"shift-start:{vid}:{stamp(s.start)}", s.start)
            )
            drains.setdefault(s.start, vid)
        if s.end >= earliest:
            planned.append(Planned("shift-end", vid, f"shift-end:{vid}:{stamp(s.end)}", s.end))
        if s.start <= now:
            continue
        for minutes in reminders[vid]:
            due = s.start - dt.timedelta(minutes=minutes)
            if due >= earliest:
                key = f"reminder:{minutes}:{vid}:{stamp(s.start)}"
                planned.append(Planned("reminder", vid, key, due))
    planned += [Planned("drain", vid, f"drain:{stamp(at)}", at) for at, vid in drains.items()]
    order = {"shift-end": 0, "shift-start": 1, "drain": 2, "reminder": 3}
    return sorted(planned, key=lambda p: (p.due_at, order[p.kind], p.ref_id))
