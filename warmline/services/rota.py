"""The rota: weekly and one-off shifts, overrides and swaps (audited).

Thin wrappers over :mod:`warmline.scheduling.editing`, :mod:`~warmline.scheduling.overrides`
and :mod:`~warmline.scheduling.swaps`, whose docstrings hold the rules and whose AdminErrors
say what was refused; an actor whose role lacks ``edit_rota`` gets PermissionDenied. Local
times are the line's (``settings.line.timezone``); volunteers are named by id or phone number.
Audit targets are ``shift:w3``, ``shift:o3``, ``override:4`` and ``swap:5``; details say the
shift in words (never a phone number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from warmline.accounts.roles import require
from warmline.audit import Actor, record
from warmline.config import Settings
from warmline.context import Context
from warmline.db.models import OneOffShift, RotaOverride, SwapRequest, WeeklySlot
from warmline.people import AdminError
from warmline.scheduling import editing, shift_text, swaps
from warmline.scheduling.store import load_rota


def describe_slot(slot: WeeklySlot) -> str:
    """'Mon 18:00 → 22:00, 4 h' with its dates when it has any."""
    dates = shift_text.dates(slot.first_date, slot.last_date)
    said = shift_text.weekly_span(slot.weekday, slot.start_local, slot.end_local)
    return said if dates == "every week" else f"{said}, {dates}"


def add_weekly(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    *,
    day: str,
    start: str,
    end: str,
    volunteers: list[str],
    supervisors: list[str],
    first_date: str | None = None,
    last_date: str | None = None,
) -> WeeklySlot:
    """A weekly shift (``day`` mon..sun, local ``HH:MM`` times, optional first/last dates)."""
    require(actor.role, "edit_rota")
    slot = editing.add_weekly_slot(
        session,
        day_name=day,
        start=start,
        end=end,
        volunteers=volunteers,
        supervisors=supervisors,
        now=now,
        first_date=first_date,
        last_date=last_date,
        region=settings.line.region,
        tz=settings.line.timezone,
    )
    record(
        session, actor, "shift.add", target=f"shift:w{slot.id}", detail=describe_slot(slot), at=now
    )
    return slot


def weekly_fields(session: Session, slot_id: int) -> dict[str, Any]:
    """Weekly shift ``slot_id`` as :func:`edit_weekly` takes it (day, times, people by id,
    dates), so that a caller changing one thing passes the rest as they are; AdminError when
    there is no such shift."""
    slot = session.get(WeeklySlot, slot_id)
    if slot is None:
        raise AdminError(f"no weekly shift w{slot_id}")
    return {
        "day": editing.WEEKDAYS[slot.weekday],
        "start": slot.start_local.strftime("%H:%M"),
        "end": slot.end_local.strftime("%H:%M"),
        "volunteers": [str(a.volunteer_id) for a in slot.assignments if not a.supervisor],
        "supervisors": [str(a.volunteer_id) for a in slot.assignments if a.supervisor],
        "first_date": slot.first_date.isoformat() if slot.first_date else None,
        "last_date": slot.last_date.isoformat() if slot.last_date else None,
    }


def edit_weekly(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    slot_id: int,
    *,
    day: str,
    start: str,
    end: str,
    volunteers: list[str],
    supervisors: list[str],
    first_date: str | None = None,
    last_date: str | None = None,
) -> WeeklySlot:
    """Replace weekly shift ``slot_id``'s day, times, dates and people; it keeps its id."""
    require(actor.role, "edit_rota")
    before = session.get(WeeklySlot, slot_id)
    was = describe_slot(before) if before is not None else ""
    slot = editing.edit_weekly_slot(
        session,
        slot_id,
        day_name=day,
        start=start,
        end=end,
        volunteers=volunteers,
        supervisors=supervisors,
        now=now,
        first_date=first_date,
        last_date=last_date,
        region=settings.line.region,
        tz=settings.line.timezone,
    )
    record(
        session,
        actor,
        "shift.edit",
        target=f"shift:w{slot.id}",
        detail=f"was {was}; now {describe_slot(slot)}, {len(slot.assignments)} person(s)",
        at=now,
    )
    return slot


def add_one_off(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    *,
    on: str,
    start: str,
    end: str,
    volunteers: list[str],
    supervisors: list[str],
) -> list[OneOffShift]:
    """One-off shifts on local date ``on`` (one row per person, the same times)."""
    require(actor.role, "edit_rota")
    tz = settings.line.timezone
    shifts = editing.add_one_off(
        session,
        tz,
        on=on,
        start=start,
        end=end,
        volunteers=volunteers,
        supervisors=supervisors,
        now=now,
        region=settings.line.region,
    )
    for s in shifts:
        said = shift_text.span(s.start, s.end, tz)
        record(session, actor, "shift.add", target=f"shift:o{s.id}", detail=said, at=now)
    return shifts


def remove_shift(
    session: Session, actor: Actor, settings: Settings, now: dt.datetime, ref: str
) -> str:
    """Remove weekly (``w3``) or one-off (``o3``) shift; returns what was removed, in words."""
    require(actor.role, "edit_rota")
    ident, said = editing.remove_shift(session, settings.line.timezone, ref)
    record(session, actor, "shift.remove", target=f"shift:{ident}", detail=said, at=now)
    return said


def add_override(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    *,
    kind: str,
    volunteer: str,
    start: str,
    end: str,
    replacement: str | None = None,
    supervisor: bool = False,
    reason: str | None = None,
) -> RotaOverride:
    """Add, remove or replace ``volunteer`` between local 'YYYY-MM-DD HH:MM' times."""
    require(actor.role, "edit_rota")
    tz = settings.line.timezone
    override = editing.add_override(
        session,
        tz,
        kind=kind,
        volunteer=volunteer,
        start=start,
        end=end,
        now=now,
        replacement=replacement,
        supervisor=supervisor,
        reason=reason,
        region=settings.line.region,
    )
    record(
        session,
        actor,
        "override.add",
        target=f"override:{override.id}",
        detail=f"{kind} {shift_text.span(override.start, override.end, tz)}",
        at=now,
    )
    return override


def remove_override(
    session: Session, actor: Actor, now: dt.datetime, override_id: int
) -> SwapRequest | None:
    """Remove an override; returns the swap it came from, now cancelled, if any."""
    require(actor.role, "edit_rota")
    swap = editing.remove_override(session, override_id, now)
    said = f"cancels swap {swap.id}" if swap is not None else ""
    record(session, actor, "override.remove", target=f"override:{override_id}", detail=said, at=now)
    return swap


def offer_swap(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    volunteer: str,
    at: dt.datetime,
) -> SwapRequest:
    """Offer ``volunteer``'s shift covering instant ``at`` to anyone who will take it."""
    require(actor.role, "edit_rota")
    rota = load_rota(session, settings.line.timezone)
    swap = swaps.offer(session, rota, volunteer, at, now, settings.line.region)
    return _audited(session, actor, settings, now, "swap.offer", swap)


def take_swap(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    swap_id: int,
    taker: str,
    ctx: Context | None = None,
) -> SwapRequest:
    """``taker`` takes open offer ``swap_id``; with ``ctx`` both volunteers are texted."""
    require(actor.role, "edit_rota")
    rota = load_rota(session, settings.line.timezone)
    swap = swaps.take(session, rota, swap_id, taker, now, ctx, settings.line.region)
    return _audited(session, actor, settings, now, "swap.take", swap)


def reassign_shift(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    volunteer: str,
    at: dt.datetime,
    to: str,
    ctx: Context | None = None,
) -> SwapRequest:
    """Give ``volunteer``'s shift covering ``at`` to ``to`` at once (a replace override)."""
    require(actor.role, "edit_rota")
    rota = load_rota(session, settings.line.timezone)
    swap = swaps.reassign(session, rota, volunteer, at, to, now, ctx, settings.line.region)
    return _audited(session, actor, settings, now, "swap.reassign", swap)


def cancel_swap(session: Session, actor: Actor, now: dt.datetime, swap_id: int) -> SwapRequest:
    """Withdraw an open offer."""
    require(actor.role, "edit_rota")
    swap = swaps.cancel(session, swap_id, now)
    record(session, actor, "swap.cancel", target=f"swap:{swap.id}", at=now)
    return swap


def _audited(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    action: str,
    swap: SwapRequest,
) -> SwapRequest:
    """Record ``action`` on ``swap`` (its period in words) and hand the swap back."""
    period = shift_text.span(swap.start, swap.end, settings.line.timezone)
    record(session, actor, action, target=f"swap:{swap.id}", detail=period, at=now)
    return swap
