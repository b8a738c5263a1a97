"""Assigning conversations to volunteers, and the queue (SPEC §7).

Every decision runs under the assignment lock (``lock_assignment``) so that simultaneous first
messages in several web processes never over-assign; the partial unique index on
(volunteer, relay number) of open conversations is the database's own backstop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from warmline import texts
from warmline.context import Context
from warmline.db.engine import lock_assignment, run_together
from warmline.db.models import Conversation, ConversationPass, Message, Volunteer
from warmline.escalation import policy as escalation
from warmline.routing import relay
from warmline.routing.eligibility import Candidate, choose, free_relay, returning_to
from warmline.scheduling.store import on_shift_now
from warmline.scheduling.timers import cancel_timer, set_timer

QUEUE_ORDER = (
    Conversation.escalated.desc(),
    Conversation.front_of_queue.desc(),
    Conversation.queued_at,
    Conversation.id,
)


def candidates(
    session: Session, ctx: Context, now: dt.datetime, on_shift: Collection[int] | None = None
) -> list[Candidate]:
    """Every active volunteer as a routing candidate, with their current load.

    ``on_shift`` (volunteer ids) saves loading the rota again when the caller already has it.
    """
    if on_shift is None:
        on_shift = on_shift_now(session, ctx.settings.line.timezone, now)
    bound: dict[int, set[str]] = {}
    on_call: set[int] = set()
    rows = session.execute(
        select(Conversation.volunteer_id, Conversation.relay_number, Conversation.channel).where(
            Conversation.status == "assigned"
        )
    )
    for volunteer_id, relay_number, channel in rows:
        if volunteer_id is None:
            continue
        if channel == "voice":
            on_call.add(volunteer_id)
        elif relay_number is not None:
            bound.setdefault(volunteer_id, set()).add(relay_number)
    pool_size = len(ctx.settings.line.relay_pool)
    return [
        Candidate(
            volunteer_id=v.id,
            active=v.active,
            on_shift=v.id in on_shift,
            paused=v.paused,
            capacity=min(v.capacity, pool_size),
            open_relays=frozenset(bound.get(v.id, ())),
            languages=v.language_set,
            last_assigned_at=v.last_assigned_at,
            on_call=v.id in on_call,
        )
        for v in session.scalars(select(Volunteer).where(Volunteer.active.is_(True)))
    ]


def try_assign(
    session: Session,
    ctx: Context,
    conv: Conversation,
    now: dt.datetime,
    pool: list[Candidate] | None = None,
) -> Volunteer | None:
    """Assign ``conv`` to the best eligible volunteer and brief them; None when nobody is.

    The rota is read before the assignment lock is taken: who is on shift is not what the lock
    protects, and reading it outside keeps the serialised part short.
    """
    on_shift = on_shift_now(session, ctx.settings.line.timezone, now) if pool is None else None
    lock_assignment(session)
    contact = conv.contact
    excluded = session.scalars(
        select(ConversationPass.volunteer_id).where(ConversationPass.conversation_id == conv.id)
    ).all()
    window = dt.timedelta(hours=ctx.settings.timeouts.return_to_volunteer_hours)
    previous = returning_to(contact.last_volunteer_id, contact.last_closed_at, now, window)
    relay_pool = ctx.settings.line.relay_pool
    chosen = choose(
        pool if pool is not None else candidates(session, ctx, now, on_shift),
        pool=relay_pool,
        language=contact.language,
        excluded=excluded,
        previous_id=previous,
    )
    if chosen is None:
        return None
    volunteer = session.get_one(Volunteer, chosen.volunteer_id)
    conv.status, conv.volunteer_id = "assigned", volunteer.id
    conv.relay_number = free_relay(chosen, relay_pool)
    conv.assigned_at, conv.front_of_queue = now, False
    conv.last_activity_at = now
    volunteer.last_assigned_at = now
    cancel_timer(session, f"queue-update:{conv.id}")
    idle = dt.timedelta(minutes=ctx.settings.timeouts.idle_close_minutes)
    set_timer(session, "idle", conv.id, now + idle, now)
    session.flush()
    _brief(session, ctx, conv, volunteer, now)
    return volunteer


def _brief(
    session: Session, ctx: Context, conv: Conversation, volunteer: Volunteer, now: dt.datetime
) -> None:
    """Send the volunteer the how-to, then what the contact said since their last volunteer."""
    alias = conv.contact.alias
    ctx.text_volunteer(
        session,
        volunteer,
        texts.render(ctx.settings, "intro_flagged" if conv.escalated else "intro", alias=alias),
        "intro",
        now,
        from_=conv.relay_number,
        conversation_id=conv.id,
    )
    escalation.brief(session, ctx, conv, volunteer, now)
    since = session.scalar(
        select(func.max(Message.created_at)).where(
            Message.conversation_id == conv.id, Message.author == "volunteer"
        )
    )
    backlog = session.scalars(
        select(Message)
        .where(Message.conversation_id == conv.id, Message.author == "contact")
        .where(Message.created_at > since if since else true())
        .order_by(Message.created_at, Message.id)
    ).all()
    for message in backlog:
        relay_contact_message(session, ctx, conv, volunteer, message, now)


def relay_contact_message(
    session: Session,
    ctx: Context,
    conv: Conversation,
    volunteer: Volunteer,
    message: Message,
    now: dt.datetime,
) -> None:
    """Forward a contact's message to their volunteer and start the response clock: the rule
    and the writes of ``routing.relay``, as the short way of a plain text uses them."""
    decided = relay.decide(
        conv.contact.alias, message.body, message.num_media, conv.awaiting_reply_since is not None
    )
    route = relay.Route(conv.id, volunteer.id, volunteer.phone, conv.relay_number)
    run_together(session, relay.writes(session, ctx, decided, route, now))
    if decided.start_clock:
        # Written by the batch; the loaded object learns it without writing it again.
        set_committed_value(conv, "awaiting_reply_since", now)


def queue_place(session: Session, conv: Conversation) -> int:
    """1-based place of a queued conversation in line (``QUEUE_ORDER``), counted in SQL."""
    q = Conversation
    same_flag = and_(q.escalated.is_(conv.escalated), q.front_of_queue.is_(conv.front_of_queue))
    earlier = or_(q.queued_at < conv.queued_at, and_(q.queued_at == conv.queued_at, q.id < conv.id))
    ahead = [and_(same_flag, earlier)]
    if not conv.escalated:
        ahead.append(q.escalated.is_(True))
    if not conv.front_of_queue:
        ahead.append(and_(q.escalated.is_(conv.escalated), q.front_of_queue.is_(True)))
    count = session.scalar(
        select(func.count(q.id)).where(
            q.status == "queued", q.channel == "sms", q.id != conv.id, or_(*ahead)
        )
    )
    return (count or 0) + 1


def enqueue(
    session: Session, ctx: Context, conv: Conversation, now: dt.datetime, *, front: bool = False
) -> None:
    conv.status, conv.volunteer_id, conv.relay_number = "queued", None, None
    conv.queued_at = conv.queued_at or now
    conv.front_of_queue = front
    conv.awaiting_reply_since = None
    cancel_timer(session, f"response:{conv.id}")
    every = dt.timedelta(minutes=ctx.settings.timeouts.queue_update_minutes)
    set_timer(session, "queue-update", conv.id, now + every, now)
