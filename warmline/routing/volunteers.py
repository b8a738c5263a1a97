"""Messages from volunteers' phones: commands and replies (SPEC §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline.db.engine import lock_assignment
from warmline.db.models import Conversation, Volunteer
from warmline.escalation import commands as escalation_commands
from warmline.routing import assignment, callbacks, conversations, texts
from warmline.routing.context import Context
from warmline.routing.words import Command, command
from warmline.scheduling.store import on_shift_now

NO_CONVERSATION = (
    "There is no open conversation on this number, so your message was not sent to anyone. "
    "Text #status to see your conversations, #help for commands."
)


def bound_conversation(
    session: Session, volunteer: Volunteer, relay_number: str
) -> Conversation | None:
    return session.scalars(
        select(Conversation).where(
            Conversation.volunteer_id == volunteer.id,
            Conversation.relay_number == relay_number,
            Conversation.status == "assigned",
        )
    ).first()


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
        handler(session, ctx, volunteer, to, cmd, now, reply)
        return
    conv = bound_conversation(session, volunteer, to)
    if conv is None:
        reply(NO_CONVERSATION)
        return
    if num_media:
        reply("Pictures are not forwarded to contacts; only your text was sent.")
    if body.strip():
        conversations.volunteer_replied(session, ctx, conv, volunteer, body, now)


Reply = Callable[[str], None]


def _end(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    conv = bound_conversation(session, v, to)
    if conv is None:
        reply(NO_CONVERSATION)
        return
    alias = conv.contact.alias
    conversations.close(
        session,
        ctx,
        conv,
        now,
        reason="ended",
        note=cmd.argument or None,
        tell_contact=texts.render(ctx.settings, "closing"),
    )
    reply(f"Conversation with {alias} closed. Thank you.")


def _pass(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    conv = bound_conversation(session, v, to)
    if conv is None:
        reply(NO_CONVERSATION)
        return
    alias = conv.contact.alias
    successor = conversations.hand_over(session, ctx, conv, now, reason="pass")
    if successor is None:
        reply(f"{alias} is back at the front of the queue; the next free volunteer gets them.")
    else:
        reply(f"{alias} was handed to another volunteer. Thank you.")


def _off(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    v.paused = True
    reply("Paused: you will get no new conversations. Your open ones stay with you. #on to resume.")


def _on(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    lock_assignment(session)  # before touching the volunteer's row, as assignment does
    v.paused = False
    session.flush()
    reply("Welcome back: you can get new conversations again.")
    assignment.drain_queue(session, ctx, now)


def _status(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
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
    if callbacks_waiting := callbacks.waiting(session):
        lines.append(f"Voicemails to call back: {callbacks_waiting} (#callback takes one).")
    if shift is None:
        lines.append("You are not on shift now.")
    else:
        lines.append(f"On shift until {texts.local_time_phrase(ctx.settings, shift.end, now)}.")
    if v.paused:
        lines.append("You are paused (#on to resume).")
    reply("\n".join(lines))


def _help(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    reply(texts.COMMANDS_HELP)


def _callback(
    session: Session,
    ctx: Context,
    v: Volunteer,
    to: str,
    cmd: Command,
    now: dt.datetime,
    reply: Reply,
) -> None:
    reply(callbacks.claim(session, ctx, v, now))


Handler = Callable[[Session, Context, Volunteer, str, Command, dt.datetime, Reply], None]
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
