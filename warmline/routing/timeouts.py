"""What a fired conversation timer does. Each handler re-checks the state first and does
nothing when the timer is stale (the volunteer replied, the contact wrote again, ...)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.db.models import Conversation
from warmline.escalation.recipients import alert_chain
from warmline.routing import assignment, conversations
from warmline.routing.opening import answering
from warmline.scheduling.timers import set_timer


def response_timeout(session: Session, ctx: Context, conv_id: int, now: dt.datetime) -> None:
    conv = session.get(Conversation, conv_id)
    limit = dt.timedelta(minutes=ctx.settings.timeouts.response_minutes)
    if (
        conv is None
        or conv.status != "assigned"
        or conv.awaiting_reply_since is None
        or now - conv.awaiting_reply_since < limit
    ):
        return
    first, alias = conv.volunteer, conv.contact.alias
    relay, minutes = conv.relay_number, ctx.settings.timeouts.response_minutes
    successor = conversations.hand_over(session, ctx, conv, now, reason="timeout")
    if first is not None:
        ctx.text_volunteer(
            session,
            first,
            texts.render(ctx.settings, "response_timeout", alias=alias, minutes=minutes),
            "notice",
            now,
            from_=relay,
        )
    if successor is None:
        alert_chain(
            session,
            ctx,
            texts.render(ctx.settings, "response_timeout_alert", alias=alias, minutes=minutes),
            now,
        )


def idle_close(session: Session, ctx: Context, conv_id: int, now: dt.datetime) -> None:
    conv = session.get(Conversation, conv_id)
    idle = dt.timedelta(minutes=ctx.settings.timeouts.idle_close_minutes)
    if conv is None or conv.status != "assigned":
        return  # a queued conversation waits for a volunteer however long it takes
    last = conversations.last_activity(session, conv)
    if now - last < idle:
        set_timer(session, "idle", conv.id, last + idle, now)
        return
    conversations.close(
        session,
        ctx,
        conv,
        now,
        reason="idle",
        tell_contact=texts.render(ctx.settings, "idle_closing", lang=conv.contact.language),
        tell_volunteer=texts.render(ctx.settings, "idle_closed", alias=conv.contact.alias),
    )


def queue_update(session: Session, ctx: Context, conv_id: int, now: dt.datetime) -> None:
    conv = session.get(Conversation, conv_id)
    if conv is None or conv.status != "queued":
        return
    every = dt.timedelta(minutes=ctx.settings.timeouts.queue_update_minutes)
    if not answering(session, ctx, now):
        # After hours the contact was told when the line opens; don't text them all night.
        set_timer(session, "queue-update", conv.id, now + every, now)
        return
    place = assignment.queue_place(session, conv)
    ctx.text_contact(
        session,
        conv.contact,
        texts.render(ctx.settings, "still_queued", lang=conv.contact.language, place=place),
        "queued",
        now,
        conv.id,
    )
    set_timer(session, "queue-update", conv.id, now + every, now)
