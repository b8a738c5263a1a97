"""Reaching the people in charge: supervisors on shift, else the coordinators' alert numbers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline import outbox
from warmline.db.models import Volunteer
from warmline.routing.context import Context
from warmline.scheduling.store import on_shift_now


def supervisors_on_shift(session: Session, ctx: Context, now: dt.datetime) -> list[Volunteer]:
    """Active volunteers on a supervisor shift now, or with the supervisor role and on shift."""
    shifts = on_shift_now(session, ctx.settings.line.timezone, now)
    ids = list(shifts)
    if not ids:
        return []
    volunteers = session.scalars(
        select(Volunteer).where(Volunteer.id.in_(ids), Volunteer.active.is_(True))
    ).all()
    return [v for v in volunteers if shifts[v.id].supervisor or v.is_supervisor]


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


def alert_supervisors(session: Session, ctx: Context, body: str, now: dt.datetime) -> list[str]:
    """Text the supervisors on shift (coordinators when there are none); who was alerted."""
    supervisors = supervisors_on_shift(session, ctx, now)
    for s in supervisors:
        ctx.text_volunteer(session, s, body, "alert", now)
    if supervisors:
        return [f"supervisor:{s.id}" for s in supervisors]
    n = alert_coordinators(session, ctx, body, now)
    return [f"coordinators:{n}"]
