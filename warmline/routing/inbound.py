"""The one service behind ``POST /twilio/sms``: an inbound text, from a contact or a volunteer.

Order for a contact's message (SPEC §5): blocklist, opt-out keywords, escalation scan, routing.
Everything happens in one transaction with the event's SID recorded first, so a repeated
``MessageSid`` does nothing twice and a failure part-way leaves nothing half done. A plain text
in an open conversation takes the short way (``arrival``); the rest is here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.db.contacts import get_or_create_contact
from warmline.db.models import Base, Contact, Message, Volunteer, WebhookEvent
from warmline.escalation import commands as escalation_commands
from warmline.escalation import policy as escalation
from warmline.privacy import parse_address
from warmline.routing import conversations
from warmline.routing.arrival import RECORD, arrive, is_plain, relay_plain
from warmline.routing.language import guess_language
from warmline.routing.volunteers import volunteer_message
from warmline.words import keyword, language_choice


@dataclass(frozen=True)
class InboundSms:
    sid: str
    from_: str
    to: str
    body: str
    num_media: int = 0


EVENTS = Base.metadata.tables[WebhookEvent.__tablename__]
RECORD_EVENT = {name: insert.returning(EVENTS.c.id) for name, insert in RECORD.items()}


def first_time(session: Session, sid: str, kind: str, now: dt.datetime) -> bool:
    """Record the event ``sid``; False when it was already acted on."""
    statement = RECORD_EVENT[session.get_bind().dialect.name]
    result = session.execute(statement, {"sid": sid, "kind": kind, "received_at": now})
    return result.first() is not None  # (rowcount is not reliable with RETURNING)


def receive_sms(session: Session, ctx: Context, sms: InboundSms, now: dt.datetime) -> bool:
    """Act on an inbound text once; returns False for a duplicate delivery."""
    sender = parse_address(sms.from_)
    arrival = arrive(session, sms.sid, sender.phone, ctx.vault.lookup_hash(sender.key), now)
    if not arrival.first_time:
        return False
    if arrival.volunteer_id is not None:
        to = parse_address(sms.to).phone or sms.to  # which relay number they answered on
        volunteer = session.get_one(Volunteer, arrival.volunteer_id)
        volunteer_message(session, ctx, volunteer, to, sms.body, sms.num_media, now)
        return True
    if escalation_commands.coordinator_message(session, ctx, sender.phone, sms.body, now):
        return True
    if is_plain(arrival, sms.body, sms.num_media, ctx.scan):
        relay_plain(session, ctx, arrival, sms.body, now)
        return True
    contact = get_or_create_contact(session, ctx.vault, sender, now)
    message = conversations.from_contact(contact.id, sms.body, sms.num_media, now)
    _contact_message(session, ctx, contact, message, now)
    if message.id is None:  # it joined no conversation; it is kept all the same
        conversations.store(session, message, None)
    return True


def _contact_message(
    session: Session, ctx: Context, contact: Contact, message: Message, now: dt.datetime
) -> None:
    if contact.blocked:
        return  # kept for the retention period, never routed, never answered
    body = message.body or ""
    word = keyword(body) if not message.num_media else None
    if word == "stop":
        _opt_out(session, ctx, contact, now)
        return
    chosen = language_choice(body) if not message.num_media else None
    _set_language(contact, body, chosen)  # before anything is sent: crisis resources first
    lang = contact.language
    if contact.opted_out:
        if word == "start":
            contact.opted_out = False
            reply = texts.render(ctx.settings, "opted_in", lang=lang)
            ctx.text_contact(session, contact, reply, "notice", now)
        return  # an opted-out contact gets nothing; the message is kept
    if word == "help":
        reply = texts.render(ctx.settings, "help", lang=lang)
        ctx.text_contact(session, contact, reply, "help", now)
    if chosen is not None:  # confirmed; the message still reaches the volunteer, like HELP
        reply = texts.render(ctx.settings, "language_changed", lang=lang)
        ctx.text_contact(session, contact, reply, "notice", now)
    if word == "help" or chosen is not None:
        # A keyword alone is a command, answered above (the help text names 988 and 911), not
        # something the contact told us: the scan would read "help" as a plea and alert.
        screening = escalation.Screening(escalation.NOTHING)
    else:
        screening = escalation.screen(session, ctx, contact, message, now)
    conv = conversations.open_conversation(session, contact)
    if conv is None:
        conv = conversations.start_conversation(
            session, ctx, contact, message, now, escalated=screening.crisis
        )
    else:
        if screening.crisis:  # (assigning False would still mark the row for the flush)
            conv.escalated = True  # jumps the queue if it waits there
        conversations.contact_said(session, ctx, conv, message, now)
    escalation.record(session, ctx, conv, message, screening, now)


def _set_language(contact: Contact, body: str, chosen: str | None) -> None:
    """The contact's language: the one they chose (ESPAÑOL / ENGLISH), kept for good; else
    guessed from this message when it tells, until they choose. A plain text in an open
    conversation takes the short way (``arrival``) and is not guessed from."""
    if chosen is not None:
        contact.language, contact.language_chosen = chosen, True
    elif not contact.language_chosen:
        guess = guess_language(body)
        if guess is not None and guess != contact.language:
            contact.language = guess


def _opt_out(session: Session, ctx: Context, contact: Contact, now: dt.datetime) -> None:
    contact.opted_out = True
    conversations.close_for_contact(
        session,
        ctx,
        contact,
        now,
        reason="opted_out",
        tell="contact_opted_out",
    )
