"""An inbound call's life (SPEC §10): greeting, crisis line, ringing volunteers, the end.

Every call is a conversation (channel "voice"), "ringing" from the greeting until a volunteer
accepts it ("assigned", which keeps them from new texts) or it ends ("closed", with its outcome
and duration). A voicemail makes it a callback request ("queued"; see ``callbacks``).

The services return what should happen next (:data:`Step`); the web layer turns it into TwiML.
Each is safe to run twice for the same Twilio request: the conversation is found by ``CallSid``
and moves only forward, and status callbacks are recorded once per (CallSid, CallStatus).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.db.contacts import get_or_create_contact
from warmline.db.engine import is_postgres
from warmline.db.models import Conversation, ConversationPass, Escalation, Volunteer
from warmline.privacy import parse_address
from warmline.routing import assignment, call_rules, callbacks, conversations, queue
from warmline.routing.inbound import first_time
from warmline.routing.opening import answering, next_open_phrase
from warmline.scheduling.timers import set_timer
from warmline.telephony.port import CallProgress, DialEnd

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Callee:
    volunteer_id: int
    phone: str


@dataclass(frozen=True)
class Ring:
    """Ring these volunteers: all at once, or (``sequential``) the one given."""

    conversation_id: int
    callees: tuple[Callee, ...]
    sequential: bool


@dataclass(frozen=True)
class TakeVoicemail:
    """Tell the caller ``text`` (when we open, the crisis option) and record a voicemail."""

    conversation_id: int
    text: str


@dataclass(frozen=True)
class Record:
    """Record the voicemail now (the caller pressed a key other than 9 at the prompt)."""

    conversation_id: int


@dataclass(frozen=True)
class CrisisLine:
    number: str


@dataclass(frozen=True)
class Goodbye:
    text: str | None = None


Step = Ring | TakeVoicemail | Record | CrisisLine | Goodbye


def locked(session: Session, conv_id: int) -> Conversation | None:
    """The voice conversation ``conv_id``, locked for this transaction (PostgreSQL)."""
    query = select(Conversation).where(Conversation.id == conv_id, Conversation.channel == "voice")
    if is_postgres(session):
        query = query.with_for_update(of=Conversation)
    return session.scalars(query).first()


def by_call_sid(session: Session, call_sid: str) -> Conversation | None:
    query = select(Conversation).where(Conversation.call_sid == call_sid)
    if is_postgres(session):
        query = query.with_for_update(of=Conversation)
    return session.scalars(query).first()


def call_arrived(
    session: Session, ctx: Context, call_sid: str, from_: str, now: dt.datetime
) -> Conversation | None:
    """The call's conversation (created on the first request); None for a blocked caller."""
    conv = by_call_sid(session, call_sid)
    if conv is None:
        contact = get_or_create_contact(session, ctx.vault, parse_address(from_), now)
        if contact.blocked:
            return None
        conv = Conversation(
            contact_id=contact.id,
            channel="voice",
            status="ringing",
            call_sid=call_sid,
            last_activity_at=now,
            created_at=now,
        )
        session.add(conv)
        session.flush()
    return None if conv.contact.blocked else conv


def greeting(ctx: Context) -> str:
    return texts.render(ctx.settings, "call_greeting")


def key_pressed(
    session: Session, ctx: Context, call_sid: str, digits: str, then_record: bool, now: dt.datetime
) -> Step:
    """A key (or none) at the greeting or the voicemail prompt: 9 is the crisis line."""
    conv = by_call_sid(session, call_sid)
    if conv is None or (conv.status == "closed" and conv.outcome != "crisis-transfer"):
        return Goodbye()
    if digits == call_rules.CRISIS_KEY or conv.outcome == "crisis-transfer":
        return crisis_transfer(session, ctx, conv, now)
    if then_record:
        return Record(conv.id)
    return offer(session, ctx, conv, now)


def crisis_transfer(session: Session, ctx: Context, conv: Conversation, now: dt.datetime) -> Step:
    """Send the caller to the crisis line and keep an escalation record (once per call)."""
    number = ctx.settings.line.crisis_line
    if conv.outcome == "crisis-transfer":
        return CrisisLine(number)
    conv.outcome, conv.escalated = "crisis-transfer", True
    session.add(
        Escalation(
            conversation_id=conv.id,
            contact_id=conv.contact_id,
            level="crisis",
            source="voice",
            matched="[]",
            note="caller pressed 9 for the crisis line",
            actions=json.dumps([f"call transferred to the crisis line {number}"]),
            created_at=now,
        )
    )
    conversations.close(session, ctx, conv, now, reason="crisis-transfer")
    log.info("call conversation %s transferred to the crisis line", conv.id)
    return CrisisLine(number)


def offer(session: Session, ctx: Context, conv: Conversation, now: dt.datetime) -> Step:
    """Ring the volunteers free for a call, or take a voicemail when nobody is."""
    if conv.status != "ringing":
        return Goodbye()
    tried = session.scalars(
        select(ConversationPass.volunteer_id).where(ConversationPass.conversation_id == conv.id)
    ).all()
    sequential = ctx.settings.calls.strategy == "sequential"
    pool = assignment.candidates(session, ctx, now, answering(session, ctx, now))
    chosen = call_rules.callees(pool, tried, 1 if sequential else 10)
    if not chosen:
        return TakeVoicemail(conv.id, voicemail_prompt(session, ctx, now))
    rows = session.execute(
        select(Volunteer.id, Volunteer.phone).where(
            Volunteer.id.in_([c.volunteer_id for c in chosen])
        )
    )
    phones = {volunteer_id: phone for volunteer_id, phone in rows}
    conv.queued_at = conv.queued_at or now  # volunteers were rung: unanswered means "missed"
    return Ring(
        conv.id, tuple(Callee(c.volunteer_id, phones[c.volunteer_id]) for c in chosen), sequential
    )


def voicemail_prompt(session: Session, ctx: Context, now: dt.datetime) -> str:
    """When the line opens (closed, or nobody on shift) or that nobody is free, then the voicemail
    offer: the same rule as texts (:mod:`warmline.routing.opening`)."""
    if answering(session, ctx, now):
        first = texts.render(ctx.settings, "call_nobody_free")
    else:
        next_open = next_open_phrase(session, ctx, now)
        first = texts.render(ctx.settings, "call_after_hours", next_open=next_open)
    return f"{first} {texts.render(ctx.settings, 'call_voicemail')}"


def leg_screened(session: Session, conv_id: int, volunteer_id: int, now: dt.datetime) -> None:
    """A rung volunteer's phone picked up (a person or their voicemail) and hears the whisper.

    In simultaneous mode the first pick-up makes Twilio hang up the other legs, so a voicemail
    that answers first would end the ringing for everyone. Marking the leg as tried lets the
    Dial action ring the others again without it (see ``dial_ended``)."""
    conv = session.get(Conversation, conv_id)
    if conv is None or conv.status != "ringing":
        return
    _mark_tried(session, conv.id, volunteer_id, "screened", now)


def _mark_tried(
    session: Session, conv_id: int, volunteer_id: int, reason: str, now: dt.datetime
) -> None:
    tried = select(ConversationPass.id).where(
        ConversationPass.conversation_id == conv_id, ConversationPass.volunteer_id == volunteer_id
    )
    if session.scalar(tried) is None:
        session.add(
            ConversationPass(
                conversation_id=conv_id, volunteer_id=volunteer_id, reason=reason, created_at=now
            )
        )
        session.flush()


def leg_answered(
    session: Session, conv_id: int, volunteer_id: int, digits: str, now: dt.datetime
) -> bool:
    """A rung volunteer pressed ``digits``: True when they take the call (1, still ringing,
    not on another call). The first to accept wins."""
    if digits != call_rules.ACCEPT_KEY:
        return False
    conv = locked(session, conv_id)
    if conv is None or conv.status != "ringing" or conv.volunteer_id is not None:
        return False
    volunteer = session.get(Volunteer, volunteer_id)
    busy = session.scalar(
        select(Conversation.id).where(
            Conversation.volunteer_id == volunteer_id,
            Conversation.channel == "voice",
            Conversation.status == "assigned",
        )
    )
    if volunteer is None or not volunteer.active or busy is not None:
        return False
    conv.status, conv.volunteer_id, conv.outcome = "assigned", volunteer.id, "answered"
    conv.assigned_at = conv.first_response_at = conv.last_activity_at = now
    volunteer.last_assigned_at = now
    set_timer(session, "call-stale", conv.id, now + call_rules.STALE_AFTER, now)
    return True


def dial_ended(
    session: Session,
    ctx: Context,
    call_sid: str,
    volunteer_id: int | None,
    end: DialEnd,
    dial_seconds: int | None,
    caller_gone: bool,
    now: dt.datetime,
) -> Step:
    """A ``<Dial>`` to volunteers ended as ``end`` (``caller_gone``: the caller's own call has
    ended too): the call is over, or ring the next, or voicemail."""
    conv = by_call_sid(session, call_sid)
    if conv is None or conv.status == "closed":
        if conv is not None and conv.outcome == "answered" and dial_seconds is not None:
            conv.duration_seconds = dial_seconds  # the status callback came first
        return Goodbye()
    accepted = conv.status == "assigned" and conv.volunteer_id is not None
    result = call_rules.after_dial(end, accepted, caller_gone)
    if result == "answered":
        conv.duration_seconds = dial_seconds if dial_seconds is not None else conv.duration_seconds
        end_call(session, ctx, conv, now)
        return Goodbye()
    if result == "gone":
        end_call(session, ctx, conv, now)
        return Goodbye()
    if conv.status != "ringing":
        return Goodbye()
    if ctx.settings.calls.strategy == "simultaneous" or volunteer_id is None:
        if end == "picked-up":
            # A leg picked up without accepting (a voicemail, or a decline), which hung up the
            # others: ring those who are left, without the ones that picked up.
            return offer(session, ctx, conv, now)
        return TakeVoicemail(conv.id, voicemail_prompt(session, ctx, now))
    _mark_tried(session, conv.id, volunteer_id, end, now)
    return offer(session, ctx, conv, now)


def end_call(session: Session, ctx: Context, conv: Conversation, now: dt.datetime) -> None:
    """Close the call's conversation with its final outcome (frees the volunteer)."""
    accepted = conv.volunteer_id is not None and conv.outcome == "answered"
    conv.outcome = call_rules.final_outcome(conv.outcome, accepted, conv.queued_at is not None)
    conversations.close(session, ctx, conv, now, reason="call-ended")


def stale_call(session: Session, ctx: Context, conv_id: int, now: dt.datetime) -> None:
    """Timer: a call still "assigned" long after Twilio would have ended it is closed, so its
    volunteer gets texts again."""
    conv = session.get(Conversation, conv_id)
    if conv is None or conv.channel != "voice" or conv.status != "assigned":
        return
    if conv.assigned_at is not None and now - conv.assigned_at < call_rules.STALE_AFTER:
        return
    if conv.recording_sid is not None and conv.first_response_at is None:
        callbacks.release(session, conv, now)  # a callback claim never bridged: queue it again
        queue.drain_queue(session, ctx, now)
        return
    log.warning("call conversation %s had no end from Twilio; closed", conv.id)
    conversations.close(session, ctx, conv, now, reason="stale")


def call_status(
    session: Session,
    ctx: Context,
    call_sid: str,
    progress: CallProgress,
    seconds: int | None,
    now: dt.datetime,
) -> bool:
    """A status callback; acts once per (call, progress), on "ended". False for a repeat."""
    if not first_time(session, f"{call_sid}:{progress}"[:64], "call-status", now):
        return False
    if progress != "ended":
        return True
    conv = by_call_sid(session, call_sid)
    if conv is None:
        callbacks.callback_call_ended(session, ctx, call_sid, seconds, now)
        return True
    if conv.duration_seconds is None:
        conv.duration_seconds = seconds
    if conv.status in ("ringing", "assigned"):
        end_call(session, ctx, conv, now)
    return True
