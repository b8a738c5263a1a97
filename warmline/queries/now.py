"""The line right now: who is on shift, who waits, who is talking, what is escalated.

``snapshot(session, settings, at)`` reads everything at instant ``at`` (aware UTC) in a few
queries. Contacts appear by alias and ``contact_id`` only, never by number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from warmline.config import Settings
from warmline.db.models import Contact, Conversation, Escalation, Volunteer
from warmline.queries.sql import whole_seconds
from warmline.scheduling import hours
from warmline.scheduling.store import on_shift_now

# The queue's own order (routing.assignment.QUEUE_ORDER): escalated first, then passed-back
# conversations, then by arrival.
_QUEUE_ORDER = (
    Conversation.escalated.desc(),
    Conversation.front_of_queue.desc(),
    Conversation.queued_at,
    Conversation.id,
)
WAITING_STATUSES = ("queued", "ringing")


@dataclass(frozen=True)
class OnShift:
    """A volunteer on shift at the instant. ``load``: their open (assigned) conversations;
    ``capacity``: how many they may hold, bounded by the relay numbers the line has."""

    volunteer_id: int
    name: str
    supervisor: bool
    paused: bool
    load: int
    capacity: int
    shift_start: dt.datetime
    shift_end: dt.datetime


@dataclass(frozen=True)
class Waiting:
    """A conversation in the queue (a text waiting, a call ringing or a voicemail to return)."""

    conversation_id: int
    contact_id: int
    alias: str
    channel: str
    escalated: bool
    queued_at: dt.datetime
    waiting_s: int


@dataclass(frozen=True)
class OpenConversation:
    """A conversation a volunteer holds; ``age_s`` counts from its start."""

    conversation_id: int
    contact_id: int
    alias: str
    channel: str
    volunteer_id: int | None
    volunteer_name: str | None
    started_at: dt.datetime
    age_s: int
    escalated: bool


@dataclass(frozen=True)
class OpenEscalation:
    """An escalation not yet acknowledged, or acknowledged while its conversation is still open."""

    id: int
    conversation_id: int | None
    contact_id: int | None
    alias: str | None
    level: str
    source: str
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


@dataclass(frozen=True)
class NowView:
    at: dt.datetime
    open_by_hours: bool
    on_shift: tuple[OnShift, ...]
    queue: tuple[Waiting, ...]
    conversations: tuple[OpenConversation, ...]
    escalations: tuple[OpenEscalation, ...]


def snapshot(session: Session, settings: Settings, at: dt.datetime) -> NowView:
    """The line at ``at``: volunteers on shift (by name), the queue in serving order, open
    conversations (oldest first) and open escalations (newest first)."""
    tz = settings.line.timezone
    return NowView(
        at=at,
        open_by_hours=hours.is_open(settings.opening_hours, tz, at),
        on_shift=on_shift(session, settings, at),
        queue=_queue(session, at),
        conversations=_conversations(session, at),
        escalations=_escalations(session),
    )


def on_shift(session: Session, settings: Settings, at: dt.datetime) -> tuple[OnShift, ...]:
    """Active volunteers on shift at ``at`` (the rota's own rule), supervisors first, by name."""
    shifts = on_shift_now(session, settings.line.timezone, at)
    if not shifts:
        return ()
    load = func.count(Conversation.id)
    rows = session.execute(
        select(Volunteer.id, Volunteer.name, Volunteer.paused, Volunteer.capacity, load)
        .outerjoin(
            Conversation,
            (Conversation.volunteer_id == Volunteer.id) & (Conversation.status == "assigned"),
        )
        .where(Volunteer.id.in_(shifts), Volunteer.active.is_(True))
        .group_by(Volunteer.id, Volunteer.name, Volunteer.paused, Volunteer.capacity)
    ).all()
    pool = len(settings.line.relay_pool)
    found = [
        OnShift(
            volunteer_id=vid,
            name=name,
            supervisor=shifts[vid].supervisor,
            paused=paused,
            load=int(n),
            capacity=min(capacity, pool),
            shift_start=shifts[vid].start,
            shift_end=shifts[vid].end,
        )
        for vid, name, paused, capacity, n in rows
    ]
    return tuple(sorted(found, key=lambda s: (not s.supervisor, s.name, s.volunteer_id)))


def _queue(session: Session, at: dt.datetime) -> tuple[Waiting, ...]:
    rows = session.execute(
        select(
            Conversation.id,
            Conversation.contact_id,
            Contact.alias,
            Conversation.channel,
            Conversation.escalated,
            func.coalesce(Conversation.queued_at, Conversation.created_at),
        )
        .join(Contact, Contact.id == Conversation.contact_id)
        .where(Conversation.status.in_(WAITING_STATUSES))
        .order_by(*_QUEUE_ORDER)
    ).all()
    return tuple(
        Waiting(cid, contact_id, alias, channel, escalated, since, whole_seconds(at, since) or 0)
        for cid, contact_id, alias, channel, escalated, since in rows
    )


def _conversations(session: Session, at: dt.datetime) -> tuple[OpenConversation, ...]:
    rows = session.execute(
        select(
            Conversation.id,
            Conversation.contact_id,
            Contact.alias,
            Conversation.channel,
            Conversation.volunteer_id,
            Volunteer.name,
            Conversation.created_at,
            Conversation.escalated,
        )
        .join(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(Volunteer, Volunteer.id == Conversation.volunteer_id)
        .where(Conversation.status == "assigned")
        .order_by(Conversation.created_at, Conversation.id)
    ).all()
    return tuple(
        OpenConversation(
            cid,
            contact_id,
            alias,
            channel,
            vid,
            vname,
            started,
            whole_seconds(at, started) or 0,
            esc,
        )
        for cid, contact_id, alias, channel, vid, vname, started, esc in rows
    )


def _escalations(session: Session) -> tuple[OpenEscalation, ...]:
    acker = aliased(Volunteer)
    rows = session.execute(
        select(
            Escalation.id,
            Escalation.conversation_id,
            func.coalesce(Escalation.contact_id, Conversation.contact_id),
            Contact.alias,
            Escalation.level,
            Escalation.source,
            Escalation.created_at,
            Escalation.acknowledged_at,
            acker.name,
        )
        .outerjoin(Conversation, Conversation.id == Escalation.conversation_id)
        .outerjoin(
            Contact, Contact.id == func.coalesce(Escalation.contact_id, Conversation.contact_id)
        )
        .outerjoin(acker, acker.id == Escalation.acknowledged_by_id)
        .where(
            or_(
                Escalation.acknowledged_at.is_(None),
                Conversation.status.in_(("queued", "ringing", "assigned")),
            )
        )
        .order_by(Escalation.created_at.desc(), Escalation.id.desc())
    ).all()
    return tuple(
        OpenEscalation(
            id=eid,
            conversation_id=conv_id,
            contact_id=contact_id,
            alias=alias,
            level=level,
            source=source,
            raised_at=raised,
            acknowledged_at=acked,
            acknowledged_by=acked_by,
        )
        for eid, conv_id, contact_id, alias, level, source, raised, acked, acked_by in rows
    )
