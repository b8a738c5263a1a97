"""Editing a one-off shift in place (adding and removing are in :mod:`warmline.scheduling.editing`).

A one-off shift is one person's: editing changes its date, times, person and supervisor mark
under the rules of adding one (see :mod:`warmline.scheduling.editing`): not already over, only
a supervisor as supervisor, no duplicate of another one-off of the same person and times.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.db.models import OneOffShift
from warmline.people import AdminError, find_volunteer
from warmline.scheduling import rota_version  # noqa: F401  (edits bump the rota version)
from warmline.scheduling.overrides import require_supervisor
from warmline.scheduling.shift_text import day, local_instant, span, times


def edit_one_off(
    session: Session,
    tz: ZoneInfo,
    shift_id: int,
    *,
    on: str,
    start: str,
    end: str,
    volunteer: str,
    supervisor: bool,
    now: dt.datetime,
    region: str | None = None,
) -> OneOffShift:
    """Give one-off shift ``shift_id`` a new local date ``on``, ``start``/``end`` (``HH:MM``; an
    end before the start is the next day), person and supervisor mark; it keeps its id.
    AdminError when there is no such shift, it is over, or the new one breaks a rule."""
    shift = session.get(OneOffShift, shift_id)
    if shift is None:
        raise AdminError(f"no one-off shift o{shift_id}")
    if shift.end <= now:
        raise AdminError(f"one-off shift o{shift_id} is over: add a new one instead")
    date = day(on)
    starts_at, ends_at = times(start, end)
    begins = local_instant(tz, date, starts_at)
    ends = local_instant(tz, date if ends_at > starts_at else date + dt.timedelta(days=1), ends_at)
    if ends <= now:
        raise AdminError(f"that shift ({span(begins, ends, tz)}) would already be over")
    person = find_volunteer(session, volunteer, region)
    if supervisor:
        require_supervisor(person)
    same = session.scalars(
        select(OneOffShift.id).where(
            OneOffShift.volunteer_id == person.id,
            OneOffShift.start == begins,
            OneOffShift.end == ends,
            OneOffShift.id != shift_id,
        )
    ).first()
    if same is not None:
        raise AdminError(f"{person.name} already has that one-off shift (o{same})")
    shift.start, shift.end = begins, ends
    shift.volunteer_id, shift.supervisor = person.id, supervisor
    session.flush()
    return shift
