"""Contacts: found by keyed hash of their address, created with an alias on first contact."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from warmline.db.engine import is_postgres
from warmline.db.models import Contact
from warmline.privacy import Address, Vault, alias_for


def find_contact(session: Session, vault: Vault, address: Address) -> Contact | None:
    return session.scalars(
        select(Contact).where(Contact.number_hash == vault.lookup_hash(address.key))
    ).first()


# Built once: only the hash changes from one message to the next.
LOCK_CONTACT = (
    select(Contact).where(Contact.number_hash == bindparam("number_hash")).with_for_update()
)


def get_or_create_contact(
    session: Session, vault: Vault, address: Address, now: dt.datetime
) -> Contact:
    """The contact for ``address``, row-locked until the transaction ends.

    The lock (``FOR UPDATE`` on PostgreSQL; SQLite transactions are serial already) makes two
    simultaneous messages from one number take turns, so the second sees the conversation the
    first opened instead of failing on the one-open-conversation index. Creating is safe when
    two first messages race: the loser's insert does nothing and it locks the winner's row.
    """
    number_hash = vault.lookup_hash(address.key)
    contact = session.scalars(LOCK_CONTACT, {"number_hash": number_hash}).first()
    if contact is not None:
        return contact
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
    return session.scalars(LOCK_CONTACT, {"number_hash": number_hash}).one()
