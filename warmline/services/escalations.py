"""Escalations for coordinators: list, acknowledge, add a note (SPEC §8, §11).

Acknowledging goes through :func:`warmline.escalation.acks.acknowledge`, the very function a
supervisor's ``#ack`` text runs, acting as "the coordinators" (as from an alert number): the
re-alert is cancelled and the contact's volunteer is told someone is following up. This layer
adds who asked, in the audit log. Notes are appended to the escalation's own record of actions;
the audit entry says a note was added, never what it says (it may name a person's situation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from warmline.accounts.roles import require
from warmline.audit import Actor, record
from warmline.context import Context
from warmline.db.models import Contact, Conversation, Escalation, Volunteer
from warmline.escalation import acks
from warmline.escalation.policy import add_action, get_json, set_json
from warmline.queries.conversations import Page

MAX_NOTE = 1000
MAX_LIMIT = 200


class EscalationError(ValueError):
    """The escalation does not exist, or the note is empty or too long; ``str()`` says which."""


@dataclass(frozen=True)
class Step:
    """One entry of an escalation's record: ``what`` happened ``at``, with ``by``/``note``."""

    at: dt.datetime
    what: str
    by: str | None
    note: str | None


@dataclass(frozen=True)
class EscalationRow:
    """An escalation as coordinators see it: the contact by alias only, never a number."""

    id: int
    conversation_id: int | None
    contact_id: int | None
    alias: str | None
    level: str
    source: str
    raised_at: dt.datetime
    raised_by: str | None
    conversation_open: bool
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Acknowledged:
    """What came of an acknowledgement: ``changed`` is False when it was already acknowledged
    or does not exist; ``message`` is the same sentence ``#ack`` texts back."""

    changed: bool
    message: str


def acknowledge(
    session: Session, ctx: Context, actor: Actor, escalation_id: int, now: dt.datetime
) -> Acknowledged:
    """Acknowledge escalation ``escalation_id`` as the coordinators; audited when it changed.
    PermissionDenied for a role without "handle_escalations"."""
    require(actor.role, "handle_escalations")
    before = session.get(Escalation, escalation_id)
    was_open = before is not None and before.acknowledged_at is None
    message = acks.acknowledge(session, ctx, str(escalation_id), now, volunteer=None)
    esc = session.get(Escalation, escalation_id)
    # Not "acknowledged_at == now": a second request within the same instant changes nothing.
    changed = was_open and esc is not None and esc.acknowledged_at is not None
    if changed and esc is not None:
        # acks records "coordinators" as who acknowledged; the dashboard knows the person.
        steps = get_json(esc, "actions")
        steps[-1] = steps[-1] | {"by": f"{actor.kind}:{actor.name}"}
        set_json(esc, "actions", steps)
        record(
            session, actor, "escalation.acknowledge", target=f"escalation:{escalation_id}", at=now
        )
    return Acknowledged(changed, message)


def add_note(
    session: Session, actor: Actor, escalation_id: int, note: str, now: dt.datetime
) -> None:
    """Append ``note`` (1..MAX_NOTE characters) to the escalation's record, signed by ``actor``;
    EscalationError for an empty or long note or a missing escalation, PermissionDenied for a
    role without "handle_escalations"."""
    require(actor.role, "handle_escalations")
    text = note.strip()
    if not text:
        raise EscalationError("Write the note first.")
    if len(text) > MAX_NOTE:
        raise EscalationError(f"A note is at most {MAX_NOTE} characters.")
    esc = session.get(Escalation, escalation_id, with_for_update=True)
    if esc is None:
        raise EscalationError(f"There is no escalation #{escalation_id}.")
    add_action(esc, now, "note", by=f"{actor.kind}:{actor.name}", note=text)
    record(
        session, actor, "escalation.note", target=f"escalation:{escalation_id}",
        detail=f"note of {len(text)} characters", at=now,
    )  # fmt: skip


def recent(
    session: Session,
    *,
    open_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    level: str | None = None,
    escalation_id: int | None = None,
) -> Page[EscalationRow]:
    """Escalations newest first (``open_only``: not yet acknowledged; raised in ``[since,
    until)``; of one ``level``; only ``escalation_id``), ``limit`` clamped to 1..MAX_LIMIT;
    ``total`` counts every match."""
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    where: list[ColumnElement[bool]] = [Escalation.acknowledged_at.is_(None)] if open_only else []
    where += [Escalation.created_at >= since] if since is not None else []
    where += [Escalation.created_at < until] if until is not None else []
    where += [Escalation.level == level] if level is not None else []
    where += [Escalation.id == escalation_id] if escalation_id is not None else []
    total = session.scalar(select(func.count(Escalation.id)).where(*where)) or 0
    raiser, acker = aliased(Volunteer), aliased(Volunteer)
    contact_id = func.coalesce(Escalation.contact_id, Conversation.contact_id)
    rows = session.execute(
        select(Escalation, contact_id, Contact.alias, Conversation.status, raiser.name, acker.name)
        .outerjoin(Conversation, Conversation.id == Escalation.conversation_id)
        .outerjoin(Contact, Contact.id == contact_id)
        .outerjoin(raiser, raiser.id == Escalation.raised_by_id)
        .outerjoin(acker, acker.id == Escalation.acknowledged_by_id)
        .where(*where)
        .order_by(Escalation.created_at.desc(), Escalation.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(tuple(_row(*r) for r in rows), total, limit, offset)


def _row(
    esc: Escalation,
    contact_id: int | None,
    alias: str | None,
    status: str | None,
    raised_by: str | None,
    acked_by: str | None,
) -> EscalationRow:
    steps = tuple(_step(a) for a in get_json(esc, "actions"))
    if esc.acknowledged_at is not None and acked_by is None:
        by = next((s.by for s in reversed(steps) if s.what == "acknowledged" and s.by), None)
        acked_by = (by or "coordinators").split(":", 1)[-1]
    return EscalationRow(
        id=esc.id,
        conversation_id=esc.conversation_id,
        contact_id=contact_id,
        alias=alias,
        level=esc.level,
        source=esc.source,
        raised_at=esc.created_at,
        raised_by=raised_by,
        conversation_open=status in ("queued", "ringing", "assigned"),
        acknowledged_at=esc.acknowledged_at,
        acknowledged_by=acked_by,
        steps=steps,
    )


def _step(action: dict[str, Any]) -> Step:
    by = action.get("by")
    note = action.get("note")
    return Step(
        at=dt.datetime.fromisoformat(action["at"]),
        what=str(action.get("action", "")),
        by=str(by) if by is not None else None,
        note=str(note) if note is not None else None,
    )
