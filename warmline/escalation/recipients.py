"""Reaching the people in charge, so that an alert is never silent (SPEC §8).

The chain, first level that has anyone:

1. the supervisors on shift (a supervisor shift, or the supervisor role and on shift);
2. the coordinators' alert numbers (``alerts.coordinator_numbers``);
3. every volunteer on shift.

The one who raised an alert (``exclude``) is never alerted about it. When the only supervisors on
shift are the conversation's own volunteer (``assigned``), they are alerted and so is the next
level: a supervisor must not be the only one told about their own contact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline import outbox
from warmline.context import Context
from warmline.db.models import Volunteer
from warmline.scheduling.store import on_shift_now


@dataclass(frozen=True)
class Recipients:
    """Who one alert goes to: volunteers by id (as supervisors or as volunteers on shift) and
    whether the coordinators' numbers are texted."""

    supervisors: tuple[int, ...] = ()
    coordinators: bool = False
    volunteers: tuple[int, ...] = ()


def choose_recipients(
    supervisors: Sequence[int],
    on_shift: Sequence[int],
    coordinator_count: int,
    *,
    exclude: int | None = None,
    assigned: int | None = None,
) -> Recipients:
    """The alert chain as a pure rule over ids on shift now (see the module docstring).

    ``supervisors`` are the supervisors on shift, ``on_shift`` everyone on shift (active),
    ``exclude`` who raised the alert, ``assigned`` the conversation's volunteer. Volunteers alerted
    at the last level exclude ``assigned``, who is told about their own contact separately.
    """
    sups = tuple(s for s in supervisors if s != exclude)
    if sups and any(s != assigned for s in sups):
        return Recipients(supervisors=sups)
    if coordinator_count:
        return Recipients(supervisors=sups, coordinators=True)
    others = tuple(v for v in on_shift if v not in (exclude, assigned) and v not in sups)
    return Recipients(supervisors=sups, volunteers=others)


def on_shift(session: Session, ctx: Context, now: dt.datetime) -> list[tuple[Volunteer, bool]]:
    """Active volunteers on shift now, each with whether they supervise (a supervisor shift, or
    the supervisor role)."""
    shifts = on_shift_now(session, ctx.settings.line.timezone, now)
    if not shifts:
        return []
    volunteers = session.scalars(
        select(Volunteer)
        .where(Volunteer.id.in_(list(shifts)), Volunteer.active.is_(True))
        .order_by(Volunteer.id)
    )
    return [(v, shifts[v.id].supervisor or v.is_supervisor) for v in volunteers]


def supervisors_on_shift(session: Session, ctx: Context, now: dt.datetime) -> list[Volunteer]:
    """Active volunteers on a supervisor shift now, or with the supervisor role and on shift."""
    return [v for v, supervises in on_shift(session, ctx, now) if supervises]


def alert_coordinators(
    session: Session, ctx: Context, body: str, now: dt.datetime, dedupe_key: str | None = None
) -> int:
    for i, number in enumerate(ctx.settings.coordinator_numbers):
        outbox.enqueue(
            session,
            to=ctx.to_number(number),
            from_=ctx.settings.line.public_number,
            body=body,
            kind="alert",
            now=now,
            dedupe_key=f"{dedupe_key}:{i}" if dedupe_key else None,
        )
    return len(ctx.settings.coordinator_numbers)


def alert_chain(
    session: Session,
    ctx: Context,
    body: str,
    now: dt.datetime,
    *,
    dedupe_key: str | None = None,
    exclude: int | None = None,
    assigned: int | None = None,
) -> list[str]:
    """Text ``body`` along the alert chain; who was alerted, as "supervisor:<id>",
    "coordinators:<count>" and "volunteer:<id>" (an empty list: nobody could be reached)."""
    everyone = on_shift(session, ctx, now)
    chosen = choose_recipients(
        [v.id for v, supervises in everyone if supervises],
        [v.id for v, _ in everyone],
        len(ctx.settings.coordinator_numbers),
        exclude=exclude,
        assigned=assigned,
    )
    by_id = {v.id: v for v, _ in everyone}
    targets: list[str] = []
    for role, ids in (("supervisor", chosen.supervisors), ("volunteer", chosen.volunteers)):
        for vid in ids:
            key = f"{dedupe_key}:{vid}" if dedupe_key else None
            ctx.text_volunteer(session, by_id[vid], body, "alert", now, dedupe_key=key)
            targets.append(f"{role}:{vid}")
    if chosen.coordinators:
        key = f"{dedupe_key}:c" if dedupe_key else None
        count = alert_coordinators(session, ctx, body, now, dedupe_key=key)
        targets.append(f"coordinators:{count}")
    return targets
