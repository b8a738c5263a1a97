"""Relaying a contact's text to their volunteer (SPEC §5), written once.

The rule (:func:`decide`, pure): a text with pictures tells the volunteer how many pictures came
(warmline does not forward them), then its words, if any, are relayed as ``[alias] words``; both
go from the conversation's relay number (else the line's public number) as kind ``relay``. The
response clock starts when it is not already running: the conversation waits for a reply from
now, and the ``response`` timer is due ``timeouts.response_minutes`` later.

Its writes (:func:`writes`) are prebuilt Core statements that the caller sends together with its
own (``db.engine.run_together``): the short way of a plain text (``routing.arrival``) adds the
message's own INSERT to them, the general way (``conversations.contact_said``, the briefing of a
newly assigned volunteer) sends them alone. Either way, one round trip on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, bindparam, update
from sqlalchemy.orm import Session

from warmline import outbox, texts
from warmline.context import Context
from warmline.db.models import Base, Conversation
from warmline.scheduling.timers import ARM_TIMER, timer_values

CONVERSATIONS = Base.metadata.tables[Conversation.__tablename__]
AWAIT_REPLY = (
    update(CONVERSATIONS)
    .where(CONVERSATIONS.c.id == bindparam("conversation_id"))
    .values(awaiting_reply_since=bindparam("since"))
)
Write = tuple[Executable, Mapping[str, Any]]


@dataclass(frozen=True)
class Relay:
    """What relaying one message does: the texts to send the volunteer, in order, and whether
    the response clock starts."""

    texts: tuple[str, ...]
    start_clock: bool


def decide(alias: str, body: str | None, num_media: int, clock_running: bool) -> Relay:
    """The relay of a message from ``alias`` with ``body`` and ``num_media`` pictures (module
    doc); ``clock_running``: the conversation already waits for the volunteer's reply."""
    sent: list[str] = []
    if num_media:
        name = "relay_picture" if num_media == 1 else "relay_pictures"
        sent.append(texts.fixed(name, alias=alias, count=num_media))
    if body:
        sent.append(texts.fixed("relay", alias=alias, body=body))
    return Relay(tuple(sent), start_clock=not clock_running)


@dataclass(frozen=True)
class Route:
    """Where a conversation's relays go: its volunteer and the number they see it on."""

    conversation_id: int
    volunteer_id: int
    volunteer_phone: str
    relay_number: str | None


def writes(
    session: Session, ctx: Context, relay: Relay, route: Route, now: dt.datetime
) -> list[Write]:
    """The statements (for ``run_together``) that carry out ``relay`` along ``route``: the
    outbox rows, then, when the clock starts, the conversation's wait and its response timer."""
    to = ctx.to_volunteer_phone(route.volunteer_id, route.volunteer_phone)
    from_ = route.relay_number or ctx.settings.line.public_number
    out: list[Write] = [
        (outbox.INSERT_OUTBOUND, row)
        for text in relay.texts
        for row in outbox.outbound_rows(to, from_, text, "relay", now, route.conversation_id)
    ]
    if relay.start_clock:
        due = now + dt.timedelta(minutes=ctx.settings.timeouts.response_minutes)
        arm = ARM_TIMER[session.get_bind().dialect.name]
        out += [
            (AWAIT_REPLY, {"conversation_id": route.conversation_id, "since": now}),
            (arm, timer_values("response", route.conversation_id, due, now)),
        ]
    return out
