"""Volunteers: add, edit, activate, deactivate, reminders (audited).

Thin wrappers over :mod:`warmline.people`: the rules (and their AdminError messages) are
there; this layer checks the actor's role (PermissionDenied without ``edit_volunteers``) and
adds the audit entry. Audit details name the change in words and never hold a phone number
(SPEC §12): a new number is recorded as "phone changed". CSV import and export are in
:mod:`warmline.services.volunteer_csv`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline import people
from warmline.accounts.roles import require
from warmline.audit import Actor, record
from warmline.config import Settings
from warmline.db.models import Volunteer
from warmline.scheduling.reminders import parse_reminder_minutes


def target(volunteer: Volunteer) -> str:
    return f"volunteer:{volunteer.id}"


def add(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    *,
    name: str,
    number: str,
    role: str = "volunteer",
    capacity: int | None = None,
    languages: str = "",
    detail: str = "",
) -> Volunteer:
    """A new, active volunteer (capacity defaults to the line's ``routing.default_capacity``)."""
    require(actor.role, "edit_volunteers")
    volunteer = people.add_volunteer(
        session,
        name,
        number,
        now,
        role=role,
        capacity=settings.routing.default_capacity if capacity is None else capacity,
        languages=languages,
        region=settings.line.region,
    )
    said = f"{volunteer.name} ({volunteer.role}, capacity {volunteer.capacity})"
    record(
        session,
        actor,
        "volunteer.add",
        target=target(volunteer),
        detail=f"{said}; {detail}" if detail else said,
        at=now,
    )
    return volunteer


def edit(
    session: Session,
    actor: Actor,
    settings: Settings,
    now: dt.datetime,
    ref: str,
    *,
    name: str | None = None,
    number: str | None = None,
    role: str | None = None,
    capacity: int | None = None,
    languages: str | None = None,
) -> Volunteer:
    """Change what is given (None: unchanged); AdminError when nothing is given or a rule of
    :func:`warmline.people.edit_volunteer` refuses. The audit detail lists what changed."""
    require(actor.role, "edit_volunteers")
    if (name, number, role, capacity, languages) == (None,) * 5:
        raise people.AdminError(
            "nothing to change: give a name, phone, role, capacity or languages"
        )
    before = people.find_volunteer(session, ref, settings.line.region)
    was = (before.name, before.phone, before.role, before.capacity, before.languages)
    volunteer = people.edit_volunteer(
        session,
        ref,
        now,
        name=name,
        number=number,
        role=role,
        capacity=capacity,
        languages=languages,
        region=settings.line.region,
    )
    record(
        session,
        actor,
        "volunteer.edit",
        target=target(volunteer),
        detail=_changes(was, volunteer),
        at=now,
    )
    return volunteer


def _changes(was: tuple[str, str, str, int, str], now: Volunteer) -> str:
    name, phone, role, capacity, languages = was
    said = []
    if now.name != name:
        said.append(f"name {name} → {now.name}")
    if now.phone != phone:
        said.append("phone changed")  # never the number itself
    if now.role != role:
        said.append(f"role {role} → {now.role}")
    if now.capacity != capacity:
        said.append(f"capacity {capacity} → {now.capacity}")
    if now.languages != languages:
        said.append(f"languages {languages or '-'} → {now.languages or '-'}")
    return "; ".join(said) or "no change"


def activate(
    session: Session, actor: Actor, settings: Settings, now: dt.datetime, ref: str
) -> Volunteer:
    """Route to a deactivated volunteer again; AdminError when already active."""
    require(actor.role, "edit_volunteers")
    volunteer = people.activate_volunteer(session, ref, settings.line.region)
    record(
        session,
        actor,
        "volunteer.activate",
        target=target(volunteer),
        detail=volunteer.name,
        at=now,
    )
    return volunteer


def deactivate(
    session: Session, actor: Actor, settings: Settings, now: dt.datetime, ref: str
) -> tuple[Volunteer, int]:
    """Stop routing to a volunteer; returns them and how many open conversations they keep."""
    require(actor.role, "edit_volunteers")
    volunteer, open_count = people.deactivate_volunteer(session, ref, settings.line.region)
    record(
        session,
        actor,
        "volunteer.deactivate",
        target=target(volunteer),
        detail=f"{volunteer.name}; keeps {open_count} open conversation(s)",
        at=now,
    )
    return volunteer, open_count


def set_reminders(
    session: Session, actor: Actor, settings: Settings, now: dt.datetime, ref: str, minutes: str
) -> tuple[Volunteer, tuple[int, ...]]:
    """Shift reminders, minutes before each shift ('1440,60'; 'none' for none)."""
    require(actor.role, "edit_volunteers")
    values = parse_reminder_minutes(minutes)
    volunteer = people.find_volunteer(session, ref, settings.line.region)
    volunteer.reminder_minutes = ",".join(map(str, values))
    said = ", ".join(f"{m} min" for m in values) or "none"
    record(session, actor, "volunteer.reminders", target=target(volunteer), detail=said, at=now)
    return volunteer, values


def listing(session: Session) -> list[Volunteer]:
    """Every volunteer by name (reading needs no audit entry)."""
    return people.list_volunteers(session)
