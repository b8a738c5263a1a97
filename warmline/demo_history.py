"""A few weeks of invented history for the demo, so the dashboard's reports have something to
show: text conversations (waits, first responses, a few abandoned in the queue), escalations
with acknowledgements, and calls answered, missed, sent to voicemail or abandoned.

Deterministic: one seeded random generator, times counted back from the local midnight before
``now``, so two demos started the same day show the same figures. Contacts have fictional
numbers only (``+1 555 555 01xx``, the range set aside for fiction) and the aliases warmline
gives every contact; message bodies are a handful of invented phrases. Rows are written with
bulk inserts, keeping a four-week history well under a second on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from warmline.config import Settings
from warmline.db.contacts import get_or_create_contact
from warmline.db.models import Contact, Conversation, Escalation, Message, Volunteer
from warmline.privacy import Vault, parse_address

SEED = 2026
# Relative number of contacts per local hour: quiet mornings, busy evenings and late night.
HOURLY = (3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 4, 5, 5, 5, 5, 5, 6, 7, 9, 10, 10, 9, 7, 5)
WEEKDAY = (1.0, 1.0, 0.95, 1.0, 1.15, 1.3, 1.25)  # weekends a little busier
PER_DAY = 22  # contacts on an average day
OPENINGS = (
    "hi, is anyone there?",
    "rough day, can I talk to someone",
    "hello",
    "i just need to vent for a bit",
    "can't sleep again",
    "hi. first time texting",
)
REPLIES = (
    "Hi, I'm here. What's on your mind?",
    "Thanks for reaching out. I'm listening.",
    "Hello, glad you texted. How are you doing tonight?",
)
FOLLOW_UPS = (
    "thanks, that helped",
    "ok. talking helps",
    "i think i'll try to sleep now",
    "thank you for listening",
)


@dataclass(frozen=True)
class History:
    """What was generated, for the demo's start-up message and its tests."""

    conversations: int
    calls: int
    escalations: int


def fictional_numbers() -> list[str]:
    """The hundred numbers of the fictional range, less the simulator's own demo contact."""
    return [f"+1555555{n:04d}" for n in range(100, 200) if n != 123]


def generate(
    session: Session, vault: Vault, settings: Settings, now: dt.datetime, *, days: int = 28
) -> History:
    """Write ``days`` of closed conversations before ``now``'s local midnight; the demo's
    volunteers (active, by id) take them, its supervisors acknowledge the escalations."""
    rng = random.Random(SEED)
    tz = settings.line.timezone
    staff = list(session.scalars(select(Volunteer).where(Volunteer.active).order_by(Volunteer.id)))
    if not staff:
        raise ValueError("the demo's volunteers must exist before its history")
    supervisors = [v for v in staff if v.is_supervisor] or staff
    contacts = [
        get_or_create_contact(session, vault, parse_address(n), now) for n in fictional_numbers()
    ]
    midnight = dt.datetime.combine(now.astimezone(tz).date(), dt.time(0), tzinfo=tz)
    conversations: list[dict[str, object]] = []
    for back in range(days, 0, -1):
        day = (midnight - dt.timedelta(days=back)).date()
        for hour, weight in enumerate(HOURLY):
            mean = PER_DAY * weight / sum(HOURLY) * WEEKDAY[day.weekday()]
            for _ in range(_count(rng, mean)):
                local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=tz)
                start = local.astimezone(dt.UTC) + dt.timedelta(seconds=rng.randrange(60))
                conversations.append(_conversation(rng, start, rng.choice(contacts), staff))
    first_seen: dict[int, dt.datetime] = {}
    for conv in conversations:
        at, contact_id = conv["created_at"], conv["contact_id"]
        assert isinstance(at, dt.datetime) and isinstance(contact_id, int)
        first_seen.setdefault(contact_id, at)  # conversations are made in time order
    for c in contacts:
        c.created_at = first_seen.get(c.id, now)
    session.flush()
    ids = _insert(session, Conversation, conversations)
    escalations, messages = [], []
    for conv_id, conv in zip(ids, conversations, strict=True):
        if conv["channel"] == "sms" and conv["volunteer_id"] is not None:
            messages.extend(_messages(rng, conv_id, conv))
        if conv["escalated"]:
            escalations.append(_escalation(rng, conv_id, conv, supervisors))
    _insert(session, Message, messages)
    _insert(session, Escalation, escalations)
    calls = sum(1 for c in conversations if c["channel"] == "voice")
    return History(len(conversations) - calls, calls, len(escalations))


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth's method; the means here are small)."""
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _conversation(
    rng: random.Random, start: dt.datetime, contact: Contact, staff: list[Volunteer]
) -> dict[str, object]:
    voice = rng.random() < 0.22
    volunteer = rng.choices(staff, weights=range(len(staff) + 1, 1, -1))[0]
    wait = dt.timedelta(seconds=int(rng.expovariate(1 / 75)) + 5)
    row: dict[str, object] = {
        "contact_id": contact.id,
        "channel": "voice" if voice else "sms",
        "status": "closed",
        "escalated": False,
        "front_of_queue": False,
        "queued_at": start,
        "created_at": start,
        "last_activity_at": start,
        "volunteer_id": None,
    }
    if voice:
        return row | _call(rng, start, wait, volunteer)
    if rng.random() < 0.08:  # left the queue before anyone answered
        end = start + wait + dt.timedelta(minutes=rng.randrange(3, 20))
        return row | {"closed_at": end, "close_reason": "ended", "last_activity_at": end}
    assigned = start + wait
    first = assigned + dt.timedelta(seconds=int(rng.expovariate(1 / 100)) + 10)
    end = first + dt.timedelta(minutes=rng.randrange(8, 55))
    return row | {
        "volunteer_id": volunteer.id,
        "assigned_at": assigned,
        "first_response_at": first,
        "last_activity_at": end,
        "closed_at": end,
        "close_reason": rng.choice(("ended", "ended", "ended", "idle")),
        "escalated": rng.random() < 0.06,
    }


def _call(
    rng: random.Random, start: dt.datetime, wait: dt.timedelta, volunteer: Volunteer
) -> dict[str, object]:
    outcome = rng.choices(("answered", "missed", "voicemail", "abandoned"), (66, 14, 14, 6))[0]
    row: dict[str, object] = {
        "call_sid": f"CAdemo{rng.getrandbits(104):026x}",
        "outcome": outcome,
        "close_reason": "call-ended",
    }
    if outcome == "answered":
        seconds = rng.randrange(240, 2400)
        end = start + wait + dt.timedelta(seconds=seconds)
        return row | {
            "volunteer_id": volunteer.id,
            "assigned_at": start + wait,
            "first_response_at": start + wait,
            "duration_seconds": seconds,
            "closed_at": end,
            "last_activity_at": end,
            "escalated": rng.random() < 0.04,
        }
    ring = dt.timedelta(seconds=20 if outcome != "abandoned" else rng.randrange(3, 15))
    row |= {"closed_at": start + ring, "last_activity_at": start + ring}
    if outcome == "voicemail":
        row |= {"recording_seconds": rng.randrange(15, 110), "close_reason": "callback"}
    return row


def _messages(rng: random.Random, conv_id: int, conv: dict[str, object]) -> list[dict[str, object]]:
    start, first, end = conv["queued_at"], conv["first_response_at"], conv["closed_at"]
    assert isinstance(start, dt.datetime) and isinstance(first, dt.datetime)
    assert isinstance(end, dt.datetime)
    said = [
        ("in", "contact", None, rng.choice(OPENINGS), start),
        ("out", "volunteer", conv["volunteer_id"], rng.choice(REPLIES), first),
        ("in", "contact", None, rng.choice(FOLLOW_UPS), end - dt.timedelta(minutes=2)),
    ]
    return [
        {
            "conversation_id": conv_id,
            "contact_id": None if author == "volunteer" else conv["contact_id"],
            "volunteer_id": volunteer,
            "direction": direction,
            "author": author,
            "body": body,
            "num_media": 0,
            "created_at": at,
        }
        for direction, author, volunteer, body, at in said
    ]


def _escalation(
    rng: random.Random, conv_id: int, conv: dict[str, object], supervisors: list[Volunteer]
) -> dict[str, object]:
    at = conv["first_response_at"]
    assert isinstance(at, dt.datetime)
    raised = at + dt.timedelta(minutes=rng.randrange(1, 6))
    acked = rng.random() < 0.9
    return {
        "conversation_id": conv_id,
        "contact_id": conv["contact_id"],
        "level": rng.choice(("crisis", "concern", "concern")),
        "source": rng.choice(("scan", "volunteer")),
        "matched": json.dumps([]),
        "actions": json.dumps([{"at": raised.isoformat(), "action": "alerted"}]),  # as policy
        "acknowledged_at": raised + dt.timedelta(seconds=int(rng.expovariate(1 / 150)) + 20)
        if acked
        else None,
        "acknowledged_by_id": rng.choice(supervisors).id if acked else None,
        "created_at": raised,
    }


def _insert(session: Session, model: type, rows: list[dict[str, object]]) -> list[int]:
    """Insert ``rows`` in one statement per batch; their ids, in order."""
    if not rows:
        return []
    keys = sorted({k for r in rows for k in r})
    full = [{k: r.get(k) for k in keys} for r in rows]
    table = model.__table__  # type: ignore[attr-defined]
    result = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), full
    )
    return [row.id for row in result]
