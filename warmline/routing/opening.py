"""Whether the line answers new conversations now, and when it next will (SPEC §3, §5.3).

The line answers while it is open by its opening hours (``[hours]``, ``[holidays]``; always
open without them) **and** someone is on shift. Outside its hours it is closed even when
volunteers are on shift (they may be finishing conversations, or their shift starts early): a
contact who texts then gets the after-hours text naming the next opening and waits in the queue,
which is served when the line opens (the opening's ``drain`` timer) or a shift starts in open
hours. Conversations already under way carry on: hand-overs and time-outs still go to whoever is
on shift.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.scheduling import hours
from warmline.scheduling.rota import ShiftInstance
from warmline.scheduling.store import load_rota, on_shift_now


def answering(session: Session, ctx: Context, now: dt.datetime) -> dict[int, ShiftInstance]:
    """Volunteer id -> shift of those who take new conversations now: everyone on shift while
    the line is open by its hours, nobody while it is closed."""
    settings = ctx.settings
    if not hours.is_open(settings.opening_hours, settings.line.timezone, now):
        return {}
    return on_shift_now(session, settings.line.timezone, now)


def next_open_phrase(
    session: Session, ctx: Context, now: dt.datetime, lang: str | None = None
) -> str:
    """``{next_open}`` of the after-hours texts: when the line next answers, in local words
    (Spanish ones for ``lang`` "es")."""
    tz = ctx.settings.line.timezone
    at = hours.next_staffed_opening(ctx.settings.opening_hours, load_rota(session, tz), now)
    return texts.local_time_phrase(ctx.settings, at, now, lang)
