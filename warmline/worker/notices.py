"""Shift notices, reminders and queue draining at shift start, driven by timer rows.

The planner job (:func:`plan_shift_timers`, every minute in the worker) creates the timers that
:func:`warmline.scheduling.reminders.plan` calls for; :data:`HANDLERS` act on them when they
fire. Each handler re-reads the current rota and does nothing when the timer is stale:

- **reminder** and **shift-start**: the volunteer is active and has a shift starting exactly at
  the keyed instant, and was not already on shift just before it (a shift continuing another
  one is not announced); a reminder is also dropped once the shift has started or when the
  volunteer no longer has that reminder set.
- **shift-end**: the volunteer is active, has a shift ending exactly at the keyed instant, and
  is not on shift right after it.
- **drain**: assigns queued conversations to the volunteers now on shift. Planned at every
  shift start and, for a line with opening hours, at every opening (whoever is already on shift
  then takes the contacts who wrote while the line was closed).

Every text carries the timer's key as the outbox ``dedupe_key``, so it is sent exactly once even
if a timer were fired twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.bootstrap import Warmline
from warmline.context import Context
from warmline.db.models import Conversation, Outbound, Timer, Volunteer
from warmline.routing import queue
from warmline.scheduling import rota as r
from warmline.scheduling.hours import openings_between
from warmline.scheduling.reminders import (
    LATE,
    horizon,
    parse_stamp,
    plan,
    stamp,
    stored_reminders,
)
from warmline.scheduling.store import load_rota
from warmline.scheduling.timers import set_timer_once

log = logging.getLogger(__name__)
_TICK = dt.timedelta(microseconds=1)
_CHUNK = 500

TimerRowHandler = Callable[[Session, Context, Timer, dt.datetime], None]


def plan_shift_timers(wl: Warmline, now: dt.datetime) -> int:
    """Create the shift timers due from ``now - LATE`` over the horizon; how many were new."""
    with wl.db.unit_of_work() as session:
        reminders = {
            vid: stored_reminders(text)
            for vid, text in session.execute(
                select(Volunteer.id, Volunteer.reminder_minutes).where(Volunteer.active.is_(True))
            )
        }
        if not reminders:
            return 0
        tz = wl.settings.line.timezone
        rota = load_rota(session, tz)
        until = now + horizon(reminders)
        shifts = r.shifts_between(rota, now - LATE, until)
        planned = plan(shifts, reminders, now)
        opened = openings_between(wl.settings.opening_hours, tz, now - LATE, until)
        existing: set[str] = set()
        keys = [p.key for p in planned]
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            existing.update(session.scalars(select(Timer.key).where(Timer.key.in_(chunk))))
        created = 0
        for p in planned:
            if p.key not in existing:
                created += set_timer_once(session, p.kind, p.ref_id, p.due_at, now, key=p.key)
        for at in opened:  # the same key as a shift starting then: one drain
            created += set_timer_once(session, "drain", None, at, now, key=f"drain:{stamp(at)}")
    if created:
        log.info("planned %s shift timer(s)", created)
    return created


def _shift_starting(rota: r.Rota, vid: int, start: dt.datetime) -> r.ShiftInstance | None:
    """The volunteer's shift starting exactly at ``start``, unless it continues an earlier one."""
    mine = [s for s in r.on_shift(rota, start) if s.volunteer_id == vid and s.start == start]
    if not mine or any(s.volunteer_id == vid for s in r.on_shift(rota, start - _TICK)):
        return None
    return mine[0]


def _shift_ending(rota: r.Rota, vid: int, end: dt.datetime) -> r.ShiftInstance | None:
    """The volunteer's shift ending exactly at ``end``, unless another one follows at once."""
    mine = [s for s in r.on_shift(rota, end - _TICK) if s.volunteer_id == vid and s.end == end]
    if not mine or any(s.volunteer_id == vid for s in r.on_shift(rota, end)):
        return None
    return mine[0]


def _volunteer(session: Session, vid: int) -> Volunteer | None:
    volunteer = session.get(Volunteer, vid)
    return volunteer if volunteer is not None and volunteer.active else None


def _send_once(
    session: Session,
    ctx: Context,
    volunteer: Volunteer,
    body: str,
    kind: str,
    key: str,
    now: dt.datetime,
) -> None:
    if session.scalar(select(Outbound.id).where(Outbound.dedupe_key == key)) is not None:
        return
    ctx.text_volunteer(session, volunteer, body, kind, now, dedupe_key=key)


def _clock(ctx: Context, at: dt.datetime) -> str:
    return at.astimezone(ctx.settings.line.timezone).strftime("%I:%M %p").lstrip("0")


def _duration(minutes: int) -> str:
    if minutes % 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def reminder(session: Session, ctx: Context, timer: Timer, now: dt.datetime) -> None:
    _, minutes, vid, start_text = timer.key.split(":")
    start = parse_stamp(start_text)
    volunteer = _volunteer(session, int(vid))
    if volunteer is None or now >= start:
        return
    if int(minutes) not in stored_reminders(volunteer.reminder_minutes):
        return
    shift = _shift_starting(load_rota(session, ctx.settings.line.timezone), volunteer.id, start)
    if shift is None:
        return
    when = texts.local_time_phrase(ctx.settings, start, now)
    within, until = _duration(int(minutes)), _clock(ctx, shift.end)
    body = texts.render(ctx.settings, "shift_reminder", within=within, when=when, until=until)
    _send_once(session, ctx, volunteer, body, "reminder", timer.key, now)


def shift_start(session: Session, ctx: Context, timer: Timer, now: dt.datetime) -> None:
    _, vid, start_text = timer.key.split(":")
    start = parse_stamp(start_text)
    volunteer = _volunteer(session, int(vid))
    if volunteer is None:
        return
    shift = _shift_starting(load_rota(session, ctx.settings.line.timezone), volunteer.id, start)
    if shift is None or now >= shift.end:
        return
    body = texts.render(ctx.settings, "shift_started", until=_clock(ctx, shift.end))
    _send_once(session, ctx, volunteer, body, "notice", timer.key, now)


def shift_end(session: Session, ctx: Context, timer: Timer, now: dt.datetime) -> None:
    _, vid, end_text = timer.key.split(":")
    end = parse_stamp(end_text)
    volunteer = _volunteer(session, int(vid))
    if volunteer is None:
        return
    if _shift_ending(load_rota(session, ctx.settings.line.timezone), volunteer.id, end) is None:
        return
    still_open = session.scalar(
        select(func.count(Conversation.id)).where(
            Conversation.volunteer_id == volunteer.id, Conversation.status == "assigned"
        )
    )
    name = "shift_ended_still_open" if still_open else "shift_ended"
    body = texts.render(ctx.settings, name, open=still_open)
    _send_once(session, ctx, volunteer, body, "notice", timer.key, now)


def drain(session: Session, ctx: Context, timer: Timer, now: dt.datetime) -> None:
    assigned = queue.drain_queue(session, ctx, now)
    if assigned:
        log.info("shift start: %s queued conversation(s) assigned", assigned)


HANDLERS: dict[str, TimerRowHandler] = {
    "reminder": reminder,
    "shift-start": shift_start,
    "shift-end": shift_end,
    "drain": drain,
}
