"""The queue: conversations waiting for a volunteer, and callback requests (voicemails) waiting
for one to call back. Draining it assigns the first and announces the second."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.db.engine import lock_assignment
from warmline.db.models import Conversation, Volunteer
from warmline.routing import assignment, call_rules
from warmline.routing.eligibility import is_eligible
from warmline.routing.opening import answering

# A callback request waiting for a volunteer.
PENDING = (
    Conversation.channel == "voice",
    Conversation.status == "queued",
    Conversation.recording_sid.is_not(None),
)


def announce(session: Session, ctx: Context, now: dt.datetime) -> int:
    """Text the next free volunteer about each callback request nobody was told of yet."""
    lock_assignment(session)  # one announcement per request, even from two processes at once
    waiting = session.scalars(
        select(Conversation)
        .where(*PENDING, Conversation.queue_notified_at.is_(None))
        .order_by(Conversation.queued_at, Conversation.id)
    ).all()
    told = 0
    for conv in waiting:
        chosen = call_rules.callees(assignment.candidates(session, ctx, now), limit=1)
        if not chosen:
            break
        volunteer = session.get_one(Volunteer, chosen[0].volunteer_id)
        alias = conv.contact.alias
        conv.queue_notified_at = now
        if conv.contact.reachable:
            body = texts.render(ctx.settings, "callback_waiting", alias=alias)
        else:
            body = texts.render(ctx.settings, "callback_withheld", alias=alias)
            conv.status, conv.closed_at, conv.close_reason = "closed", now, "no-callback"
        ctx.text_volunteer(session, volunteer, body, "notice", now, conversation_id=conv.id)
        told += 1
    return told


def waiting(session: Session) -> int:
    """How many callback requests wait for a volunteer."""
    return session.scalar(select(func.count(Conversation.id)).where(*PENDING)) or 0


def drain_queue(session: Session, ctx: Context, now: dt.datetime, limit: int = 200) -> int:
    """Assign queued conversations, in queue order, while anyone has room; returns how many.
    Nothing is assigned while the line is closed by its opening hours. Then tell the next free
    volunteers about voicemails waiting for a call back.

    A conversation nobody may take (language, passes) keeps its place and the next is tried.
    The rota is read once; the volunteers' loads are read again after each assignment.
    """
    on_shift = answering(session, ctx, now)  # nobody while the line is closed by its hours
    lock_assignment(session)
    queued = session.scalars(
        select(Conversation)
        .where(Conversation.status == "queued", Conversation.channel == "sms")
        .order_by(*assignment.QUEUE_ORDER)
        .limit(limit)
    ).all()
    assigned = 0
    pool = assignment.candidates(session, ctx, now, on_shift) if queued else []
    relay_pool = ctx.settings.line.relay_pool
    for conv in queued:
        if not any(is_eligible(c, pool=relay_pool, language=None) for c in pool):
            break  # everyone on shift is full, paused or gone
        if conv.contact.opted_out or conv.contact.blocked:
            continue
        if assignment.try_assign(session, ctx, conv, now, pool) is not None:
            assigned += 1
            pool = assignment.candidates(session, ctx, now, on_shift)
    announce(session, ctx, now)
    return assigned
