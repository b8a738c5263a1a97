"""An inbound text's first look, in one round trip, and the plain relay, in one more.

On a busy night most texts are a contact writing again in a conversation that is already open.
For those, what the text needs is read together (``run_together``: one round trip to PostgreSQL
instead of three): its ``MessageSid`` recorded (a repeat does nothing), the volunteer who sent it
if one did, the sender's contact row, locked, and that contact's open conversation. A **plain**
text (:func:`is_plain`) is then stored and relayed with its writes sent together as well: three
round trips with the ``COMMIT`` (the ``BEGIN`` travels with the first look), where loading ORM
objects took seven (``bench/profile_relay.py`` counts them).

Everything else (a new contact, a keyword, anything the escalation scan finds, a picture, a
blocked or opted-out contact, no open conversation) goes the general way
(``inbound._contact_message``), which reads again what it needs: the contact's row lock is
already held, so nothing can change in between.

The lock comes first: a second text from the same number waits there until the first one's
transaction ends, and the conversation query after it, started only then, sees what the first
committed (READ COMMITTED takes a new snapshot per statement).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from warmline.context import Context
from warmline.db.engine import run_together
from warmline.db.models import Base, Contact, Conversation, Volunteer, WebhookEvent
from warmline.routing import relay
from warmline.routing.conversations import INSERT_MESSAGE, from_contact, message_values
from warmline.words import keyword, language_choice

CONTACTS = Base.metadata.tables[Contact.__tablename__]
CONVERSATIONS = Base.metadata.tables[Conversation.__tablename__]
VOLUNTEERS = Base.metadata.tables[Volunteer.__tablename__]
EVENTS = Base.metadata.tables[WebhookEvent.__tablename__]


@dataclass(frozen=True)
class ContactRow:
    id: int
    alias: str
    blocked: bool
    opted_out: bool


@dataclass(frozen=True)
class ConversationRow:
    id: int
    status: str
    relay_number: str | None
    awaiting_reply_since: dt.datetime | None
    volunteer_id: int | None
    volunteer_phone: str | None


@dataclass(frozen=True)
class Arrival:
    first_time: bool  # False: this MessageSid was already acted on
    volunteer_id: int | None = None  # the sender, when a volunteer's phone sent the text
    contact: ContactRow | None = None  # the sender's contact, row-locked, when they have one
    conversation: ConversationRow | None = None  # that contact's open text conversation


# Built once, since only the parameters change from one text to the next: building an
# INSERT ... ON CONFLICT per request cost about as much Python as executing it.
RECORD = {
    "postgresql": postgresql.insert(EVENTS).on_conflict_do_nothing(index_elements=[EVENTS.c.sid]),
    "sqlite": sqlite.insert(EVENTS).on_conflict_do_nothing(index_elements=[EVENTS.c.sid]),
}
# A text's record also says which volunteer, if any, sent it.
SENDING_VOLUNTEER = (
    select(VOLUNTEERS.c.id).where(VOLUNTEERS.c.phone == bindparam("sender")).scalar_subquery()
)
RECORD_SMS = {
    name: insert.returning(EVENTS.c.id, SENDING_VOLUNTEER) for name, insert in RECORD.items()
}
LOCK_CONTACT_ROW = (
    select(CONTACTS.c.id, CONTACTS.c.alias, CONTACTS.c.blocked, CONTACTS.c.opted_out)
    .where(CONTACTS.c.number_hash == bindparam("number_hash"))
    .with_for_update()
)
OPEN_CONVERSATION_ROW = (
    select(
        CONVERSATIONS.c.id,
        CONVERSATIONS.c.status,
        CONVERSATIONS.c.relay_number,
        CONVERSATIONS.c.awaiting_reply_since,
        VOLUNTEERS.c.id,
        VOLUNTEERS.c.phone,
    )
    .select_from(
        CONVERSATIONS.outerjoin(VOLUNTEERS, VOLUNTEERS.c.id == CONVERSATIONS.c.volunteer_id)
    )
    .where(
        CONVERSATIONS.c.contact_id
        == select(CONTACTS.c.id)
        .where(CONTACTS.c.number_hash == bindparam("number_hash"))
        .scalar_subquery(),
        CONVERSATIONS.c.channel == "sms",
        CONVERSATIONS.c.status != "closed",
    )
)


def arrive(
    session: Session, sid: str, sender_phone: str | None, number_hash: str, now: dt.datetime
) -> Arrival:
    """Record the text ``sid`` and read what acting on it needs, in one round trip."""
    dialect = session.get_bind().dialect.name
    recorded, contacts, conversations = run_together(
        session,
        [
            (RECORD_SMS[dialect], {"sid": sid, "kind": "sms", "received_at": now,
                                   "sender": sender_phone}),
            (LOCK_CONTACT_ROW, {"number_hash": number_hash}),
            (OPEN_CONVERSATION_ROW, {"number_hash": number_hash}),
        ],
    )  # fmt: skip
    if not recorded:
        return Arrival(first_time=False)
    return Arrival(
        first_time=True,
        volunteer_id=recorded[0][1],
        contact=ContactRow(*contacts[0]) if contacts else None,
        conversation=ConversationRow(*conversations[0]) if conversations else None,
    )


def is_plain(
    arrival: Arrival, body: str, num_media: int, scan: Callable[[str], Any] | None
) -> bool:
    """A known contact's ordinary text in their open conversation, with nothing else to do."""
    contact, conv = arrival.contact, arrival.conversation
    if contact is None or conv is None or contact.blocked or contact.opted_out:
        return False
    if num_media or not body or keyword(body) is not None:
        return False
    if language_choice(body) is not None:
        return False
    if conv.status == "assigned":
        if conv.volunteer_id is None or conv.volunteer_phone is None:
            return False
    elif conv.status != "queued":
        return False
    return scan is None or scan(body).level == "none"


def relay_plain(
    session: Session, ctx: Context, arrival: Arrival, body: str, now: dt.datetime
) -> None:
    """Store a plain text and, when its conversation is assigned, relay it to the volunteer
    (``relay.decide``), all in one round trip."""
    contact, conv = arrival.contact, arrival.conversation
    assert contact is not None and conv is not None
    message = from_contact(contact.id, body, 0, now)
    message.conversation_id = conv.id
    batch: list[relay.Write] = [(INSERT_MESSAGE, message_values(message))]
    if conv.status == "assigned" and conv.volunteer_id is not None and conv.volunteer_phone:
        decided = relay.decide(contact.alias, body, 0, conv.awaiting_reply_since is not None)
        route = relay.Route(conv.id, conv.volunteer_id, conv.volunteer_phone, conv.relay_number)
        batch += relay.writes(session, ctx, decided, route, now)
    run_together(session, batch)
