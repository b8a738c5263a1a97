"""Editing a one-off shift or an override in place (audited); adding and removing them are in
:mod:`warmline.services.rota`, whose contract this shares: ``edit_rota`` or PermissionDenied,
AdminError for a refused change, local times in the line's timezone, audit details in words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from warmline.accounts.roles import require
from warmline.audit import Actor, record
from warmline.config import Settings
from warmline.db.models import OneOffShift, RotaOverride
from warmline.people import AdminError
from warmline.scheduling import one_offs, overrides, shift_text


def one_off_fields(session: Session, settings: Settings, shift_id: int) -> dict[str, Any]:
    """One-off shift ``shift_id`` as :func:`edit_one_off` takes it (local date and times, the
    person by id), so that a caller changing one thing passes the rest as they are; AdminError
    when there is no such shift."""
    shift = session.get(OneOffShift, shift_id)
    if shift is None:
        raise AdminError(f"no one-off shift o{shift_id}")
    tz = settings.line.timezone
    start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
    return {
        "on": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "volunteer": str(shift.volunteer_id),
        "supervisor": shift.supervisor,
    }


def override_fields(session: Session, settings: Settings, override_id: int) -> dict[str, Any]:
    """Override ``override_id`` as :func:`edit_override` takes it (local 'YYYY-MM-DD HH:MM'
    start and end, people by id); AdminError when there is no such override."""
    override = session.get(RotaOverride, override_id)
    if override is None:
        raise AdminError(f"no override {override_id}")
    tz = settings.line.timezone
    return {
        "kind": override.kind,
        "volunteer": str(override.volunteer_id),
        "replacement": str(override.replacement_id) if override.replacement_id else None,
        "start": f"{override.start.astimezone(tz):%Y-%m-%d %H:%M}",
        "end": f"{override.end.astimezone(tz):%Y-%m-%d %H:%M}",
        "reason": override.reason,
        "supervisor": override.supervisor and override.kind == "add",
    }


def edit_one_off(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    shift_id: int,
    *,
    on: str,
    start: str,
    end: str,
    volunteer: str,
    supervisor: bool,
) -> OneOffShift:
    """Change one-off shift ``shift_id``'s date, times, person or supervisor mark; it keeps its
    id (see :func:`warmline.scheduling.one_offs.edit_one_off`). Audited as ``shift.edit``."""
    require(actor.role, "edit_rota")
    tz = settings.line.timezone
    found = session.get(OneOffShift, shift_id)
    was = shift_text.span(found.start, found.end, tz) if found is not None else ""
    shift = one_offs.edit_one_off(
        session,
        tz,
        shift_id,
        on=on,
        start=start,
        end=end,
        volunteer=volunteer,
        supervisor=supervisor,
        now=now,
        region=settings.line.region,
    )
    now_said = shift_text.span(shift.start, shift.end, tz)
    record(
        session,
        actor,
        "shift.edit",
        target=f"shift:o{shift.id}",
        detail=f"was {was}; now {now_said}",
        at=now,
    )
    return shift


def edit_override(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    override_id: int,
    *,
    kind: str,
    volunteer: str,
    start: str,
    end: str,
    replacement: str | None = None,
    supervisor: bool = False,
    reason: str | None = None,
) -> RotaOverride:
    """Change override ``override_id`` in place under the rules of adding one (see
    :func:`warmline.scheduling.overrides.edit_override`). Audited as ``override.edit``."""
    require(actor.role, "edit_rota")
    tz = settings.line.timezone
    override = overrides.edit_override(
        session,
        tz,
        override_id,
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
        "override.edit",
        target=f"override:{override.id}",
        detail=f"{kind} {shift_text.span(override.start, override.end, tz)}",
        at=now,
    )
    return override
