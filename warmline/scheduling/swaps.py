"""Shift swaps: a volunteer offers one occurrence of their shift, another takes it, or a
coordinator reassigns it directly.

Rules:

- An **occurrence** is one of the volunteer's shifts in the current rota
  (:func:`warmline.scheduling.rota.shifts_between`), named by any instant inside it. One that
  has ended cannot be offered; one in progress is offered from ``now`` to its end.
- A volunteer has at most one open offer overlapping a period; offering it again is refused.
- **Taking** needs an open offer, an active taker who is not the offerer and is not already on
  shift at any time during the offered period. When the offerer supervises during the period,
  the taker must be a supervisor (role): a plain volunteer never becomes a shift's supervisor,
  and so never receives its crisis alerts. It writes a ``replace`` override (offerer ->
  taker) for the offered period, so the rota, the reminders and the calendars follow, and marks
  the offer taken. An offer whose period has ended, or whose shift is no longer on the rota,
  can no longer be taken.
- **Reassigning** (a coordinator) does the same at once, with the same rules for the new
  volunteer, and also closes any open offer of that occurrence as taken by them.
- Volunteers are named by id or phone number (national format with ``region``, the line's
  country).
- **Cancelling** is possible while the offer is open.
- Given a routing context, taking and reassigning text both volunteers what changed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.context import Context
from warmline.db.models import RotaOverride, SwapRequest, Volunteer
from warmline.people import AdminError, find_volunteer
from warmline.scheduling import rota as r
from warmline.scheduling import rota_version  # noqa: F401  (edits bump the rota version)
from warmline.scheduling.overrides import require_supervisor, supervises
from warmline.texts import local_time_phrase, render


def find_occurrence(
    rota: r.Rota, volunteer_id: int, at: dt.datetime, now: dt.datetime
) -> r.ShiftInstance:
    """The volunteer's shift covering ``at``; AdminError when none, or when over by ``now``."""
    mine = [s for s in r.on_shift(rota, at) if s.volunteer_id == volunteer_id]
    if not mine:
        raise AdminError("that volunteer has no shift at that time")
    shift = mine[0]
    if shift.end <= now:
        raise AdminError("that shift is already over")
    return shift


def offer(
    session: Session,
    rota: r.Rota,
    volunteer_ref: str,
    at: dt.datetime,
    now: dt.datetime,
    region: str | None = None,
) -> SwapRequest:
    """Offer the volunteer's shift occurrence covering ``at`` to anyone who will take it."""
    volunteer = find_volunteer(session, volunteer_ref, region)
    shift = find_occurrence(rota, volunteer.id, at, now)
    start = max(shift.start, now)
    clash = _open_offer(session, volunteer.id, start, shift.end)
    if clash is not None:
        raise AdminError(f"that shift is already offered (swap {clash.id})")
    swap = SwapRequest(
        offered_by_id=volunteer.id,
        start=start,
        end=shift.end,
        source=shift.source[:120],
        requested_by="volunteer",
        status="open",
        created_at=now,
    )
    session.add(swap)
    session.flush()
    return swap


def take(
    session: Session,
    rota: r.Rota,
    swap_id: int,
    taker_ref: str,
    now: dt.datetime,
    ctx: Context | None = None,
    region: str | None = None,
) -> SwapRequest:
    """``taker_ref`` takes the open offer ``swap_id``: a replace override is written."""
    swap = _get(session, swap_id)
    if swap.status != "open":
        raise AdminError(f"swap {swap_id} is {swap.status}, not open")
    if swap.end <= now:
        raise AdminError(f"swap {swap_id} is for a shift that is already over")
    shifts = r.shifts_between(rota, swap.start, swap.end)
    if not any(s.volunteer_id == swap.offered_by_id for s in shifts):
        raise AdminError(f"swap {swap_id} is for a shift that is no longer on the rota")
    taker = _taker(session, rota, taker_ref, swap.offered_by_id, swap.start, swap.end, region)
    _hand_over(
        session, swap, taker, now, supervises(rota, swap.offered_by_id, swap.start, swap.end)
    )
    if ctx is not None:
        _tell_both(session, ctx, swap, taker, now)
    return swap


def reassign(
    session: Session,
    rota: r.Rota,
    volunteer_ref: str,
    at: dt.datetime,
    to_ref: str,
    now: dt.datetime,
    ctx: Context | None = None,
    region: str | None = None,
) -> SwapRequest:
    """A coordinator gives the volunteer's occurrence covering ``at`` to ``to_ref`` at once."""
    volunteer = find_volunteer(session, volunteer_ref, region)
    shift = find_occurrence(rota, volunteer.id, at, now)
    start = max(shift.start, now)
    taker = _taker(session, rota, to_ref, volunteer.id, start, shift.end, region)
    open_offer = _open_offer(session, volunteer.id, start, shift.end)
    swap = open_offer or SwapRequest(
        offered_by_id=volunteer.id,
        start=start,
        end=shift.end,
        source=shift.source[:120],
        requested_by="coordinator",
        created_at=now,
    )
    swap.start = max(swap.start, now)
    session.add(swap)
    session.flush()
    _hand_over(session, swap, taker, now, supervises(rota, volunteer.id, swap.start, swap.end))
    if ctx is not None:
        _tell_both(session, ctx, swap, taker, now)
    return swap


def cancel(session: Session, swap_id: int, now: dt.datetime) -> SwapRequest:
    swap = _get(session, swap_id)
    if swap.status != "open":
        raise AdminError(f"swap {swap_id} is {swap.status}, not open")
    swap.status, swap.closed_at = "cancelled", now
    return swap


def list_swaps(
    session: Session, since: dt.datetime, status: str | None = None
) -> list[SwapRequest]:
    """Swaps whose period ends after ``since``, optionally of one status, by start."""
    query = select(SwapRequest).where(SwapRequest.end > since)
    if status is not None:
        query = query.where(SwapRequest.status == status)
    return list(session.scalars(query.order_by(SwapRequest.start, SwapRequest.id)))


def _open_offer(
    session: Session, volunteer_id: int, start: dt.datetime, end: dt.datetime
) -> SwapRequest | None:
    """The volunteer's open offer overlapping ``[start, end)``, if any."""
    return session.scalars(
        select(SwapRequest).where(
            SwapRequest.offered_by_id == volunteer_id,
            SwapRequest.status == "open",
            SwapRequest.start < end,
            SwapRequest.end > start,
        )
    ).first()


def _get(session: Session, swap_id: int) -> SwapRequest:
    swap = session.get(SwapRequest, swap_id)
    if swap is None:
        raise AdminError(f"no swap {swap_id}")
    return swap


def _taker(
    session: Session,
    rota: r.Rota,
    ref: str,
    offered_by_id: int,
    start: dt.datetime,
    end: dt.datetime,
    region: str | None,
) -> Volunteer:
    taker = find_volunteer(session, ref, region)
    if taker.id == offered_by_id:
        raise AdminError("a volunteer cannot take their own shift")
    if not taker.active:
        raise AdminError(f"{taker.name} is not active")
    if supervises(rota, offered_by_id, start, end):
        require_supervisor(taker, "take a supervisor's shift")
    if any(s.volunteer_id == taker.id for s in r.shifts_between(rota, start, end)):
        raise AdminError(f"{taker.name} is already on shift during that time")
    return taker


def _hand_over(
    session: Session, swap: SwapRequest, taker: Volunteer, now: dt.datetime, supervisor: bool
) -> None:
    """Write the replace override; ``supervisor`` marks one that hands over a supervisor's time
    (see :mod:`warmline.scheduling.overrides`)."""
    override = RotaOverride(
        kind="replace",
        volunteer_id=swap.offered_by_id,
        replacement_id=taker.id,
        start=swap.start,
        end=swap.end,
        supervisor=supervisor,
        reason=f"swap {swap.id}",
        created_at=now,
    )
    session.add(override)
    session.flush()
    swap.status, swap.taken_by_id, swap.override_id, swap.closed_at = (
        "taken",
        taker.id,
        override.id,
        now,
    )


def _tell_both(
    session: Session, ctx: Context, swap: SwapRequest, taker: Volunteer, now: dt.datetime
) -> None:
    """Text both volunteers what changed (the reminders and notices follow on their own)."""
    offerer = session.get_one(Volunteer, swap.offered_by_id)
    when = local_time_phrase(ctx.settings, swap.start, now)
    until = swap.end.astimezone(ctx.settings.line.timezone).strftime("%I:%M %p").lstrip("0")
    ctx.text_volunteer(
        session,
        offerer,
        render(ctx.settings, "swap_given", taker=taker.name, when=when, until=until),
        "notice",
        now,
        dedupe_key=f"swap:{swap.id}:offerer",
    )
    ctx.text_volunteer(
        session,
        taker,
        render(ctx.settings, "swap_taken", when=when, until=until, offerer=offerer.name),
        "notice",
        now,
        dedupe_key=f"swap:{swap.id}:taker",
    )
