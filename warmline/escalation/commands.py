"""The escalation commands (SPEC §6): ``#escalate [note]`` and ``#ack [id]``.

* ``#escalate [note]`` from a volunteer raises a crisis escalation of the conversation bound to
  the relay number they texted; the supervisors on shift are alerted (coordinators when none);
  the contact is sent nothing.
* ``#ack [id]`` from a supervisor acknowledges (``acks.acknowledge``); anyone else gets a polite
  refusal. From a coordinators' alert number it is accepted too (``coordinator_message``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from warmline import outbox
from warmline.db.models import Volunteer
from warmline.escalation import acks, notices, policy
from warmline.routing.context import Context
from warmline.routing.words import Command, command

Reply = Callable[[str], None]

NOT_A_SUPERVISOR = (
    "Only a supervisor can acknowledge an escalation. If you need help with a conversation, "
    "text #escalate [note] on its number."
)


def escalate(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    # Imported here: routing.volunteers imports this module for its COMMANDS table.
    from warmline.routing.volunteers import NO_CONVERSATION, bound_conversation

    conv = bound_conversation(session, v, to)
    if conv is None:
        reply(NO_CONVERSATION)
        return
    esc, targets = policy.raise_by_volunteer(session, ctx, v, conv, cmd.argument or None, now)
    alerted = notices.alerted_phrase(targets)
    if targets == ["coordinators:0"]:
        alerted += f" (phone your coordinator, or {ctx.settings.line.crisis_line})"
    reply(
        f"Escalation #{esc.id} about {conv.contact.alias}: {alerted}. Nothing was sent to "
        f"{conv.contact.alias}; stay with them."
    )


def ack(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    if not acks.may_acknowledge(session, ctx, v, now):
        reply(NOT_A_SUPERVISOR)
        return
    reply(acks.acknowledge(session, ctx, cmd.argument, now, volunteer=v))


def coordinator_message(
    session: Session, ctx: Context, number: str | None, body: str, now: dt.datetime
) -> bool:
    """``#ack [id]`` texted from a coordinators' alert number; False when ``body`` is not one
    (the text is then an ordinary contact's message)."""
    cmd = command(body)
    if number is None or number not in ctx.settings.coordinator_numbers:
        return False
    if cmd is None or cmd.name != "ack":
        return False
    outbox.enqueue(
        session,
        to=ctx.to_number(number),
        from_=ctx.settings.line.public_number,
        body=acks.acknowledge(session, ctx, cmd.argument, now),
        kind="notice",
        now=now,
    )
    return True
