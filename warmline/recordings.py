"""Voicemail recordings: forgetting ours and deleting Twilio's copies, retried until done.

A voicemail lives on its (voice) conversation row in three states:

1. **kept**: ``recording_sid`` and ``recording_url`` set; a volunteer can hear it on a callback;
2. **ours forgotten, Twilio's copy pending**: ``recording_url`` NULL, ``recording_sid`` set.
   Warmline keeps no audio of its own (Twilio stores it and warmline plays it from
   ``recording_url``), so forgetting the URL is deleting our copy; the SID stays only to delete
   Twilio's;
3. **gone**: both NULL. ``recording_seconds`` stays: a duration is an anonymous figure.

Only closed conversations are forgotten (:func:`forget`), so state 2 never hides a callback
request still waiting for a volunteer. :func:`delete_at_twilio` moves state 2 to 3; any
failure leaves the row in state 2 for the next housekeeping run, and Twilio's 404 counts as
done, so every step is safe to repeat.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from warmline.db.engine import Database
from warmline.db.models import Conversation
from warmline.outbox import SendFailure
from warmline.telephony.port import Telephony

log = logging.getLogger(__name__)

# Twilio's copy still to be deleted (state 2 above).
PENDING_AT_TWILIO = (Conversation.recording_sid.is_not(None), Conversation.recording_url.is_(None))


def forget(session: Session, conversation_ids: Iterable[int]) -> int:
    """Forget our copy of the recordings of these conversations (closed ones only: an open
    callback request still needs its message); how many were forgotten."""
    ids = list(conversation_ids)
    if not ids:
        return 0
    result = session.execute(
        update(Conversation)
        .where(
            Conversation.id.in_(ids),
            Conversation.status == "closed",
            Conversation.recording_url.is_not(None),
        )
        .values(recording_url=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def expired(session: Session, cutoff: dt.datetime) -> list[int]:
    """Closed conversations started before ``cutoff`` whose recording we still keep."""
    return list(
        session.scalars(
            select(Conversation.id).where(
                Conversation.recording_url.is_not(None),
                Conversation.status == "closed",
                Conversation.created_at < cutoff,
            )
        )
    )


def pending_sids(session: Session, conversation_ids: Iterable[int] | None = None) -> list[str]:
    """Recording SIDs whose Twilio copy is still to be deleted (of these conversations only,
    when given)."""
    query = select(Conversation.recording_sid).where(*PENDING_AT_TWILIO)
    if conversation_ids is not None:
        query = query.where(Conversation.id.in_(list(conversation_ids)))
    return [sid for sid in session.scalars(query) if sid is not None]


def delete_sids(deleter: Telephony, sids: Iterable[str]) -> tuple[list[str], int]:
    """Ask Twilio to delete each recording: (the SIDs it deleted or no longer had, how many
    failed). Failures are logged (SID and reason only) and left for a later try."""
    done: list[str] = []
    failed = 0
    for sid in sids:
        try:
            deleter.delete_recording(sid)
        except SendFailure as exc:
            failed += 1
            kind = "will retry" if exc.transient else "check the Twilio credentials"
            log.warning("recording %s not deleted at Twilio (%s): %s", sid, kind, exc)
            continue
        done.append(sid)
    return done, failed


def mark_deleted(session: Session, sids: Iterable[str]) -> None:
    """Twilio no longer has these recordings: drop their SIDs (state 3)."""
    done = list(sids)
    if done:
        session.execute(
            update(Conversation)
            .where(Conversation.recording_sid.in_(done), Conversation.recording_url.is_(None))
            .values(recording_sid=None)
            .execution_options(synchronize_session=False)
        )


def delete_at_twilio(db: Database, deleter: Telephony, limit: int = 200) -> tuple[int, int]:
    """Delete Twilio's copies of every forgotten recording, at most ``limit`` per run:
    (deleted, failed). No transaction stays open while Twilio is asked."""
    with db.unit_of_work() as session:
        sids = pending_sids(session)[:limit]
    done, failed = delete_sids(deleter, sids)
    with db.unit_of_work() as session:
        mark_deleted(session, done)
    return len(done), failed
