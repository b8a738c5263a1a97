"""The escalation commands (SPEC §6): ``#escalate [note]`` and ``#ack [id]``.

* ``#escalate [note]`` from a volunteer raises a crisis escalation of the conversation bound to
  the relay number they texted; the supervisors on shift are alerted (coordinators when none);
  the contact is sent nothing.
* ``#ack [id]`` from a supervisor acknowledges (``acks.acknowledge``); anyone else gets a polite
  refusal. From a coordinators' alert number it is accepted too (``coordinator_message``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline import outbox, texts
from warmline.command_call import CommandCall
from warmline.context import Context
from warmline.escalation import acks, notices, policy
from warmline.words import command


def escalate(call: CommandCall) -> None:
    conv = call.conversation()
    if conv is None:
        return
    esc, targets = policy.raise_by_volunteer(
        call.session, call.ctx, call.volunteer, conv, call.command.argument or None, call.now
    )
    alerted = notices.alerted_phrase(targets)
    name = "escalation_raised" if targets else "escalation_raised_nobody"
    settings, alias = call.ctx.settings, conv.contact.alias
    crisis_line = settings.line.crisis_line
    call.reply(
        texts.render(
            settings, name, id=esc.id, alias=alias, alerted=alerted, crisis_line=crisis_line
        )
    )


def ack(call: CommandCall) -> None:
    if not acks.may_acknowledge(call.session, call.ctx, call.volunteer, call.now):
        call.reply(texts.render(call.ctx.settings, "ack_not_a_supervisor"))
        return
    call.reply(
        acks.acknowledge(
            call.session, call.ctx, call.command.argument, call.now, volunteer=call.volunteer
        )
    )


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
