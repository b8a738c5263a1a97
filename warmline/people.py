"""Coordinator actions on volunteers and contacts (CLI, dashboard and API share these)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.config import ConfigError, normalise_number
from warmline.db.models import Contact, Conversation, Volunteer
from warmline.privacy import Vault, parse_address
from warmline.routing.contacts import find_contact, get_or_create_contact

ROLES = ("volunteer", "supervisor")


class AdminError(ValueError):
    """A coordinator's request that cannot be done; the message says why."""


def phone(value: str) -> str:
    try:
        return normalise_number(value, "phone")
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
) -> Volunteer:
    if role not in ROLES:
        raise AdminError(f"role must be one of {', '.join(ROLES)}")
    if capacity < 1:
        raise AdminError("capacity must be at least 1")
    if not name.strip():
        raise AdminError("name must not be empty")
    number = phone(number)
    if session.scalars(select(Volunteer).where(Volunteer.phone == number)).first():
        raise AdminError("a volunteer with that number already exists")
    volunteer = Volunteer(
        name=name.strip(),
        phone=number,
        role=role,
        capacity=capacity,
        active=True,
        paused=False,
        languages=",".join(x.strip().lower() for x in languages.split(",") if x.strip()),
        reminder_minutes="1440,60",
        calendar_token=secrets.token_urlsafe(24),
        created_at=now,
    )
    session.add(volunteer)
    session.flush()
    return volunteer


def find_volunteer(session: Session, ref: str) -> Volunteer:
    """A volunteer by id or phone number."""
    if ref.isdigit() and len(ref) < 7:
        found = session.get(Volunteer, int(ref))
    else:
        found = session.scalars(select(Volunteer).where(Volunteer.phone == phone(ref))).first()
    if found is None:
        raise AdminError(f"no volunteer {ref}")
    return found


def list_volunteers(session: Session) -> list[Volunteer]:
    return list(session.scalars(select(Volunteer).order_by(Volunteer.name)))


def deactivate_volunteer(session: Session, ref: str) -> tuple[Volunteer, int]:
    """Deactivate; returns the volunteer and how many open conversations they still hold."""
    volunteer = find_volunteer(session, ref)
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
        contact.blocked = blocked
    return contact


def blocked_contacts(session: Session) -> list[Contact]:
    return list(session.scalars(select(Contact).where(Contact.blocked.is_(True))))


def volunteer_names(session: Session) -> dict[int, str]:
    """Every volunteer's name by id, for listings."""
    return {vid: name for vid, name in session.execute(select(Volunteer.id, Volunteer.name))}
