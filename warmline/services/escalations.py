"""Escalations for coordinators: acknowledge, add a note (SPEC §8, §11); the list they read is
:mod:`warmline.queries.escalations`.

Acknowledging goes through :func:`warmline.escalation.acks.acknowledge`, the very function a
supervisor's ``#ack`` text runs, acting as "the coordinators" (as from an alert number): the
re-alert is cancelled and the contact's volunteer is told someone is following up. This layer
adds who asked, in the audit log. Notes are appended to the escalation's own record of actions;
the audit entry says a note was added, never what it says (it may name a person's situation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from warmline.accounts.roles import require
from warmline.audit import Actor, record
from warmline.context import Context
from warmline.db.models import Escalation
from warmline.escalation import acks
from warmline.escalation.policy import add_action, get_json, set_json

MAX_NOTE = 1000


class EscalationError(ValueError):
    """The escalation does not exist, or the note is empty or too long; ``str()`` says which."""


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
