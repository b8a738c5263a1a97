"""Contacts: found by keyed hash of their address, created with an alias on first contact."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from warmline.db.engine import is_postgres
from warmline.db.models import Contact, Volunteer
from warmline.privacy import Address, Vault, alias_for


def find_contact(session: Session, vault: Vault, address: Address) -> Contact | None:
    return session.scalars(
        select(Contact).where(Contact.number_hash == vault.lookup_hash(address.key))
    ).first()


def get_or_create_contact(
    session: Session, vault: Vault, address: Address, now: dt.datetime
) -> Contact:
    """The contact for ``address``; safe when two first messages from one number race."""
    number_hash = vault.lookup_hash(address.key)
    taken = set(
        session.scalars(
            select(Contact.alias).where(Contact.alias.like(alias_for(number_hash) + "%"))
        )
    )
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    session.execute(
        insert(Contact)
        .values(
            number_hash=number_hash,
            number_encrypted=vault.encrypt(address.phone or address.key),
            reachable=address.phone is not None,
            alias=alias_for(number_hash, taken),
            opted_out=False,
            blocked=False,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Contact.number_hash])
    )
    contact = session.scalars(select(Contact).where(Contact.number_hash == number_hash)).one()
    return contact


def find_volunteer(session: Session, phone: str | None) -> Volunteer | None:
    if phone is None:
        return None
    return session.scalars(select(Volunteer).where(Volunteer.phone == phone)).first()
