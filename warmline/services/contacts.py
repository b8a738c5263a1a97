"""The data rights of the people who text (SPEC §12): erasure and export of one contact.

A contact is named by a ``contact_ref``: its id (an ``int``, as the API's ``/contacts/{id}``),
a phone number (any form the line's country accepts; found by keyed hash, never compared in
clear) or its alias ("Blue Heron", any case).

**Erasure** deletes what could identify the person or what they said, and keeps the anonymous
facts reports count, so every report figure over any range is the same before and after:

- message bodies (both ways, NULL; the rows stay with their times, direction and author) and the
  bodies of texts to them and of relays in their conversations; texts still waiting to go out
  are cancelled (status ``failed``, error ``contact erased``);
- the number: ``number_encrypted`` becomes the encryption of an empty string (every row stays
  decryptable, and nothing is sent to it), ``number_hash`` a random value that no number hashes
  to, so a later text from the same number creates a new contact, whose alias differs from the
  erased one's (the erased row keeps its alias, so the derived alias is taken);
- voicemail recordings: ours (the URL warmline plays) and Twilio's copies (through the
  telephony port; one Twilio cannot delete now stays pending and housekeeping retries it);
- volunteers' notes on their conversations and escalations (free text about the person), and
  the notes coordinators added to those escalations from the dashboard or the API (kept in the
  escalation's steps: the step stays, to say a note was made and when, its words are replaced
  by ``ERASED_NOTE``).

Conversation rows keep times, channel, outcome, escalated and the volunteer; escalation rows
keep level, source, times and the lexicon phrases that matched (never the message's words).
An open conversation is closed first (reason ``erased``, nobody is texted).

**Export** gives everything still kept about the contact as a JSON-serialisable dict; no
volunteer's number or name, no contact number (the person knows their own).

Both record an audit entry in the caller's unit of work (``contact.erase``, ``contact.export``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from warmline import audit, outbox, recordings
from warmline.accounts.roles import require
from warmline.audit import Actor
from warmline.config import ConfigError, normalise_number
from warmline.context import Context
from warmline.db.models import Contact, Conversation, Escalation, Message, Outbound
from warmline.escalation.policy import get_json, set_json
from warmline.queries.contacts import ERASED_HASH_PREFIX
from warmline.routing import conversations
from warmline.telephony.port import Telephony

CANCELLED = "contact erased"
ERASED_NOTE = "(erased with the contact's data)"


class ContactError(Exception):
    """A contact_ref that names no contact, or more than one. The message holds no number."""


class ContactNotFound(ContactError):
    pass


@dataclass(frozen=True)
class Erasure:
    """What an erasure did. ``already`` when the contact had been erased before (then only
    recordings still pending at Twilio were tried again)."""

    contact_id: int
    alias: str
    already: bool
    messages: int  # bodies deleted
    texts: int  # outbox bodies deleted (texts to the contact, relays of their conversations)
    recordings: int  # voicemails whose copy we forgot
    twilio_deleted: int  # Twilio copies deleted now
    twilio_pending: int  # Twilio copies left for housekeeping to retry


def is_erased(contact: Contact) -> bool:
    return contact.number_hash.startswith(ERASED_HASH_PREFIX)


def find_contact(session: Session, ctx: Context, contact_ref: str | int) -> Contact:
    """The contact ``contact_ref`` names (see the module); ContactNotFound or ContactError."""
    if isinstance(contact_ref, int):
        found = session.get(Contact, contact_ref)
        if found is None:
            raise ContactNotFound(f"no contact has id {contact_ref}")
        return found
    ref = contact_ref.strip()
    if not ref:
        raise ContactNotFound("no contact named ''")
    if _looks_like_number(ref):
        try:
            number = normalise_number(ref, "contact", ctx.settings.line.region)
        except ConfigError:
            # The error would quote the number; say only what is wrong.
            raise ContactNotFound("that is not a phone number this line can look up") from None
        found = session.scalars(
            select(Contact).where(Contact.number_hash == ctx.vault.lookup_hash(number))
        ).first()
        if found is None:
            raise ContactNotFound("no contact has that number")
        return found
    matches = session.scalars(
        select(Contact).where(func.lower(Contact.alias) == ref.lower()).order_by(Contact.id)
    ).all()
    if not matches:
        raise ContactNotFound(f"no contact has the alias {ref!r}")
    if len(matches) > 1:
        ids = ", ".join(str(c.id) for c in matches)
        raise ContactError(f"the alias {ref!r} names several contacts (ids {ids}); use the id")
    return matches[0]


def _looks_like_number(ref: str) -> bool:
    digits = sum(ch.isdigit() for ch in ref)
    return digits >= 3 and all(ch.isdigit() or ch in "+-(). " for ch in ref)


def _conversation_ids(session: Session, contact_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Conversation.id)
            .where(Conversation.contact_id == contact_id)
            .order_by(Conversation.id)
        )
    )


def erase_contact(
    session: Session,
    ctx: Context,
    actor: Actor,
    contact_ref: str | int,
    now: dt.datetime,
    telephony: Telephony,
) -> Erasure:
    """Erase the contact (see the module) in the caller's unit of work; safe to repeat.

    Twilio is asked to delete the recordings before anything is written, so no lock is held
    while it answers; a deletion that went through before the transaction failed is found
    gone (404) on the next try. Raises ContactError for a contact_ref that names no contact,
    PermissionDenied for an actor whose role may not erase contacts.
    """
    require(actor.role, "erase_contacts")
    contact = find_contact(session, ctx, contact_ref)
    conv_ids = _conversation_ids(session, contact.id)
    sids = [
        sid
        for sid in session.scalars(
            select(Conversation.recording_sid).where(
                Conversation.id.in_(conv_ids), Conversation.recording_sid.is_not(None)
            )
        )
        if sid is not None
    ]
    deleted, failed = recordings.delete_sids(telephony, sids)
    already = is_erased(contact)
    for conv in session.scalars(
        select(Conversation).where(Conversation.id.in_(conv_ids), Conversation.status != "closed")
    ):
        conversations.close(session, ctx, conv, now, reason="erased")
    forgotten = recordings.forget(session, conv_ids)
    recordings.mark_deleted(session, deleted)
    messages = _erase_bodies(session, contact.id, conv_ids)
    texts = _erase_texts(session, ctx, contact.id, conv_ids, now)
    session.execute(
        update(Conversation)
        .where(Conversation.id.in_(conv_ids), Conversation.note.is_not(None))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Escalation)
        .where(
            or_(Escalation.contact_id == contact.id, Escalation.conversation_id.in_(conv_ids)),
            Escalation.note.is_not(None),
        )
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    _erase_step_notes(session, contact.id, conv_ids)
    if not already:
        contact.number_hash = ERASED_HASH_PREFIX + secrets.token_hex(24)
        contact.number_encrypted = ctx.vault.encrypt("")
        contact.reachable = False
    result = Erasure(
        contact_id=contact.id,
        alias=contact.alias,
        already=already,
        messages=messages,
        texts=texts,
        recordings=forgotten,
        twilio_deleted=len(deleted),
        twilio_pending=failed,
    )
    detail = (
        f"{messages} message bodies, {texts} texts, {forgotten} recordings; "
        f"Twilio copies deleted {len(deleted)}, pending {failed}"
        + ("; already erased" if already else "")
    )
    audit.record(
        session, actor, "contact.erase", target=f"contact:{contact.id}", detail=detail, at=now
    )
    session.flush()
    return result


def _erase_step_notes(session: Session, contact_id: int, conv_ids: list[int]) -> None:
    """Replace the words of every note in the steps of the contact's escalations."""
    for esc in session.scalars(
        select(Escalation).where(
            or_(Escalation.contact_id == contact_id, Escalation.conversation_id.in_(conv_ids))
        )
    ):
        steps = get_json(esc, "actions")
        if any(s.get("note") not in (None, ERASED_NOTE) for s in steps):
            set_json(esc, "actions", [_without_note(s) for s in steps])


def _without_note(step: dict[str, Any]) -> dict[str, Any]:
    return step | {"note": ERASED_NOTE} if step.get("note") is not None else step


def _erase_bodies(session: Session, contact_id: int, conv_ids: list[int]) -> int:
    result = session.execute(
        update(Message)
        .where(
            or_(Message.contact_id == contact_id, Message.conversation_id.in_(conv_ids)),
            Message.body.is_not(None),
        )
        .values(body=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _erase_texts(
    session: Session, ctx: Context, contact_id: int, conv_ids: list[int], now: dt.datetime
) -> int:
    """Cancel the unsent texts to the contact or in their conversations; then drop the bodies
    of every such text and of the escalation alerts about them (which may quote their words),
    and the contact's number from the texts addressed to them. Alerts still waiting to go out
    keep their body: cancelling a crisis alert is not erasure's business."""
    theirs = or_(Outbound.contact_id == contact_id, Outbound.conversation_id.in_(conv_ids))
    session.execute(
        update(Outbound)
        .where(theirs, Outbound.status.in_(outbox.UNSENT))
        .values(status="failed", error=CANCELLED, next_attempt_at=None, status_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Outbound)
        .where(Outbound.contact_id == contact_id)
        .values(to_encrypted=ctx.vault.encrypt(""))
        .execution_options(synchronize_session=False)
    )
    escalations = session.scalars(
        select(Escalation.id).where(
            or_(Escalation.contact_id == contact_id, Escalation.conversation_id.in_(conv_ids))
        )
    ).all()
    alerts = [Outbound.dedupe_key == f"escalation:{e}" for e in escalations] + [
        Outbound.dedupe_key.like(f"escalation:{e}:%") for e in escalations
    ]
    result = session.execute(
        update(Outbound)
        .where(
            or_(theirs, *alerts),
            Outbound.body.is_not(None),
            Outbound.status.not_in(outbox.UNSENT),
        )
        .values(body=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def export_contact(
    session: Session, ctx: Context, actor: Actor, contact_ref: str | int, now: dt.datetime
) -> dict[str, Any]:
    """Everything kept about the contact, to hand to them (see the module); times ISO 8601 UTC.

    Raises ContactError for a contact_ref that names no contact, PermissionDenied for an actor
    whose role may not read transcripts (an export holds them).
    """
    require(actor.role, "view_transcript")
    contact = find_contact(session, ctx, contact_ref)
    conv_ids = _conversation_ids(session, contact.id)
    messages = session.scalars(
        select(Message)
        .where(or_(Message.contact_id == contact.id, Message.conversation_id.in_(conv_ids)))
        .order_by(Message.created_at, Message.id)
    ).all()
    by_conversation: dict[int | None, list[dict[str, Any]]] = {}
    for m in messages:
        by_conversation.setdefault(m.conversation_id, []).append(_message(m))
    convs = session.scalars(
        select(Conversation).where(Conversation.id.in_(conv_ids)).order_by(Conversation.id)
    ).all()
    escalations = session.scalars(
        select(Escalation)
        .where(or_(Escalation.contact_id == contact.id, Escalation.conversation_id.in_(conv_ids)))
        .order_by(Escalation.id)
    ).all()
    # Texts warmline itself sent them (greetings, queue notices, closings); relays are messages.
    texts = session.scalars(
        select(Outbound)
        .where(Outbound.contact_id == contact.id, Outbound.kind != "relay")
        .order_by(Outbound.created_at, Outbound.id)
    ).all()
    audit.record(session, actor, "contact.export", target=f"contact:{contact.id}", at=now)
    return {
        "exported_at": _iso(now),
        "contact": {
            "id": contact.id,
            "alias": contact.alias,
            "language": contact.language,
            "first_contact_at": _iso(contact.created_at),
            "opted_out": contact.opted_out,
            "blocked": contact.blocked,
            "erased": is_erased(contact),
        },
        "conversations": [_conversation(c, by_conversation.get(c.id, [])) for c in convs],
        "messages_outside_conversations": by_conversation.get(None, []),
        "texts_from_the_line": [
            {"at": _iso(t.created_at), "kind": t.kind, "body": t.body, "status": t.status}
            for t in texts
        ],
        "escalations": [_escalation(e) for e in escalations],
    }


def _iso(at: dt.datetime | None) -> str | None:
    return at.astimezone(dt.UTC).isoformat() if at is not None else None


def _message(m: Message) -> dict[str, Any]:
    return {
        "at": _iso(m.created_at),
        "direction": m.direction,
        "author": m.author,
        "body": m.body,
        "media": m.num_media,
    }


def _conversation(c: Conversation, messages: list[dict[str, Any]]) -> dict[str, Any]:
    voicemail = None
    if c.recording_sid is not None or c.recording_seconds is not None:
        voicemail = {
            "recording_sid": c.recording_sid,
            "seconds": c.recording_seconds,
            "kept": c.recording_url is not None,
        }
    return {
        "id": c.id,
        "channel": c.channel,
        "status": c.status,
        "started_at": _iso(c.created_at),
        "answered_at": _iso(c.first_response_at),
        "closed_at": _iso(c.closed_at),
        "close_reason": c.close_reason,
        "outcome": c.outcome,
        "duration_seconds": c.duration_seconds,
        "escalated": c.escalated,
        "note": c.note,
        "voicemail": voicemail,
        "messages": messages,
    }


def _escalation(e: Escalation) -> dict[str, Any]:
    return {
        "id": e.id,
        "conversation_id": e.conversation_id,
        "level": e.level,
        "source": e.source,
        "raised_at": _iso(e.created_at),
        "acknowledged_at": _iso(e.acknowledged_at),
        "note": e.note,
        # What the people who handled it wrote about it (dashboard and API notes), without
        # who wrote them: the record is the contact's, the authors are not.
        "notes": [
            {"at": step.get("at"), "note": step.get("note")}
            for step in get_json(e, "actions")
            if step.get("action") == "note"
        ],
    }
