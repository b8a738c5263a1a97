"""Overrides: add, remove or replace a volunteer for a period (coordinators; swaps write them
too, see :mod:`warmline.scheduling.swaps`).

Rules, each refused with an AdminError saying why:

- The end must be after the start, and after ``now``: an override wholly in the past changes
  nothing.
- ``replace`` needs a replacement (``--with``) who is someone else; the others have none.
- Only a supervisor may be added as one (``add`` with ``supervisor``), and only for ``add``.
- ``replace`` hands over the replaced volunteer's time with its supervisor flag, so when they
  supervise during the period the replacement must be a supervisor too; the override is then
  marked ``supervisor`` (the rota ignores that mark for ``replace``; it lets a demotion see that
  the replacement supervises).
- Removing an override made by a swap cancels that swap: the shift goes back to its volunteer;
  such an override cannot be edited (remove it instead). Any other override can be edited in
  place, under the same rules as adding one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.db.models import RotaOverride, SwapRequest, Volunteer
from warmline.people import AdminError, find_volunteer
from warmline.scheduling import rota as r
from warmline.scheduling import rota_version  # noqa: F401  (edits bump the rota version)
from warmline.scheduling.shift_text import local_datetime, span
from warmline.scheduling.store import load_rota

KINDS = ("add", "remove", "replace")


def add_override(
    session: Session,
    tz: ZoneInfo,
    *,
    kind: str,
    volunteer: str,
    start: str,
    end: str,
    now: dt.datetime,
    replacement: str | None = None,
    supervisor: bool = False,
    reason: str | None = None,
    region: str | None = None,
) -> RotaOverride:
    """``start``/``end`` are local 'YYYY-MM-DD HH:MM' in the line's timezone."""
    override = RotaOverride(created_at=now)
    _fill(
        session,
        tz,
        override,
        kind,
        volunteer,
        start,
        end,
        now,
        replacement,
        supervisor,
        reason,
        region,
    )
    session.add(override)
    session.flush()
    return override


def edit_override(
    session: Session,
    tz: ZoneInfo,
    override_id: int,
    *,
    kind: str,
    volunteer: str,
    start: str,
    end: str,
    now: dt.datetime,
    replacement: str | None = None,
    supervisor: bool = False,
    reason: str | None = None,
    region: str | None = None,
) -> RotaOverride:
    """Change override ``override_id`` in place (it keeps its id) under the rules of
    :func:`add_override`. An override made by a swap is refused: the swap says who takes the
    shift, so it is cancelled (removing the override) rather than edited behind its back."""
    override = session.get(RotaOverride, override_id)
    if override is None:
        raise AdminError(f"no override {override_id}")
    swap = session.scalars(
        select(SwapRequest.id).where(SwapRequest.override_id == override_id)
    ).first()
    if swap is not None:
        raise AdminError(
            f"override {override_id} comes from swap {swap}: remove it (which cancels the swap) "
            "and add the change you want instead"
        )
    _fill(
        session,
        tz,
        override,
        kind,
        volunteer,
        start,
        end,
        now,
        replacement,
        supervisor,
        reason,
        region,
    )
    session.flush()
    return override


def _fill(
    session: Session,
    tz: ZoneInfo,
    override: RotaOverride,
    kind: str,
    volunteer: str,
    start: str,
    end: str,
    now: dt.datetime,
    replacement: str | None,
    supervisor: bool,
    reason: str | None,
    region: str | None,
) -> None:
    """Check the override's fields and set them on ``override``; AdminError says what is wrong."""
    if kind not in KINDS:
        raise AdminError("kind must be add, remove or replace")
    if (kind == "replace") != (replacement is not None):
        raise AdminError("--with is required for replace, and only for replace")
    if supervisor and kind != "add":
        raise AdminError(
            "--supervisor is only for add (a replacement takes over the time as it was)"
        )
    begins, ends = local_datetime(tz, start), local_datetime(tz, end)
    if ends <= begins:
        raise AdminError("the end must be after the start")
    if ends <= now:
        raise AdminError(f"that period ({span(begins, ends, tz)}) is already over")
    person = find_volunteer(session, volunteer, region)
    taker = find_volunteer(session, replacement, region) if replacement else None
    if supervisor:
        require_supervisor(person, "be added as a supervisor")
    if taker is not None:
        if taker.id == person.id:
            raise AdminError("a volunteer cannot replace themselves")
        rota = load_rota(session, tz)
        # The rota as it would be without this override (when it is being edited): whether the
        # replaced volunteer supervises must not depend on the change being replaced.
        others = tuple(o for o in rota.overrides if o.id != override.id)
        supervisor = supervises(
            dataclasses.replace(rota, overrides=others), person.id, begins, ends
        )
        if supervisor:
            require_supervisor(taker, f"replace {person.name}, who supervises then")
    override.kind = kind
    override.volunteer_id = person.id
    override.replacement_id = taker.id if taker else None
    override.start, override.end = begins, ends
    override.supervisor = supervisor
    override.reason = reason


def supervises(rota: r.Rota, volunteer_id: int, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether ``volunteer_id`` is on shift as a supervisor at some time in ``[start, end)``."""
    return any(
        s.volunteer_id == volunteer_id and s.supervisor for s in r.shifts_between(rota, start, end)
    )


def require_supervisor(person: Volunteer, to: str = "supervise a shift") -> None:
    if not person.is_supervisor:
        raise AdminError(
            f"{person.name} is not a supervisor (role {person.role}), so cannot {to}; "
            f"make them one first with: warmline volunteer edit {person.id} --role supervisor"
        )


def list_overrides(session: Session, since: dt.datetime | None = None) -> list[RotaOverride]:
    """Overrides by start; with ``since``, only those that end after it."""
    query = select(RotaOverride)
    if since is not None:
        query = query.where(RotaOverride.end > since)
    return list(session.scalars(query.order_by(RotaOverride.start, RotaOverride.id)))


def remove_override(session: Session, override_id: int, now: dt.datetime) -> SwapRequest | None:
    """Delete the override; returns the swap it made, now cancelled, if it came from one."""
    override = session.get(RotaOverride, override_id)
    if override is None:
        raise AdminError(f"no override {override_id}")
    swap = session.scalars(
        select(SwapRequest).where(SwapRequest.override_id == override_id)
    ).first()
    if swap is not None:
        swap.override_id, swap.status, swap.closed_at = None, "cancelled", now
        session.flush()
    session.delete(override)
    return swap
