"""Messages from volunteers' phones: commands and replies (SPEC §6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.command_call import CommandCall, Handler, bound_conversation
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

    def say(name: str, **values: Any) -> None:
        reply(texts.render(ctx.settings, name, **values))

    if not volunteer.active:
        say("account_inactive")
        return
    cmd = command(body)
    if cmd is not None:
        handler = COMMANDS.get(cmd.name)
        if handler is None:
            say("unknown_command", command=cmd.name)
            return
        handler(CommandCall(session, ctx, volunteer, to, cmd, now, reply))
        return
    conv = bound_conversation(session, volunteer, to)
    if conv is None:
        say("no_conversation")
        return
    if num_media:
        say("pictures_not_sent")
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
    call.reply(texts.render(call.ctx.settings, "ended", alias=alias))


def _pass(call: CommandCall) -> None:
    conv = call.conversation()
    if conv is None:
        return
    alias = conv.contact.alias
    successor = conversations.hand_over(call.session, call.ctx, conv, call.now, reason="pass")
    name = "passed_to_queue" if successor is None else "passed_on"
    call.reply(texts.render(call.ctx.settings, name, alias=alias))


def _off(call: CommandCall) -> None:
    call.volunteer.paused = True
    call.reply(texts.render(call.ctx.settings, "paused"))


def _on(call: CommandCall) -> None:
    lock_assignment(call.session)  # before touching the volunteer's row, as assignment does
    call.volunteer.paused = False
    call.session.flush()
    call.reply(texts.render(call.ctx.settings, "resumed"))
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

    def line(name: str, **values: Any) -> str:
        return texts.render(ctx.settings, name, **values)

    lines = [line("status_open", open=len(mine), capacity=v.capacity)]
    lines += [
        line("status_conversation", alias=c.contact.alias, number=c.relay_number)
        for c in mine
        if c.relay_number
    ]
    lines.append(line("status_queue", waiting=queued))
    if callbacks_waiting := queue.waiting(session):
        lines.append(line("status_callbacks", waiting=callbacks_waiting))
    if shift is None:
        lines.append(line("status_off_shift"))
    else:
        until = texts.local_time_phrase(ctx.settings, shift.end, now)
        lines.append(line("status_on_shift", until=until))
    if v.paused:
        lines.append(line("status_paused"))
    call.reply("\n".join(lines))


def _help(call: CommandCall) -> None:
    call.reply(texts.render(call.ctx.settings, "commands_help"))


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
