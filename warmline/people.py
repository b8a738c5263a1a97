"""Coordinator actions on volunteers and contacts (CLI, dashboard and API share these)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.audit import looks_like_phone_number
from warmline.config import ConfigError, normalise_number
from warmline.db.contacts import find_contact, get_or_create_contact
from warmline.db.models import (
    Contact,
    Conversation,
    OneOffShift,
    RotaOverride,
    SlotAssignment,
    Volunteer,
    WeeklySlot,
)
from warmline.privacy import Vault, parse_address

ROLES = ("volunteer", "supervisor")


class AdminError(ValueError):
    """A coordinator's request that cannot be done; the message says why."""


def phone(value: str, region: str | None = None) -> str:
    """A number a coordinator typed, as E.164; AdminError when it is not a whole phone number.

    With ``region`` (the line's country, ``Settings.line.region``) the national format is
    accepted too: ``5551230009`` and ``(555) 123-0009`` are ``+15551230009`` in the US. A number
    that could only be dialled locally (``555-0666``, no area code) is refused.
    """
    try:
        return normalise_number(value, "phone", region)
    except ConfigError as exc:
        raise AdminError(str(exc).removeprefix("phone: ")) from None


def add_volunteer(
    session: Session,
    name: str,
    number: str,
    now: dt.datetime,
    *,
    role: str = "volunteer",
    capacity: int = 2,
    languages: str = "",
    region: str | None = None,
) -> Volunteer:
    """A new, active volunteer; ``region`` is the line's country for national-format numbers."""
    volunteer = Volunteer(
        name=_name(name),
        phone=_free_number(session, phone(number, region), None),
        role=_role(role),
        capacity=_capacity(capacity),
        active=True,
        paused=False,
        languages=_languages(languages),
        reminder_minutes="1440,60",
        calendar_token=secrets.token_urlsafe(24),
        created_at=now,
    )
    session.add(volunteer)
    session.flush()
    return volunteer


def _name(value: str) -> str:
    if not value.strip():
        raise AdminError("name must not be empty")
    # Names reach every role (rota, live view, reports) and the audit log; numbers must not.
    if looks_like_phone_number(value):
        raise AdminError("a name must not hold a phone number")
    return value.strip()


def _role(value: str) -> str:
    if value not in ROLES:
        raise AdminError(f"role must be one of {', '.join(ROLES)}")
    return value


def _capacity(value: int) -> int:
    if value < 1:
        raise AdminError("capacity must be at least 1")
    return value


def _languages(value: str) -> str:
    return ",".join(x.strip().lower() for x in value.split(",") if x.strip())


def _free_number(session: Session, number: str, volunteer_id: int | None) -> str:
    other = session.scalars(select(Volunteer).where(Volunteer.phone == number)).first()
    if other is not None and other.id != volunteer_id:
        raise AdminError(f"{other.name} (volunteer {other.id}) already has that number")
    return number


def find_volunteer(session: Session, ref: str, region: str | None = None) -> Volunteer:
    """A volunteer by id (up to six digits) or phone number (national format with ``region``)."""
    ref = ref.strip()
    if ref.isdigit() and len(ref) < 7:
        found = session.get(Volunteer, int(ref))
    else:
        number = phone(ref, region)
        found = session.scalars(select(Volunteer).where(Volunteer.phone == number)).first()
    if found is None:
        raise AdminError(f"no volunteer {ref}")
    return found


def edit_volunteer(
    session: Session,
    ref: str,
    now: dt.datetime,
    *,
    name: str | None = None,
    number: str | None = None,
    role: str | None = None,
    capacity: int | None = None,
    languages: str | None = None,
    region: str | None = None,
) -> Volunteer:
    """Change what is given (None: unchanged), active or not.

    Demoting a supervisor is refused while they supervise a shift that has not ended (a weekly
    slot, a one-off, an override, or a supervisor's shift they took by swap): the rota would
    otherwise call a plain volunteer its supervisor, and send them crisis alerts. The message
    names those shifts so the coordinator can move them first.
    """
    volunteer = find_volunteer(session, ref, region)
    if name is not None:
        volunteer.name = _name(name)
    if number is not None:
        volunteer.phone = _free_number(session, phone(number, region), volunteer.id)
    if role is not None:
        if _role(role) != "supervisor" and volunteer.role == "supervisor":
            duties = supervisor_duties(session, volunteer.id, now)
            if duties:
                raise AdminError(
                    f"{volunteer.name} still supervises {', '.join(duties)}; "
                    "give those to another supervisor first"
                )
        volunteer.role = role
    if capacity is not None:
        volunteer.capacity = _capacity(capacity)
    if languages is not None:
        volunteer.languages = _languages(languages)
    return volunteer


def supervisor_duties(session: Session, volunteer_id: int, now: dt.datetime) -> list[str]:
    """Shifts not yet over where ``volunteer_id`` is the supervisor, by their ids (``w1``,
    ``o2``, ``override 3``). A replace override is marked supervisor when it handed over a
    supervisor's time (see ``warmline.scheduling.editing`` and ``swaps``)."""
    yesterday = (now - dt.timedelta(days=1)).date()  # the local date may lag UTC's by a day
    slots = session.scalars(
        select(WeeklySlot.id)
        .join(SlotAssignment)
        .where(
            SlotAssignment.volunteer_id == volunteer_id,
            SlotAssignment.supervisor.is_(True),
            (WeeklySlot.last_date.is_(None)) | (WeeklySlot.last_date >= yesterday),
        )
        .order_by(WeeklySlot.id)
    )
    one_offs = session.scalars(
        select(OneOffShift.id)
        .where(
            OneOffShift.volunteer_id == volunteer_id,
            OneOffShift.supervisor.is_(True),
            OneOffShift.end > now,
        )
        .order_by(OneOffShift.id)
    )
    overrides = session.scalars(
        select(RotaOverride.id)
        .where(
            RotaOverride.supervisor.is_(True),
            RotaOverride.end > now,
            ((RotaOverride.kind == "add") & (RotaOverride.volunteer_id == volunteer_id))
            | ((RotaOverride.kind == "replace") & (RotaOverride.replacement_id == volunteer_id)),
        )
        .order_by(RotaOverride.id)
    )
    return (
        [f"w{i}" for i in slots]
        + [f"o{i}" for i in one_offs]
        + [f"override {i}" for i in overrides]
    )


def activate_volunteer(session: Session, ref: str, region: str | None = None) -> Volunteer:
    """Route to a deactivated volunteer again (their shifts on the rota count once more)."""
    volunteer = find_volunteer(session, ref, region)
    if volunteer.active:
        raise AdminError(f"{volunteer.name} is already active")
    volunteer.active = True
    return volunteer


def list_volunteers(session: Session) -> list[Volunteer]:
    return list(session.scalars(select(Volunteer).order_by(Volunteer.name)))


def deactivate_volunteer(
    session: Session, ref: str, region: str | None = None
) -> tuple[Volunteer, int]:
    """Deactivate; returns the volunteer and how many open conversations they still hold."""
    volunteer = find_volunteer(session, ref, region)
    if not volunteer.active:
        raise AdminError(f"{volunteer.name} is already inactive")
    volunteer.active = False
    open_count = len(
        session.scalars(
            select(Conversation.id).where(
                Conversation.volunteer_id == volunteer.id, Conversation.status == "assigned"
            )
        ).all()
    )
    return volunteer, open_count


def set_blocked(
    session: Session, vault: Vault, number: str, blocked: bool, now: dt.datetime
) -> Contact | None:
    address = parse_address(number)
    contact = (
        get_or_create_contact(session, vault, address, now)
        if blocked
        else find_contact(session, vault, address)
    )
    if contact is not None:
        if blocked and not contact.blocked:
            contact.blocked_at = now
        elif not blocked:
            contact.blocked_at = None
        contact.blocked = blocked
    return contact


def blocked_contacts(session: Session) -> list[Contact]:
    """Blocked contacts, longest blocked first."""
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.blocked.is_(True))
            .order_by(Contact.blocked_at, Contact.id)
        )
    )


def volunteer_names(session: Session) -> dict[int, str]:
    """Every volunteer's name by id, for listings."""
    return {vid: name for vid, name in session.execute(select(Volunteer.id, Volunteer.name))}
