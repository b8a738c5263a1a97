"""Messages from volunteers' phones: commands and replies (SPEC §6)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.command_call import (
    NO_CONVERSATION,
    CommandCall,
    Handler,
    bound_conversation,
)
from warmline.context import Context
from warmline.db.engine import lock_assignment
from warmline.db.models import Conversation, Volunteer
from warmline.escalation import commands as escalation_commands
from warmline.routing import callbacks, conversations, queue
from warmline.scheduling.store import on_shift_now
from warmline.words import command


def volunteer_message(
    session: Session,
    ctx: Context,
    volunteer: Volunteer,
    to: str,
    body: str,
    num_media: int,
    now: dt.datetime,
) -> None:
    """Act on a text from ``volunteer`` sent to the line's number ``to``."""

    def reply(text: str) -> None:
        ctx.text_volunteer(session, volunteer, text, "notice", now, from_=to)

    if not volunteer.active:
        reply("Your warmline account is not active. Please contact your coordinator.")
        return
    cmd = command(body)
    if cmd is not None:
        handler = COMMANDS.get(cmd.name)
        if handler is None:
            reply(f"Unknown command #{cmd.name}. " + texts.COMMANDS_HELP)
            return
        handler(CommandCall(session, ctx, volunteer, to, cmd, now, reply))
        return
    conv = bound_conversation(session, volunteer, to)
    if conv is None:
        reply(NO_CONVERSATION)
        return
    if num_media:
        reply("Pictures are not forwarded to contacts; only your text was sent.")
    if body.strip():
        conversations.volunteer_replied(session, ctx, conv, volunteer, body, now)


def _end(call: CommandCall) -> None:
    conv = call.conversation()
    if conv is None:
        return
    alias = conv.contact.alias
    conversations.close(
        call.session,
        call.ctx,
        conv,
        call.now,
        reason="ended",
        note=call.command.argument or None,
        tell_contact=texts.render(call.ctx.settings, "closing", lang=conv.contact.language),
    )
    call.reply(f"Conversation with {alias} closed. Thank you.")


def _pass(call: CommandCall) -> None:
    conv = call.conversation()
    if conv is None:
        return
    alias = conv.contact.alias
    successor = conversations.hand_over(call.session, call.ctx, conv, call.now, reason="pass")
    if successor is None:
        call.reply(f"{alias} is back at the front of the queue; the next free volunteer gets them.")
    else:
        call.reply(f"{alias} was handed to another volunteer. Thank you.")


def _off(call: CommandCall) -> None:
    call.volunteer.paused = True
    call.reply(
        "Paused: you will get no new conversations. Your open ones stay with you. #on to resume."
    )


def _on(call: CommandCall) -> None:
    lock_assignment(call.session)  # before touching the volunteer's row, as assignment does
    call.volunteer.paused = False
    call.session.flush()
    call.reply("Welcome back: you can get new conversations again.")
    queue.drain_queue(call.session, call.ctx, call.now)


def _status(call: CommandCall) -> None:
    session, ctx, v, now = call.session, call.ctx, call.volunteer, call.now
    mine = session.scalars(
        select(Conversation)
        .where(Conversation.volunteer_id == v.id, Conversation.status == "assigned")
        .order_by(Conversation.assigned_at)
    ).all()
    queued = session.scalar(
        select(func.count(Conversation.id)).where(Conversation.status == "queued")
    )
    shift = on_shift_now(session, ctx.settings.line.timezone, now).get(v.id)
    lines = [f"Open conversations: {len(mine)} of {v.capacity}."]
    lines += [f"- {c.contact.alias} on {c.relay_number}" for c in mine if c.relay_number]
    lines.append(f"Waiting in the queue: {queued}.")
    if callbacks_waiting := queue.waiting(session):
        lines.append(f"Voicemails to call back: {callbacks_waiting} (#callback takes one).")
    if shift is None:
        lines.append("You are not on shift now.")
    else:
        lines.append(f"On shift until {texts.local_time_phrase(ctx.settings, shift.end, now)}.")
    if v.paused:
        lines.append("You are paused (#on to resume).")
    call.reply("\n".join(lines))


def _help(call: CommandCall) -> None:
    call.reply(texts.COMMANDS_HELP)


def _callback(call: CommandCall) -> None:
    call.reply(callbacks.claim(call.session, call.ctx, call.volunteer, call.now))


COMMANDS: dict[str, Handler] = {
    "end": _end,
    "pass": _pass,
    "off": _off,
    "on": _on,
    "status": _status,
    "help": _help,
    "escalate": escalation_commands.escalate,
    "ack": escalation_commands.ack,
    "callback": _callback,
}
