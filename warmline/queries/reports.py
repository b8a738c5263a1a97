"""Report figures for ``[since, until)`` in the line's timezone (SPEC §11 ``/reports``).

Every figure is computed by the database (``COUNT``/``GROUP BY``, window functions for
percentiles), on SQLite and PostgreSQL alike; Python only maps a bounded number of buckets to
local time. A conversation belongs to the range in which it *started* (``created_at``); so does an
escalation (raised). Times are whole seconds.

Definitions:

- **contacts**: conversations started, texts and calls; ``unique_contacts`` the people behind them.
- **first response**: from the start to a volunteer's first reply (a call: to being answered).
- **waiting**: from the start to the volunteer who has it (or had it last) taking it; a
  conversation passed on waits until its last hand-over was taken.
- **abandoned**: closed before any volunteer answered — not a voicemail, a crisis transfer or a
  block by a coordinator (a contact who texted STOP did leave).
- **after hours**: started outside the opening hours (``[hours]``, ``[holidays]``); none on a line
  that is always open.
- **calls**: calls by outcome (``answered``, ``missed``, ``voicemail``, ``crisis-transfer``,
  ``abandoned``; ``in-progress`` until one is known).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, literal, not_, or_, select
from sqlalchemy.orm import Session

from warmline.config import Settings
from warmline.db.models import Conversation, Escalation, Volunteer
from warmline.queries.sql import Spread, bucket_start, epoch_bucket, percentiles, seconds_between
from warmline.scheduling import hours

__all__ = [
    "CallFigures",
    "DayCount",
    "EscalationFigures",
    "Spread",
    "Summary",
    "VolunteerLoad",
    "abandoned",
    "after_hours",
    "calls",
    "contacts_by_hour_of_week",
    "contacts_per_day",
    "escalations",
    "first_response",
    "load_per_volunteer",
    "summary",
    "waiting",
]
NOT_ABANDONED = ("voicemail", "crisis-transfer", "answered", "blocked")


@dataclass(frozen=True)
class DayCount:
    date: dt.date
    contacts: int


@dataclass(frozen=True)
class EscalationFigures:
    """Escalations raised: ``by_level`` (``crisis``, ``concern``), how many were acknowledged,
    and the time to acknowledge those."""

    count: int
    by_level: dict[str, int]
    acknowledged: int
    time_to_ack: Spread


@dataclass(frozen=True)
class VolunteerLoad:
    volunteer_id: int
    name: str
    conversations: int
    texts: int
    calls: int


@dataclass(frozen=True)
class CallFigures:
    total: int
    answered: int
    missed: int
    voicemail: int
    by_outcome: dict[str, int]


@dataclass(frozen=True)
class Summary:
    since: dt.datetime
    until: dt.datetime
    timezone: str
    contacts: int
    unique_contacts: int
    first_response: Spread
    waiting: Spread
    abandoned: int
    after_hours: int
    escalations: EscalationFigures
    calls: CallFigures


def _started(since: dt.datetime, until: dt.datetime) -> list[ColumnElement[bool]]:
    return [Conversation.created_at >= since, Conversation.created_at < until]


def _bucket_size(tz: ZoneInfo, since: dt.datetime, until: dt.datetime) -> int:
    """An hour, or a quarter-hour where the zone's offset is not whole hours (Lord Howe, India)
    somewhere in the range, so every bucket lies within one local hour."""
    here = since
    while here <= until:
        offset = here.astimezone(tz).utcoffset() or dt.timedelta(0)
        if offset % dt.timedelta(hours=1):
            return 900
        here += dt.timedelta(hours=12)
    return 3600


def _local_counts(
    session: Session, settings: Settings, since: dt.datetime, until: dt.datetime
) -> list[tuple[dt.datetime, int]]:
    """(local start of bucket, conversations started in it), counted per UTC bucket in SQL."""
    tz = settings.line.timezone
    size = _bucket_size(tz, since, until)
    bucket = epoch_bucket(Conversation.created_at, literal(size))
    rows = session.execute(
        select(bucket, func.count()).where(*_started(since, until)).group_by(bucket)
    ).all()
    return [(bucket_start(int(b), size).astimezone(tz), int(n)) for b, n in rows]


def contacts_per_day(
    session: Session, settings: Settings, since: dt.datetime, until: dt.datetime
) -> tuple[DayCount, ...]:
    """Conversations started on each local date the range touches, zeros included."""
    tz = settings.line.timezone
    counts: Counter[dt.date] = Counter()
    for local, n in _local_counts(session, settings, since, until):
        counts[local.date()] += n
    first, last = (
        since.astimezone(tz).date(),
        (until - dt.timedelta(microseconds=1)).astimezone(tz).date(),
    )
    days = (last - first).days + 1 if until > since else 0
    return tuple(
        DayCount(d, counts[d]) for d in (first + dt.timedelta(days=n) for n in range(days))
    )


def contacts_by_hour_of_week(
    session: Session, settings: Settings, since: dt.datetime, until: dt.datetime
) -> tuple[tuple[int, ...], ...]:
    """7 × 24 counts: ``grid[weekday][hour]`` (0 = Monday), local hours."""
    grid = [[0] * 24 for _ in range(7)]
    for local, n in _local_counts(session, settings, since, until):
        grid[local.weekday()][local.hour] += n
    return tuple(tuple(row) for row in grid)


def first_response(session: Session, since: dt.datetime, until: dt.datetime) -> Spread:
    taken = seconds_between(Conversation.first_response_at, Conversation.created_at)
    return percentiles(session, taken, _started(since, until))


def waiting(session: Session, since: dt.datetime, until: dt.datetime) -> Spread:
    waited = seconds_between(Conversation.assigned_at, Conversation.created_at)
    return percentiles(session, waited, _started(since, until))


def abandoned(session: Session, since: dt.datetime, until: dt.datetime) -> int:
    ended = func.coalesce(Conversation.outcome, Conversation.close_reason, "")
    return int(
        session.scalar(
            select(func.count()).where(
                *_started(since, until),
                Conversation.status == "closed",
                Conversation.first_response_at.is_(None),
                ended.not_in(NOT_ABANDONED),
            )
        )
        or 0
    )


def after_hours(
    session: Session, settings: Settings, since: dt.datetime, until: dt.datetime
) -> int:
    opening = settings.opening_hours
    if opening.always_open:
        return 0
    open_spans = hours.open_intervals(opening, settings.line.timezone, since, until)
    inside = or_(
        *(and_(Conversation.created_at >= s, Conversation.created_at < e) for s, e in open_spans)
    )
    where = [*_started(since, until)] + ([not_(inside)] if open_spans else [])
    return int(session.scalar(select(func.count()).where(*where)) or 0)


def escalations(session: Session, since: dt.datetime, until: dt.datetime) -> EscalationFigures:
    raised = [Escalation.created_at >= since, Escalation.created_at < until]
    rows = session.execute(
        select(Escalation.level, func.count(), func.count(Escalation.acknowledged_at))
        .where(*raised)
        .group_by(Escalation.level)
    ).all()
    to_ack = seconds_between(Escalation.acknowledged_at, Escalation.created_at)
    return EscalationFigures(
        count=sum(int(n) for _, n, _ in rows),
        by_level={level: int(n) for level, n, _ in sorted(rows)},
        acknowledged=sum(int(a) for _, _, a in rows),
        time_to_ack=percentiles(session, to_ack, raised),
    )


def load_per_volunteer(
    session: Session, since: dt.datetime, until: dt.datetime
) -> tuple[VolunteerLoad, ...]:
    """Conversations started in the range per volunteer who has (or last had) them, most first."""
    rows = session.execute(
        select(Volunteer.id, Volunteer.name, Conversation.channel, func.count())
        .join(Volunteer, Volunteer.id == Conversation.volunteer_id)
        .where(*_started(since, until))
        .group_by(Volunteer.id, Volunteer.name, Conversation.channel)
    ).all()
    per: dict[int, tuple[str, Counter[str]]] = {}
    for vid, name, channel, n in rows:
        per.setdefault(vid, (name, Counter()))[1][channel] += int(n)
    found = [
        VolunteerLoad(vid, name, c["sms"] + c["voice"], c["sms"], c["voice"])
        for vid, (name, c) in per.items()
    ]
    return tuple(sorted(found, key=lambda v: (-v.conversations, v.name, v.volunteer_id)))


def calls(session: Session, since: dt.datetime, until: dt.datetime) -> CallFigures:
    outcome = func.coalesce(Conversation.outcome, "in-progress")
    rows = session.execute(
        select(outcome, func.count())
        .where(*_started(since, until), Conversation.channel == "voice")
        .group_by(outcome)
    ).all()
    by = {str(o): int(n) for o, n in sorted(rows)}
    return CallFigures(
        sum(by.values()), by.get("answered", 0), by.get("missed", 0), by.get("voicemail", 0), by
    )


def summary(
    session: Session, settings: Settings, since: dt.datetime, until: dt.datetime
) -> Summary:
    """The headline figures of the range."""
    contacts, unique = session.execute(
        select(func.count(), func.count(func.distinct(Conversation.contact_id))).where(
            *_started(since, until)
        )
    ).one()
    return Summary(
        since=since,
        until=until,
        timezone=settings.line.timezone.key,
        contacts=int(contacts),
        unique_contacts=int(unique),
        first_response=first_response(session, since, until),
        waiting=waiting(session, since, until),
        abandoned=abandoned(session, since, until),
        after_hours=after_hours(session, settings, since, until),
        escalations=escalations(session, since, until),
        calls=calls(session, since, until),
    )
