"""What the routing services need besides a session and the time: settings, keys, the scanner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from warmline import outbox
from warmline.config import Settings
from warmline.db.models import Contact, Volunteer
from warmline.privacy import Vault


@dataclass(frozen=True)
class Context:
    settings: Settings
    vault: Vault
    scan: Callable[[str], Any] | None = None  # escalation matcher's scan(text) -> Scan
    # Volunteers' numbers, encrypted once per process: every relay writes one to the outbox, and
    # a fresh Fernet token each time costs more than the rest of the outbox row. Plain numbers
    # are in the volunteer table anyway; the outbox still stores only ciphertext.
    _volunteer_tokens: dict[str, bytes] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def to_contact(self, contact: Contact) -> outbox.Recipient:
        return outbox.Recipient(contact.number_encrypted, contact_id=contact.id)

    def to_volunteer(self, volunteer: Volunteer) -> outbox.Recipient:
        return self.to_volunteer_phone(volunteer.id, volunteer.phone)

    def to_volunteer_phone(self, volunteer_id: int, phone: str) -> outbox.Recipient:
        token = self._volunteer_tokens.get(phone)
        if token is None:
            token = self._volunteer_tokens[phone] = self.vault.encrypt(phone)
        return outbox.Recipient(token, volunteer_id=volunteer_id)

    def to_number(self, number: str) -> outbox.Recipient:
        return outbox.Recipient(self.vault.encrypt(number))

    def text_contact(
        self,
        session: Session,
        contact: Contact,
        body: str,
        kind: str,
        now: dt.datetime,
        conversation_id: int | None = None,
    ) -> None:
        """Queue a text to a contact from the line's public number, unless they can't get one."""
        if contact.opted_out or contact.blocked or not contact.reachable:
            return
        outbox.enqueue(
            session,
            to=self.to_contact(contact),
            from_=self.settings.line.public_number,
            body=body,
            kind=kind,
            now=now,
            conversation_id=conversation_id,
            flood_cap=self.settings.routing.flood_max_auto_texts_per_hour,
        )

    def text_volunteer(
        self,
        session: Session,
        volunteer: Volunteer,
        body: str,
        kind: str,
        now: dt.datetime,
        from_: str | None = None,
        conversation_id: int | None = None,
        dedupe_key: str | None = None,
    ) -> None:
        """Queue a text to a volunteer, from a relay number or else the public number."""
        outbox.enqueue(
            session,
            to=self.to_volunteer(volunteer),
            from_=from_ or self.settings.line.public_number,
            body=body,
            kind=kind,
            now=now,
            conversation_id=conversation_id,
            dedupe_key=dedupe_key,
        )
