"""What the line does when a message signals risk (SPEC §8).

For a contact's message, in the inbound transaction, in two steps around routing:

1. ``screen`` (before routing): scan the text. On ``crisis`` the contact gets the crisis-resources
   text at once, unless they were sent it less than ``timeouts.escalation_resources_minutes``
   ago. Crisis texts are never throttled by the flood cap (their kind is not automatic).
2. ``record`` (after routing, which marks a crisis conversation escalated so it jumps the queue):
   keep an ``Escalation`` (who, when, what matched, what was done). On ``crisis`` the supervisors
   on shift are alerted by SMS with the escalation's id (else the coordinators' alert numbers,
   else every volunteer on shift: ``escalation.recipients``) and an ``escalation-ack`` timer is
   armed; the assigned volunteer is told. On ``concern`` only the assigned volunteer is told. A
   volunteer assigned later is told when briefed (``brief``).

While a conversation has an unacknowledged crisis escalation, further matches are added to it
instead of alerting again. ``#escalate [note]`` raises a crisis escalation (source "volunteer")
that alerts the supervisors and sends the contact nothing.

Logs name escalations by id and level only: never numbers, bodies or notes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline import metrics, texts
from warmline.context import Context
from warmline.db.models import Contact, Conversation, Escalation, Message, Outbound, Volunteer
from warmline.escalation import notices
from warmline.escalation.matcher import Scan
from warmline.escalation.recipients import alert_chain
from warmline.scheduling.timers import set_timer

log = logging.getLogger(__name__)

RESOURCES_KIND = "crisis"  # outbox kind of the crisis-resources text: never flood-capped
NOTICE_KIND = "escalation"  # outbox kind of what volunteers are told
ACK_TIMER = "escalation-ack"
NOTHING = Scan("none", (), ())


@dataclass(frozen=True)
class Screening:
    """What the scan of one message found, and whether the crisis resources went out for it."""

    scan: Scan
    resources_sent: bool = False

    @property
    def crisis(self) -> bool:
        return self.scan.level == "crisis"


def screen(
    session: Session, ctx: Context, contact: Contact, message: Message, now: dt.datetime
) -> Screening:
    """Scan a contact's message before routing; on crisis send the crisis resources at once."""
    if ctx.scan is None or not message.body:
        return Screening(NOTHING)
    scan: Scan = ctx.scan(message.body)
    if scan.level != "crisis":
        return Screening(scan)
    last_sent = session.scalar(
        select(func.max(Outbound.created_at)).where(
            Outbound.contact_id == contact.id, Outbound.kind == RESOURCES_KIND
        )
    )
    window = ctx.settings.timeouts.escalation_resources_minutes
    reachable = contact.reachable and not (contact.opted_out or contact.blocked)
    if not reachable or not notices.resources_due(last_sent, now, window):
        return Screening(scan)
    body = texts.render(ctx.settings, "crisis_resources", lang=contact.language)
    ctx.text_contact(session, contact, body, RESOURCES_KIND, now)
    return Screening(scan, resources_sent=True)


def record(
    session: Session,
    ctx: Context,
    conv: Conversation,
    message: Message,
    screening: Screening,
    now: dt.datetime,
) -> Escalation | None:
    """After routing: record what the scan found and alert and tell whoever the level calls for."""
    scan = screening.scan
    if scan.level == "none":
        return None
    session.flush()  # the message's id, for the record
    # The record keeps the lexicon's phrase or rule, never the message's own words: they would
    # outlive the body's retention. The texts sent now may quote them (``shown``).
    matched = [
        {
            "category": m.category,
            "level": m.level,
            "phrase": m.phrase,
            "rule": m.rule,
            "span": list(m.span),
            "language": m.language,
            "message_id": message.id,
        }
        for m in scan.matches
    ]
    shown = [d | {"words": list(m.words)} for d, m in zip(matched, scan.matches, strict=True)]
    ongoing = open_crisis(session, conv.id)
    if ongoing is not None:
        set_json(ongoing, "matched", get_json(ongoing, "matched") + matched)
        add_action(
            ongoing,
            now,
            "matched_again",
            level=scan.level,
            message_id=message.id,
            resources_sent=screening.resources_sent,
        )
        log.info("escalation %s matched again (%s)", ongoing.id, scan.level)
        return ongoing
    esc = new_escalation(session, conv, scan.level, "scan", now)
    set_json(esc, "matched", matched)
    alias = conv.contact.alias
    if scan.level == "crisis":
        add_action(esc, now, "crisis_resources", sent=screening.resources_sent)
        add_action(esc, now, "conversation_escalated", status=conv.status)
        what = notices.what_matched(shown, "crisis")
        assigned = conv.volunteer_id if conv.status == "assigned" else None
        body = notices.crisis_alert(esc.id, alias, what)
        targets = alert(session, ctx, esc, body, now, assigned=assigned)
        body = notices.tell_volunteer_crisis(
            esc.id, alias, what, screening.resources_sent, notices.alerted_phrase(targets)
        )
    else:
        body = notices.tell_volunteer_concern(alias, notices.what_matched(shown, "concern"))
    if conv.status == "assigned" and conv.volunteer is not None:
        tell_volunteer(session, ctx, esc, conv, conv.volunteer, body, now)
    return esc


def raise_by_volunteer(
    session: Session,
    ctx: Context,
    volunteer: Volunteer,
    conv: Conversation,
    note: str | None,
    now: dt.datetime,
) -> tuple[Escalation, list[str]]:
    """``#escalate [note]``: a crisis escalation of ``conv`` that alerts the supervisors (not the
    one raising it); the contact is sent nothing. Returns it and who was alerted."""
    conv.escalated = True
    esc = new_escalation(session, conv, "crisis", "volunteer", now)
    esc.raised_by_id, esc.note = volunteer.id, note
    body = notices.volunteer_alert(esc.id, volunteer.name, conv.contact.alias, note)
    targets = alert(session, ctx, esc, body, now, exclude=volunteer.id, assigned=volunteer.id)
    return esc, targets


def brief(
    session: Session, ctx: Context, conv: Conversation, volunteer: Volunteer, now: dt.datetime
) -> None:
    """Tell a volunteer who just got ``conv`` about its escalations, latest first in one text."""
    escalations = session.scalars(
        select(Escalation)
        .where(Escalation.conversation_id == conv.id)
        .order_by(Escalation.id.desc())
        .limit(5)
    ).all()
    if not escalations:
        return
    parts = []
    for esc in escalations:
        what = notices.what_matched(get_json(esc, "matched"))
        why = what or ("a volunteer asked for a supervisor" + (f": {esc.note}" if esc.note else ""))
        state = "acknowledged" if esc.acknowledged_at else "open"
        parts.append(f"#{esc.id} {esc.level}, {state} ({why})")
    body = f"Escalations of {conv.contact.alias}: " + "; ".join(parts) + "."
    tell_volunteer(session, ctx, escalations[0], conv, volunteer, body, now)


def open_crisis(session: Session, conversation_id: int) -> Escalation | None:
    """The conversation's latest unacknowledged crisis escalation."""
    return session.scalars(
        select(Escalation)
        .where(
            Escalation.conversation_id == conversation_id,
            Escalation.level == "crisis",
            Escalation.acknowledged_at.is_(None),
        )
        .order_by(Escalation.id.desc())
    ).first()


def new_escalation(
    session: Session, conv: Conversation, level: str, source: str, now: dt.datetime
) -> Escalation:
    esc = Escalation(
        conversation_id=conv.id,
        contact_id=conv.contact_id,
        level=level,
        source=source,
        matched="[]",
        actions="[]",
        created_at=now,
    )
    session.add(esc)
    session.flush()
    metrics.ESCALATIONS.labels(level, source).inc()
    log.info("escalation %s raised: level=%s source=%s", esc.id, level, source)
    return esc


def alert(
    session: Session,
    ctx: Context,
    esc: Escalation,
    body: str,
    now: dt.datetime,
    exclude: int | None = None,
    assigned: int | None = None,
) -> list[str]:
    """Alert along the chain (supervisors on shift, else the coordinators' numbers, else every
    volunteer on shift; never silent while anyone is on shift) and arm the acknowledgement
    timer; who was alerted ("supervisor:<id>", "coordinators:<count>", "volunteer:<id>")."""
    targets = alert_chain(
        session,
        ctx,
        body,
        now,
        dedupe_key=f"escalation:{esc.id}",
        exclude=exclude,
        assigned=assigned,
    )
    add_action(esc, now, "alerted", to=targets)
    due = now + dt.timedelta(minutes=ctx.settings.timeouts.escalation_ack_minutes)
    set_timer(session, ACK_TIMER, esc.id, due, now)
    if not targets:
        log.warning("escalation %s: nobody on shift and no coordinator numbers to alert", esc.id)
    return targets


def tell_volunteer(
    session: Session,
    ctx: Context,
    esc: Escalation,
    conv: Conversation,
    volunteer: Volunteer,
    body: str,
    now: dt.datetime,
) -> None:
    ctx.text_volunteer(
        session,
        volunteer,
        body,
        NOTICE_KIND,
        now,
        from_=conv.relay_number,
        conversation_id=conv.id,
    )
    add_action(esc, now, "volunteer_told", volunteer_id=volunteer.id)


def get_json(esc: Escalation, column: str) -> list[dict[str, Any]]:
    value: list[dict[str, Any]] = json.loads(getattr(esc, column) or "[]")
    return value


def set_json(esc: Escalation, column: str, value: list[dict[str, Any]]) -> None:
    setattr(esc, column, json.dumps(value, ensure_ascii=False))


def add_action(esc: Escalation, now: dt.datetime, action: str, **details: Any) -> None:
    """Append one step to the escalation's record of what was done."""
    set_json(
        esc,
        "actions",
        [*get_json(esc, "actions"), {"at": now.isoformat(), "action": action} | details],
    )
