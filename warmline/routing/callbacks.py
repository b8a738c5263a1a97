"""Voicemails as callback requests (SPEC §10).

A voicemail turns the call's conversation into a callback request: "queued", outcome
"voicemail", the recording kept. The next volunteer free for a call is texted about it (once;
again only if a claim falls through). ``#callback`` claims the oldest request ("assigned" to the
volunteer, so they get no new texts meanwhile); the worker then has Twilio call the volunteer
from the line's number (:func:`place_calls`), plays them the message once they press 1, and
dials the contact with the line's number as caller ID. The contact's number is decrypted only to
build that ``<Dial>``; the volunteer never sees or hears it.

A caller whose number is withheld ("anonymous", "client:...") cannot be called back: the
volunteer is told so and the request is closed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.db.engine import Database, is_postgres
from warmline.db.models import Contact, Conversation, Volunteer
from warmline.routing import call_rules, conversations, queue
from warmline.scheduling.timers import set_timer
from warmline.telephony.port import DialEnd, SendFailure, Telephony

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Voicemail:
    sid: str
    url: str
    seconds: int | None


@dataclass(frozen=True)
class Bridge:
    """What the volunteer hears before warmline dials the contact for them."""

    alias: str
    recording_url: str | None


def voicemail_left(
    session: Session, ctx: Context, call_sid: str, voicemail: Voicemail, now: dt.datetime
) -> bool:
    """Keep the voicemail as a callback request and tell the next free volunteer; False when
    the call is unknown or its voicemail was already kept."""
    conv = session.scalars(select(Conversation).where(Conversation.call_sid == call_sid)).first()
    if conv is None or conv.recording_sid is not None or conv.status != "ringing":
        return False
    conv.recording_sid, conv.recording_url = voicemail.sid, voicemail.url
    conv.recording_seconds = voicemail.seconds
    conv.status, conv.outcome = "queued", "voicemail"
    conv.queued_at = conv.last_activity_at = now
    session.flush()
    queue.announce(session, ctx, now)
    return True


def claim(session: Session, ctx: Context, volunteer: Volunteer, now: dt.datetime) -> str:
    """``#callback``: give ``volunteer`` the oldest callback request; the reply to send them."""
    on_call = session.scalar(
        select(Conversation.id).where(
            Conversation.volunteer_id == volunteer.id,
            Conversation.channel == "voice",
            Conversation.status == "assigned",
        )
    )
    if on_call is not None:
        return texts.render(ctx.settings, "callback_on_a_call")
    query = (
        select(Conversation)
        .join(Contact, Contact.id == Conversation.contact_id)
        .where(*queue.PENDING)
        .order_by(Conversation.queued_at, Conversation.id)
        .limit(1)
    )
    if is_postgres(session):
        query = query.with_for_update(of=Conversation, skip_locked=True)
    conv = session.scalars(query).first()
    if conv is None:
        return texts.render(ctx.settings, "callback_none")
    alias = conv.contact.alias
    if not conv.contact.reachable:
        conv.status, conv.closed_at, conv.close_reason = "closed", now, "no-callback"
        return texts.render(ctx.settings, "callback_withheld_claimed", alias=alias)
    conv.status, conv.volunteer_id, conv.assigned_at = "assigned", volunteer.id, now
    volunteer.last_assigned_at = now
    set_timer(session, "call-stale", conv.id, now + call_rules.STALE_AFTER, now)
    number = ctx.settings.line.public_number
    return texts.render(ctx.settings, "callback_calling_you", number=number, alias=alias)


def release(session: Session, conv: Conversation, now: dt.datetime) -> None:
    """A claim that fell through: back in the queue, to be announced again."""
    conv.status, conv.volunteer_id, conv.assigned_at = "queued", None, None
    conv.callback_call_sid, conv.first_response_at, conv.queue_notified_at = None, None, None


def place_calls(db: Database, telephony: Telephony, ctx: Context, now: dt.datetime) -> int:
    """Start warmline's call to each volunteer who claimed a callback; how many were started.

    A transient failure (Twilio unreachable, or no public URL for its webhooks yet) leaves the
    claim for the next run; a permanent one puts the request back in the queue and tells the
    volunteer.
    """
    with db.unit_of_work() as session:
        ids = session.scalars(
            select(Conversation.id).where(
                Conversation.channel == "voice",
                Conversation.status == "assigned",
                Conversation.recording_sid.is_not(None),
                Conversation.callback_call_sid.is_(None),
            )
        ).all()
    started = 0
    for conv_id in ids:
        with db.unit_of_work() as session:
            query = select(Conversation).where(Conversation.id == conv_id)
            if is_postgres(session):
                query = query.with_for_update(of=Conversation, skip_locked=True)
            conv = session.scalars(query).first()
            if conv is None or conv.status != "assigned" or conv.callback_call_sid is not None:
                continue
            volunteer = conv.volunteer
            assert volunteer is not None
            try:
                conv.callback_call_sid = telephony.place_call(
                    purpose="callback",
                    conversation_id=conv.id,
                    from_=ctx.settings.line.public_number,
                    to=volunteer.phone,
                    ring_seconds=ctx.settings.calls.ring_seconds,
                )
            except SendFailure as exc:
                log.warning("callback %s call not started: %s", conv_id, exc)
                if not exc.transient:
                    release(session, conv, now)
                    body = texts.render(ctx.settings, "callback_not_placed")
                    ctx.text_volunteer(session, volunteer, body, "notice", now)
                continue
            started += 1
    return started


def bridge(session: Session, conv_id: int) -> Bridge | None:
    """The claimed callback whose volunteer just answered warmline's call, or None."""
    conv = session.get(Conversation, conv_id)
    if conv is None or conv.status != "assigned" or conv.recording_sid is None:
        return None
    return Bridge(conv.contact.alias, conv.recording_url)


def connect(
    session: Session, ctx: Context, conv_id: int, digits: str, now: dt.datetime
) -> str | None:
    """The volunteer pressed ``digits``: on 1, the contact's number to dial (server side only)."""
    conv = session.get(Conversation, conv_id)
    if digits != call_rules.ACCEPT_KEY or conv is None or conv.status != "assigned":
        return None
    if conv.recording_sid is None or not conv.contact.reachable:
        return None
    conv.first_response_at = conv.first_response_at or now
    return ctx.vault.decrypt(conv.contact.number_encrypted)


def bridged(
    session: Session,
    ctx: Context,
    conv_id: int,
    end: DialEnd,
    seconds: int | None,
    now: dt.datetime,
) -> str | None:
    """The ``<Dial>`` to the contact ended as ``end``; what to tell the volunteer (None:
    nothing)."""
    conv = session.get(Conversation, conv_id)
    if conv is None or conv.status != "assigned":
        return None
    alias = conv.contact.alias
    if end == "picked-up":
        conv.outcome, conv.duration_seconds = "answered", seconds
        conversations.close(session, ctx, conv, now, reason="callback")
        return None
    conversations.close(session, ctx, conv, now, reason=f"callback-{end}")
    return texts.render(ctx.settings, "callback_unanswered", alias=alias)


def callback_call_ended(
    session: Session, ctx: Context, call_sid: str, seconds: int | None, now: dt.datetime
) -> None:
    """Warmline's call to the volunteer ended: a claim never bridged goes back to the queue."""
    conv = session.scalars(
        select(Conversation).where(Conversation.callback_call_sid == call_sid)
    ).first()
    if conv is None or conv.status != "assigned":
        return
    if conv.first_response_at is None:
        release(session, conv, now)
        queue.drain_queue(session, ctx, now)
        return
    conv.duration_seconds = conv.duration_seconds or seconds
    conversations.close(session, ctx, conv, now, reason="callback")
