"""Escalations as coordinators see them (the dashboard's /escalations, ``GET /api/v1/escalations``):
each with its contact by alias only, never a number, and its record of what was done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from warmline.db.models import Contact, Conversation, Escalation, Volunteer
from warmline.escalation.policy import get_json
from warmline.queries.conversations import Page

MAX_LIMIT = 200


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
