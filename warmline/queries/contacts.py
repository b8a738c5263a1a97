"""One contact as a coordinator sees it before exporting or erasing their data: alias and
counts, never a number (SPEC §11: no contact number ever reaches a page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline.db.models import Contact, Conversation

# An erased contact's number_hash starts so (services.contacts): no number hashes to it.
ERASED_HASH_PREFIX = "erased:"


@dataclass(frozen=True)
class ContactSummary:
    id: int
    alias: str
    first_contact_at: dt.datetime
    last_contact_at: dt.datetime | None
    conversations: int
    calls: int
    voicemails: int  # recordings still kept
    blocked: bool
    opted_out: bool
    erased: bool


def summary(session: Session, contact_id: int) -> ContactSummary | None:
    """The contact with id ``contact_id``, or None when there is none."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return None
    count, calls, voicemails, last = session.execute(
        select(
            func.count(Conversation.id),
            func.count(Conversation.id).filter(Conversation.channel == "voice"),
            func.count(Conversation.recording_sid),
            func.max(Conversation.created_at),
        ).where(Conversation.contact_id == contact_id)
    ).one()
    return ContactSummary(
        id=contact.id,
        alias=contact.alias,
        first_contact_at=contact.created_at,
        last_contact_at=last,
        conversations=count,
        calls=calls,
        voicemails=voicemails,
        blocked=contact.blocked,
        opted_out=contact.opted_out,
        erased=contact.number_hash.startswith(ERASED_HASH_PREFIX),
    )
