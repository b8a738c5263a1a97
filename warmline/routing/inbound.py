"""The one service behind ``POST /twilio/sms``: an inbound text, from a contact or a volunteer.

Order for a contact's message (SPEC §5): blocklist, opt-out keywords, escalation scan, routing.
Everything happens in one transaction with the event's SID recorded first, so a repeated
``MessageSid`` does nothing twice and a failure part-way leaves nothing half done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from warmline.db.models import Base, Contact, Message, WebhookEvent
from warmline.escalation import commands as escalation_commands
from warmline.escalation import policy as escalation
from warmline.privacy import parse_address
from warmline.routing import conversations, texts
from warmline.routing.contacts import find_volunteer, get_or_create_contact
from warmline.routing.context import Context
from warmline.routing.language import guess_language
from warmline.routing.volunteers import volunteer_message
from warmline.routing.words import keyword


@dataclass(frozen=True)
class InboundSms:
    sid: str
    from_: str
    to: str
    body: str
    num_media: int = 0


EVENTS = Base.metadata.tables[WebhookEvent.__tablename__]
# Built once, since only the parameters change from one webhook to the next: building an
# INSERT ... ON CONFLICT per request cost about as much Python as executing it.
RECORD_EVENT = {
    "postgresql": postgresql.insert(EVENTS)
    .on_conflict_do_nothing(index_elements=[EVENTS.c.sid])
    .returning(EVENTS.c.id),
    "sqlite": sqlite.insert(EVENTS)
    .on_conflict_do_nothing(index_elements=[EVENTS.c.sid])
    .returning(EVENTS.c.id),
}


def first_time(session: Session, sid: str, kind: str, now: dt.datetime) -> bool:
    """Record the event ``sid``; False when it was already acted on."""
    statement = RECORD_EVENT[session.get_bind().dialect.name]
    result = session.execute(statement, {"sid": sid, "kind": kind, "received_at": now})
    return result.first() is not None  # (rowcount is not reliable with RETURNING)


def receive_sms(session: Session, ctx: Context, sms: InboundSms, now: dt.datetime) -> bool:
    """Act on an inbound text once; returns False for a duplicate delivery."""
    if not first_time(session, sms.sid, "sms", now):
        return False
    sender = parse_address(sms.from_)
    to = parse_address(sms.to).phone or sms.to
    volunteer = find_volunteer(session, sender.phone)
    if volunteer is not None:
        volunteer_message(session, ctx, volunteer, to, sms.body, sms.num_media, now)
        return True
    if escalation_commands.coordinator_message(session, ctx, sender.phone, sms.body, now):
        return True
    contact = get_or_create_contact(session, ctx.vault, sender, now)
    message = Message(
        contact_id=contact.id,
        direction="in",
        author="contact",
        body=sms.body,
        num_media=sms.num_media,
        created_at=now,
    )
    session.add(message)
    _contact_message(session, ctx, contact, message, now)
    return True


def _contact_message(
    session: Session, ctx: Context, contact: Contact, message: Message, now: dt.datetime
) -> None:
    if contact.blocked:
        return  # kept for the retention period, never routed, never answered
    word = keyword(message.body or "") if not message.num_media else None
    if word == "stop":
        _opt_out(session, ctx, contact, now)
        return
    if contact.opted_out:
        if word == "start":
            contact.opted_out = False
            ctx.text_contact(
                session, contact, texts.render(ctx.settings, "opted_in"), "notice", now
            )
        return  # an opted-out contact gets nothing; the message is kept
    if word == "help":
        ctx.text_contact(session, contact, texts.render(ctx.settings, "help"), "help", now)
    screening = escalation.screen(session, ctx, contact, message, now)
    with session.no_autoflush:  # the message is stored once, with its conversation
        conv = conversations.open_conversation(session, contact)
    if conv is None:
        if contact.language is None:  # guessed once, from the first message that tells
            contact.language = guess_language(message.body or "")
        conv = conversations.start_conversation(
            session, ctx, contact, message, now, escalated=screening.crisis
        )
    else:
        conv.escalated = conv.escalated or screening.crisis  # jumps the queue if it waits there
        conversations.contact_said(session, ctx, conv, message, now)
    escalation.record(session, ctx, conv, message, screening, now)


def _opt_out(session: Session, ctx: Context, contact: Contact, now: dt.datetime) -> None:
    contact.opted_out = True
    conversations.close_for_contact(
        session,
        ctx,
        contact,
        now,
        reason="opted_out",
        why="texted STOP and has opted out: nothing more can be sent to them",
    )
