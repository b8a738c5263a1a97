"""A conversation's life: start, relay both ways, pass, close (SPEC §5, §6)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session, lazyload

from warmline import texts
from warmline.context import Context
from warmline.db.engine import lock_assignment
from warmline.db.models import (
    Base,
    Contact,
    Conversation,
    ConversationPass,
    Message,
    Outbound,
    Volunteer,
)
from warmline.routing import assignment, queue
from warmline.routing.opening import answering, next_open_phrase
from warmline.scheduling.timers import cancel_timer, set_timer

MESSAGES = Base.metadata.tables[Message.__tablename__]
INSERT_MESSAGE = insert(MESSAGES).returning(MESSAGES.c.id)


def store(session: Session, message: Message, conversation_id: int | None) -> None:
    """Write a contact's message, once, as soon as its conversation is known (None: it joins
    none, as a blocked or opted-out contact's does).

    A prebuilt Core INSERT, not ``session.add()``: the message is never changed afterwards, and
    the ORM's unit of work only added bookkeeping to every relayed text. ``message`` stays out
    of the session, with its new id set.
    """
    message.conversation_id = conversation_id
    message.id = session.execute(INSERT_MESSAGE, message_values(message)).scalar_one()


def from_contact(contact_id: int, body: str, num_media: int, now: dt.datetime) -> Message:
    """A text a contact sent, not yet stored: ``store`` writes it with its conversation."""
    return Message(
        contact_id=contact_id,
        direction="in",
        author="contact",
        body=body,
        num_media=num_media,
        created_at=now,
    )


def message_values(message: Message) -> dict[str, object]:
    """``INSERT_MESSAGE``'s parameters for ``message``."""
    return {c.key: getattr(message, c.key) for c in MESSAGES.columns if c.key != "id"}


# Built once (only the contact changes), which spares building the query and its cache key on
# every message. ``conv.contact`` is the caller's contact, already in the session: no need to
# join it in again.
OPEN_CONVERSATION = (
    select(Conversation)
    .options(lazyload(Conversation.contact))
    .where(
        Conversation.contact_id == bindparam("contact_id"),
        Conversation.channel == "sms",
        Conversation.status != "closed",
    )
)


def open_conversation(session: Session, contact: Contact) -> Conversation | None:
    return session.scalars(OPEN_CONVERSATION, {"contact_id": contact.id}).first()


def last_activity(session: Session, conv: Conversation) -> dt.datetime:
    """When anything last happened in ``conv``: its newest message, or a change such as its start
    or assignment (``last_activity_at``).

    Messages count through their own timestamps, so relaying one writes nothing to the
    conversation row. The idle timer is armed once, when the conversation starts: when it fires
    early, its handler sees the later activity and arms itself again for then.
    """
    newest = session.scalar(
        select(func.max(Message.created_at)).where(Message.conversation_id == conv.id)
    )
    return max(conv.last_activity_at, newest) if newest else conv.last_activity_at


def start_conversation(
    session: Session,
    ctx: Context,
    contact: Contact,
    message: Message,
    now: dt.datetime,
    *,
    escalated: bool = False,
) -> Conversation:
    """A new conversation: assigned (the contact is greeted), queued while everyone on shift is
    busy (greeted, then told their place), or after hours — outside the opening hours or with
    nobody on shift (:mod:`warmline.routing.opening`) — only the after-hours text, which says
    when the line next answers; the conversation waits in the queue until then."""
    conv = Conversation(
        contact_id=contact.id,
        channel="sms",
        status="queued",
        queued_at=now,
        last_activity_at=now,
        created_at=now,
        escalated=escalated,
    )
    session.add(conv)
    session.flush()
    store(session, message, conv.id)  # before assignment, which relays what the contact said
    idle = dt.timedelta(minutes=ctx.settings.timeouts.idle_close_minutes)
    set_timer(session, "idle", conv.id, now + idle, now)
    on_shift = answering(session, ctx, now)  # outside the lock
    if on_shift:  # after hours the after-hours text alone says when someone will answer
        greeting = texts.render(ctx.settings, "greeting", lang=contact.language)
        ctx.text_contact(session, contact, greeting, "greeting", now, conv.id)
    lock_assignment(session)  # before reading the volunteers' load, which try_assign acts on
    pool = assignment.candidates(session, ctx, now, on_shift)
    if assignment.try_assign(session, ctx, conv, now, pool) is None:
        assignment.enqueue(session, ctx, conv, now)
        tell_queued(session, ctx, conv, now, anyone_on_shift=bool(on_shift))
    return conv


def tell_queued(
    session: Session,
    ctx: Context,
    conv: Conversation,
    now: dt.datetime,
    anyone_on_shift: bool | None = None,
) -> None:
    """Tell a waiting contact their place in line, or when the line opens if it is closed or
    nobody is on shift.

    ``anyone_on_shift`` saves looking at the rota again when the caller knows.
    """
    if anyone_on_shift is None:
        anyone_on_shift = bool(answering(session, ctx, now))
    lang = conv.contact.language
    if anyone_on_shift:
        place = assignment.queue_place(session, conv)
        body = texts.render(ctx.settings, "queued", lang=lang, place=place)
        kind = "queued"
    else:
        next_open = next_open_phrase(session, ctx, now, lang)
        body = texts.render(ctx.settings, "after_hours", lang=lang, next_open=next_open)
        kind = "after_hours"
    ctx.text_contact(session, conv.contact, body, kind, now, conv.id)
    conv.queue_notified_at = now


def contact_said(
    session: Session, ctx: Context, conv: Conversation, message: Message, now: dt.datetime
) -> None:
    """A message in an open conversation: relay it to the volunteer, or it waits in the queue."""
    store(session, message, conv.id)
    if conv.status == "assigned" and conv.volunteer is not None:
        assignment.relay_contact_message(session, ctx, conv, conv.volunteer, message, now)


def volunteer_replied(
    session: Session,
    ctx: Context,
    conv: Conversation,
    volunteer: Volunteer,
    body: str,
    now: dt.datetime,
) -> None:
    session.add(
        Message(
            conversation_id=conv.id,
            contact_id=conv.contact_id,
            volunteer_id=volunteer.id,
            direction="in",
            author="volunteer",
            body=body,
            num_media=0,
            created_at=now,
        )
    )
    conv.first_response_at = conv.first_response_at or now
    conv.awaiting_reply_since = None
    cancel_timer(session, f"response:{conv.id}")
    ctx.text_contact(session, conv.contact, body, "relay", now, conv.id)


def close(
    session: Session,
    ctx: Context,
    conv: Conversation,
    now: dt.datetime,
    *,
    reason: str,
    note: str | None = None,
    tell_contact: str | None = None,
    tell_volunteer: str | None = None,
) -> None:
    """Close ``conv``; the freed volunteer may take the next conversation in the queue."""
    volunteer = conv.volunteer
    conv.status, conv.closed_at, conv.close_reason = "closed", now, reason
    conv.note = note or conv.note
    conv.awaiting_reply_since = None
    contact = conv.contact
    if volunteer is not None:
        contact.last_volunteer_id, contact.last_closed_at = volunteer.id, now
    for kind in ("response", "idle", "queue-update"):
        cancel_timer(session, f"{kind}:{conv.id}")
    if tell_contact:
        ctx.text_contact(session, contact, tell_contact, "closing", now, conv.id)
    if tell_volunteer and volunteer is not None:
        ctx.text_volunteer(
            session,
            volunteer,
            tell_volunteer,
            "notice",
            now,
            from_=conv.relay_number,
            conversation_id=conv.id,
        )
    session.flush()
    if volunteer is not None:
        queue.drain_queue(session, ctx, now)


def hand_over(
    session: Session, ctx: Context, conv: Conversation, now: dt.datetime, *, reason: str
) -> Volunteer | None:
    """Take ``conv`` from its volunteer (pass, time-out, unreachable) and give it to another, or
    put it at the front of the queue. The volunteer never gets this conversation back."""
    previous = conv.volunteer
    if previous is not None:
        already = session.scalars(
            select(ConversationPass).where(
                ConversationPass.conversation_id == conv.id,
                ConversationPass.volunteer_id == previous.id,
            )
        ).first()
        if already is None:
            session.add(
                ConversationPass(
                    conversation_id=conv.id, volunteer_id=previous.id, reason=reason, created_at=now
                )
            )
        # What the contact said that has not gone out to them yet never will: it belongs to
        # the next volunteer now, who is briefed with everything since the last reply.
        session.execute(
            update(Outbound)
            .where(
                Outbound.conversation_id == conv.id,
                Outbound.volunteer_id == previous.id,
                Outbound.status == "pending",
            )
            .values(
                status="failed", error="conversation handed over before delivery", status_at=now
            )
        )
    assignment.enqueue(session, ctx, conv, now, front=True)
    session.flush()
    successor = assignment.try_assign(session, ctx, conv, now)
    if previous is not None:
        queue.drain_queue(session, ctx, now)
    return successor


def close_for_contact(
    session: Session, ctx: Context, contact: Contact, now: dt.datetime, *, reason: str, tell: str
) -> None:
    """Close the contact's open conversation, if any, telling its volunteer the text ``tell``
    (a catalogue text with ``{alias}``: why it closed)."""
    conv = open_conversation(session, contact)
    if conv is not None:
        close(
            session,
            ctx,
            conv,
            now,
            reason=reason,
            tell_volunteer=texts.render(ctx.settings, tell, alias=contact.alias),
        )
