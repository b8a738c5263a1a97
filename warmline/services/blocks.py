"""Blocking a number (SPEC §12), audited: coordinators only (``block_numbers``).

The rule (no routing, no replies, its open conversation closed) is
:mod:`warmline.routing.blocking`'s; this layer checks the role and records who blocked whom. The
audit entry names the contact by record id, never by number.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline.accounts.roles import require
from warmline.audit import Actor, record
from warmline.context import Context
from warmline.db.models import Contact
from warmline.routing import blocking


def block(
    session: Session, ctx: Context, actor: Actor, number: str, now: dt.datetime
) -> tuple[Contact, bool]:
    """Block ``number``; returns its contact and whether it was not blocked already."""
    require(actor.role, "block_numbers")
    contact, newly = blocking.block(session, ctx, number, now)
    if newly:
        record(session, actor, "contact.block", target=f"contact:{contact.id}", at=now)
    return contact, newly


def unblock(
    session: Session, ctx: Context, actor: Actor, number: str, now: dt.datetime
) -> Contact | None:
    """Unblock ``number``; None when it was not blocked."""
    require(actor.role, "block_numbers")
    contact = blocking.unblock(session, ctx, number, now)
    if contact is not None:
        record(session, actor, "contact.unblock", target=f"contact:{contact.id}", at=now)
    return contact
