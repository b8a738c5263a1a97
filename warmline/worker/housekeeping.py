"""The worker's daily and hourly chores: coverage-gap alerts and the retention purge.

**Coverage-gap alert** (:func:`coverage_gap_alert`, checked every few minutes): once per local
day, from ``ALERT_HOUR`` (09:00 in the line's timezone), the coordinators' alert numbers get the
gaps of the next 7 days (nobody on shift, or nobody supervising, during the line's opening
hours: :func:`warmline.scheduling.hours.open_gaps`) — **only when the gaps changed since the
last alert**. What counts as "the gaps" is :func:`gap_pattern`: the gaps of the 7
whole local days from today, written as local weekday and wall-clock times, so an unchanged
weekly rota gives the same pattern every day, while an override, a swap or a one-off that opens
or closes a gap changes it. No stored pattern counts as "no gaps": a fully covered line is never
alerted. The pattern's hash and the day checked are kept in the ``setting`` table, so a
restarted worker neither repeats nor skips the day's check.

**Retention purge** (:func:`purge_expired`, hourly): message bodies (``Message.body``, and
``Outbound.body`` of rows no longer waiting to go out) older than ``retention_days`` become
NULL; voicemails of closed conversations older than ``retention_days`` are forgotten (our copy:
the URL warmline plays, :func:`warmline.recordings.forget`), in the same transaction; then,
after it, Twilio's copies of every forgotten recording are deleted through the telephony port
(:func:`warmline.recordings.delete_at_twilio`) — those Twilio refuses now stay pending and the
next run tries them again (a 404 counts as done), so the step is safe to repeat. Fired timers
due more than two days ago are deleted (the planner never re-creates a timer due that long ago,
so exactly-once still holds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from warmline import outbox, recordings, texts
from warmline.bootstrap import Warmline
from warmline.db.models import Message, Outbound, Timer
from warmline.escalation.recipients import alert_coordinators
from warmline.scheduling import rota as r
from warmline.scheduling.editing import local_instant
from warmline.scheduling.hours import open_gaps
from warmline.scheduling.state import get_setting, put_setting
from warmline.scheduling.store import load_rota

log = logging.getLogger(__name__)

ALERT_HOUR = 9
ALERT_DAYS = 7
MAX_LISTED = 10
CHECKED_ON = "coverage_gaps.checked_on"
PATTERN = "coverage_gaps.pattern"
NO_GAPS = hashlib.sha256(b"").hexdigest()
KIND_WORDS = {"uncovered": "nobody on shift", "no_supervisor": "no supervisor"}
FIRED_TIMERS_KEPT = dt.timedelta(days=2)


def week_window(tz: ZoneInfo, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight today to local midnight ``ALERT_DAYS`` days later, as UTC instants."""
    today = now.astimezone(tz).date()
    midnight = dt.time(0, 0)
    end_day = today + dt.timedelta(days=ALERT_DAYS)
    return local_instant(tz, today, midnight), local_instant(tz, end_day, midnight)


def gap_pattern(found: list[r.Gap], tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime) -> str:
    """The gaps of a 7-day window ``[lo, hi)`` as sorted weekly lines (``"Mon 00:00-Mon 18:00
    uncovered"``); a gap at the window's start and one of the same kind at its end are one gap
    that wraps round the week; a gap filling the window is ``"all week"``."""
    spans = [(g.kind, g.start, g.end) for g in found]
    lines = []
    for kind in sorted({k for k, _, _ in spans}):
        mine = [(s, e) for k, s, e in spans if k == kind]
        first, last = mine[0], mine[-1]
        if first == last and first == (lo, hi):
            lines.append(f"all week {kind}")
            continue
        if len(mine) > 1 and first[0] == lo and last[1] == hi:
            mine = [(last[0], first[1])] + mine[1:-1]
        lines += [f"{_weekly(s, tz)}-{_weekly(e, tz)} {kind}" for s, e in mine]
    return "\n".join(sorted(lines))


def _weekly(at: dt.datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%a %H:%M")


def gap_alert_text(line: str, found: list[r.Gap], tz: ZoneInfo, open_hours: bool = False) -> str:
    """The alert listing ``found`` (gaps from now) in local time, at most ``MAX_LISTED``;
    ``open_hours`` when the line has opening hours (only they count)."""
    if not found:
        what = "open hour" if open_hours else "hour"
        return texts.fixed("coverage_all_covered", line=line, what=what, days=ALERT_DAYS)
    lines = [
        texts.fixed(
            "coverage_gap",
            start=_local(g.start, tz),
            end=_local(g.end, tz),
            kind=KIND_WORDS[g.kind],
        )
        for g in found[:MAX_LISTED]
    ]
    if len(found) > MAX_LISTED:
        lines.append(texts.fixed("coverage_more", more=len(found) - MAX_LISTED))
    head = texts.fixed("coverage_gaps", line=line, days=ALERT_DAYS)
    return "\n".join([head, *lines])


def _local(at: dt.datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    return f"{local:%a %b} {local.day} {local:%I:%M %p}".replace(" 0", " ")


def coverage_gap_alert(wl: Warmline, now: dt.datetime) -> bool:
    """Run the day's coverage check when due (see the module); True when an alert was queued."""
    tz = wl.settings.line.timezone
    local = now.astimezone(tz)
    if local.hour < ALERT_HOUR:
        return False
    today = local.date().isoformat()
    with wl.db.unit_of_work() as session:
        if get_setting(session, CHECKED_ON) == today:
            return False
        rota = load_rota(session, tz)
        lo, hi = week_window(tz, now)
        opening = wl.settings.opening_hours
        pattern = hashlib.sha256(gap_pattern(open_gaps(opening, rota, lo, hi), tz, lo, hi).encode())
        fingerprint = pattern.hexdigest()
        changed = fingerprint != (get_setting(session, PATTERN) or NO_GAPS)
        put_setting(session, CHECKED_ON, today, now)
        put_setting(session, PATTERN, fingerprint, now)
        if changed:
            upcoming = open_gaps(opening, rota, now, now + dt.timedelta(days=ALERT_DAYS))
            body = gap_alert_text(wl.settings.line.name, upcoming, tz, not opening.always_open)
            alert_coordinators(session, wl.context, body, now, dedupe_key=f"coverage:{today}")
    log.info("coverage gaps checked for %s: %s", today, "changed" if changed else "unchanged")
    return changed


@dataclass(frozen=True)
class Purged:
    """What one retention run did: bodies nulled, voicemails forgotten, Twilio copies deleted
    now, and Twilio copies that failed (left for the next run)."""

    bodies: int
    recordings: int
    twilio_deleted: int
    twilio_failed: int


def purge_expired(wl: Warmline, now: dt.datetime) -> Purged:
    """Null message bodies and forget voicemails past retention, drop old fired timers, then
    delete Twilio's copies of forgotten recordings (no transaction open while Twilio answers)."""
    cutoff = now - dt.timedelta(days=wl.settings.retention_days)
    with wl.db.unit_of_work() as session:
        bodies = _null_bodies(session, cutoff)
        forgotten = recordings.forget(session, recordings.expired(session, cutoff))
        session.execute(
            delete(Timer).where(Timer.done_at.is_not(None), Timer.due_at < now - FIRED_TIMERS_KEPT)
        )
    deleted, failed = recordings.delete_at_twilio(wl.db, wl.sender)
    if bodies or forgotten or deleted or failed:
        log.info(
            "retention: purged %s message bodies and %s voicemails older than %s; "
            "%s Twilio copies deleted, %s left for the next run",
            bodies, forgotten, cutoff.date(), deleted, failed,
        )  # fmt: skip
    return Purged(bodies, forgotten, deleted, failed)


def _null_bodies(session: Session, cutoff: dt.datetime) -> int:
    messages = session.execute(
        update(Message)
        .where(Message.created_at < cutoff, Message.body.is_not(None))
        .values(body=None)
        .execution_options(synchronize_session=False)
    )
    outbound = session.execute(
        update(Outbound)
        .where(
            Outbound.created_at < cutoff,
            Outbound.body.is_not(None),
            Outbound.status.not_in(outbox.UNSENT),  # still to go out (or to be looked for)
        )
        .values(body=None)
        .execution_options(synchronize_session=False)
    )
    return int(messages.rowcount or 0) + int(outbound.rowcount or 0)  # type: ignore[attr-defined]
