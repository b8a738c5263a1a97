"""Blocking a number (SPEC §12): a blocked contact is never routed and never answered.

Their messages are still stored (and purged with everything else after the retention period),
so a coordinator can see that a blocked number keeps writing. Blocking closes the contact's open
conversation, telling its volunteer; the contact is told nothing.

A coordinator types the number: it must be a whole phone number, in international form or in
the line's own national format (``5551230009`` in the US); ``555-0666`` is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from warmline.context import Context
from warmline.db.contacts import find_contact
from warmline.db.models import Contact
from warmline.people import blocked_contacts, phone, set_blocked
from warmline.privacy import Vault, parse_address
from warmline.routing import conversations


@dataclass(frozen=True)
class BlockedNumber:
    """What ``block list`` shows: never the whole number, only enough to tell two apart."""

    contact_id: int
    alias: str
    last_four: str
    blocked_at: dt.datetime | None  # None: blocked before the date was recorded


def block(session: Session, ctx: Context, number: str, now: dt.datetime) -> tuple[Contact, bool]:
    """Block ``number`` (a contact is created when it never wrote) and close its conversation.

    Returns the contact and whether it was newly blocked (False: it already was, nothing
    changes). AdminError when ``number`` is not a phone number.
    """
    number = phone(number, ctx.settings.line.region)
    known = find_contact(session, ctx.vault, parse_address(number))
    if known is not None and known.blocked:
        return known, False
    contact = set_blocked(session, ctx.vault, number, True, now)
    assert contact is not None  # blocking creates the contact when needed
    conversations.close_for_contact(
        session,
        ctx,
        contact,
        now,
        reason="blocked",
        tell="contact_blocked",
    )
    return contact, True


def unblock(session: Session, ctx: Context, number: str, now: dt.datetime) -> Contact | None:
    """Unblock ``number``; None when it was never seen. AdminError when not a phone number."""
    return set_blocked(session, ctx.vault, phone(number, ctx.settings.line.region), False, now)


def blocked_numbers(session: Session, vault: Vault) -> list[BlockedNumber]:
    """Blocked contacts, longest blocked first, with the last four digits of their number."""
    return [
        BlockedNumber(c.id, c.alias, vault.decrypt(c.number_encrypted)[-4:], c.blocked_at)
        for c in blocked_contacts(session)
    ]
