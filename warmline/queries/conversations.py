"""Conversations as metadata, and one conversation's transcript.

``page`` lists conversations by alias and ``contact_id`` only: never a phone number, never a
message body. ``transcript`` returns the bodies of one conversation; it records nothing itself,
so its caller (the coordinators' service behind the dashboard, API and CLI) must check the
coordinator role, take a reason and write the audit entry (``transcript.view``) in the same unit
of work.

A conversation's **outcome**: for a call, how it ended (``answered``, ``missed``, ``voicemail``,
``crisis-transfer``, ``abandoned``); for a text conversation, why it closed (``ended``, ``idle``,
``opted_out``, ``blocked``, ...); ``open`` while neither is known yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from warmline.db.models import Contact, Conversation, Message, Volunteer
from warmline.queries.sql import whole_seconds

T = TypeVar("T")
MAX_LIMIT = 500

OUTCOME: ColumnElement[str] = func.coalesce(Conversation.outcome, Conversation.close_reason, "open")


@dataclass(frozen=True)
class Page(Generic[T]):
    """``items`` from ``offset``, at most ``limit`` of them, out of ``total`` matching."""

    items: tuple[T, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class ConversationRow:
    """A conversation's metadata. ``first_response_s``: from its start to a volunteer's first
    reply (a call: to being answered); ``duration_s``: from its start to its close (None while
    open); ``volunteer``: the one who has it, or had it last."""

    conversation_id: int
    contact_id: int
    alias: str
    channel: str
    volunteer_id: int | None
    volunteer_name: str | None
    started_at: dt.datetime
    closed_at: dt.datetime | None
    first_response_s: int | None
    duration_s: int | None
    outcome: str
    escalated: bool


@dataclass(frozen=True)
class Line:
    """One message of a transcript. ``direction``: ``in`` from the contact, ``out`` to them
    (a volunteer's reply); ``body`` is None once the retention period has purged it."""

    at: dt.datetime
    direction: str
    author: str
    volunteer_name: str | None
    body: str | None
    num_media: int


@dataclass(frozen=True)
class Transcript:
    conversation: ConversationRow
    lines: tuple[Line, ...]


_COLUMNS = (
    Conversation.id,
    Conversation.contact_id,
    Contact.alias,
    Conversation.channel,
    Conversation.volunteer_id,
    Volunteer.name,
    Conversation.created_at,
    Conversation.closed_at,
    Conversation.first_response_at,
    OUTCOME,
    Conversation.escalated,
)


def page(
    session: Session,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    volunteer_id: int | None = None,
    escalated: bool | None = None,
    outcome: str | None = None,
    channel: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ConversationRow]:
    """Conversations started in ``[since, until)`` (either bound optional), newest first.

    Filters left None match everything; ``volunteer_id`` matches the volunteer who has (or
    last had) the conversation; ``outcome`` as in the module doc. ``limit`` is clamped to
    1..500, ``offset`` to 0 or more; ``total`` counts every match.
    """
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(Conversation.created_at >= since)
    if until is not None:
        where.append(Conversation.created_at < until)
    if volunteer_id is not None:
        where.append(Conversation.volunteer_id == volunteer_id)
    if escalated is not None:
        where.append(Conversation.escalated.is_(escalated))
    if outcome is not None:
        where.append(OUTCOME == outcome)
    if channel is not None:
        where.append(Conversation.channel == channel)
    total = session.scalar(select(func.count(Conversation.id)).where(*where)) or 0
    rows = session.execute(
        select(*_COLUMNS)
        .join(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(Volunteer, Volunteer.id == Conversation.volunteer_id)
        .where(*where)
        .order_by(Conversation.created_at.desc(), Conversation.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(tuple(_row(*r) for r in rows), total, limit, offset)


def transcript(session: Session, conversation_id: int) -> Transcript | None:
    """Conversation ``conversation_id``'s metadata and messages in order, or None.

    Bodies are returned: the caller checks the role, takes a reason and audits the view.
    """
    found = session.execute(
        select(*_COLUMNS)
        .join(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(Volunteer, Volunteer.id == Conversation.volunteer_id)
        .where(Conversation.id == conversation_id)
    ).first()
    if found is None:
        return None
    rows = session.execute(
        select(Message.created_at, Message.author, Volunteer.name, Message.body, Message.num_media)
        .outerjoin(Volunteer, Volunteer.id == Message.volunteer_id)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.created_at, Message.id)
    ).all()
    lines = tuple(
        Line(at, "in" if author == "contact" else "out", author, name, body, media)
        for at, author, name, body, media in rows
    )
    return Transcript(_row(*found), lines)


def _row(
    cid: int,
    contact_id: int,
    alias: str,
    channel: str,
    volunteer_id: int | None,
    volunteer_name: str | None,
    started: dt.datetime,
    closed: dt.datetime | None,
    first_response: dt.datetime | None,
    outcome: str,
    escalated: bool,
) -> ConversationRow:
    return ConversationRow(
        conversation_id=cid,
        contact_id=contact_id,
        alias=alias,
        channel=channel,
        volunteer_id=volunteer_id,
        volunteer_name=volunteer_name,
        started_at=started,
        closed_at=closed,
        first_response_s=whole_seconds(first_response, started),
        duration_s=whole_seconds(closed, started),
        outcome=outcome,
        escalated=escalated,
    )
