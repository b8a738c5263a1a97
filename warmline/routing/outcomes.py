"""What delivery results mean for routing: a volunteer who cannot be reached loses the
conversation to another (SPEC §12); a contact Twilio reports as unsubscribed is opted out."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from warmline import outbox, texts
from warmline.context import Context
from warmline.db.engine import lock_assignment
from warmline.db.models import Conversation, Outbound
from warmline.routing import conversations

log = logging.getLogger(__name__)


def delivery_status(
    session: Session,
    ctx: Context,
    sid: str,
    status: str,
    error_code: int | None,
    now: dt.datetime,
) -> None:
    """Apply a delivery report (idempotent, safe out of order)."""
    row = outbox.record_status(session, sid, status, error_code, now)
    if row is not None and row.status in outbox.NEVER_ARRIVES:
        not_delivered(session, ctx, row, now)


def not_delivered(session: Session, ctx: Context, row: Outbound, now: dt.datetime) -> None:
    """A text that will never arrive: if it was for a conversation's volunteer, hand it over.

    The volunteer is also paused, so the queue is not drained into a phone that cannot be
    reached; they are told (the notice may arrive if the fault was passing) to text #on.
    """
    if row.volunteer_id is None or row.conversation_id is None:
        return
    conv = session.get(Conversation, row.conversation_id)
    if conv is None or conv.status != "assigned" or conv.volunteer_id != row.volunteer_id:
        return
    volunteer, alias = conv.volunteer, conv.contact.alias
    # Assignment locks first and then writes volunteers' rows; so must pausing, or the two can
    # deadlock.
    lock_assignment(session)
    log.warning("volunteer %s unreachable; conversation %s handed over", row.volunteer_id, conv.id)
    if volunteer is not None:
        volunteer.paused = True
    conversations.hand_over(session, ctx, conv, now, reason="unreachable")
    if volunteer is not None:
        ctx.text_volunteer(
            session,
            volunteer,
            texts.render(ctx.settings, "unreachable", alias=alias),
            "notice",
            now,
        )
