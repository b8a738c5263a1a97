"""Blocking a number (SPEC §12): a blocked contact is never routed and never answered.

Their messages are still stored (and purged with everything else after the retention period),
so a coordinator can see that a blocked number keeps writing. Blocking closes the contact's open
conversation, telling its volunteer; the contact is told nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline.db.models import Contact
from warmline.people import set_blocked
from warmline.routing import conversations
from warmline.routing.context import Context


def block(session: Session, ctx: Context, number: str, now: dt.datetime) -> Contact:
    """Block ``number`` (a contact is created when it never wrote) and close its conversation."""
    contact = set_blocked(session, ctx.vault, number, True, now)
    assert contact is not None  # blocking creates the contact when needed
    conversations.close_for_contact(
        session,
        ctx,
        contact,
        now,
        reason="blocked",
        why="was blocked by a coordinator and nothing more from them will reach you",
    )
    return contact


def unblock(session: Session, ctx: Context, number: str, now: dt.datetime) -> Contact | None:
    """Unblock ``number``; None when it was never seen."""
    return set_blocked(session, ctx.vault, number, False, now)
