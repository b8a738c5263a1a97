"""Reading a conversation's transcript: coordinators only, with a stated reason, audited.

Everything else about conversations (the metadata list) is a read model,
:func:`warmline.queries.conversations.page`, open to every role that may see conversations.
A transcript holds what a person in distress wrote, so the view itself is a recorded act: the
audit entry (``transcript.view``, with the reason) is written in the same unit of work that
reads the messages, so there is no read without its record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline.accounts.roles import can
from warmline.audit import Actor, looks_like_phone_number, record
from warmline.queries.conversations import Transcript, transcript

MIN_REASON = 5
MAX_REASON = 300


class TranscriptRefused(Exception):
    """The actor may not read transcripts, or gave no usable reason; ``str()`` says which."""


class NoSuchConversation(LookupError):
    pass


def view_transcript(
    session: Session, actor: Actor, conversation_id: int, reason: str, now: dt.datetime
) -> Transcript:
    """The messages of conversation ``conversation_id`` for ``actor``, recorded in the audit log
    with ``reason`` (MIN_REASON..MAX_REASON characters, without a phone number).

    Raises TranscriptRefused for a role without "view_transcript" or a missing reason, and
    NoSuchConversation when there is none by that id.
    """
    if not can(actor.role, "view_transcript"):
        raise TranscriptRefused("Only coordinators may read transcripts.")
    why = " ".join(reason.split())
    if len(why) < MIN_REASON:
        raise TranscriptRefused("Say why you need to read this conversation.")
    if len(why) > MAX_REASON:
        raise TranscriptRefused(f"Keep the reason under {MAX_REASON} characters.")
    if looks_like_phone_number(why):
        raise TranscriptRefused("Give the reason without a phone number.")
    found = transcript(session, conversation_id)
    if found is None:
        raise NoSuchConversation(f"There is no conversation #{conversation_id}.")
    record(
        session, actor, "transcript.view", target=f"conversation:{conversation_id}",
        detail=why, at=now,
    )  # fmt: skip
    return found
