"""The built-in phone simulator: the transport used when no Twilio credentials are set.

It accepts every text and gives it a simulated SID; the outbox row itself keeps what was sent, so
the simulator page and the demo can show each phone's screen. ``echo`` (the demo's console)
receives each text for printing; nothing here writes to the log.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.db.models import Outbound, Volunteer
from warmline.privacy import Vault


class SimulatorSender:
    def __init__(self, echo: Callable[[str, str, str], None] | None = None) -> None:
        self._echo = echo

    def send_sms(
        self, *, from_: str, to: str, body: str, status_callback: str | None = None
    ) -> str:
        if self._echo is not None:
            self._echo(from_, to, body)
        return f"SM{secrets.token_hex(16)}"

    def find_sent(self, *, from_: str, to: str, body: str, since: dt.datetime) -> str | None:
        """The simulator answers every send at once, so no attempt is ever left in doubt."""
        return None

    def start_call(
        self,
        *,
        from_: str,
        to: str,
        url: str,
        status_callback: str | None = None,
        status_callback_events: Sequence[str] = (),
        timeout: int | None = None,
    ) -> str:
        """The simulator has no voice: the call is only shown (callbacks in the demo)."""
        if self._echo is not None:
            self._echo(from_, to, "(warmline is calling this phone for a voicemail callback)")
        return f"CA{secrets.token_hex(16)}"


class Screens:
    """What each simulated phone shows: the texts it sent (kept here, in memory) and the texts
    the line sent it (the outbox rows, whose numbers only this simulator decrypts)."""

    def __init__(self) -> None:
        self._sent: dict[str, list[dict[str, str]]] = {}

    def record_sent(self, key: str, to: str, body: str, at: dt.datetime) -> None:
        self._sent.setdefault(key, []).append(
            {"from": key, "to": to, "body": body, "at": at.isoformat()}
        )

    def thread(self, session: Session, vault: Vault, key: str) -> list[dict[str, str]]:
        """Everything the phone ``key`` sent and received, oldest first."""
        received = [
            {
                "from": r.from_number,
                "to": key,
                "body": r.body or "",
                "at": r.created_at.isoformat(),
                "status": r.status,
            }
            for r in session.scalars(select(Outbound).order_by(Outbound.id))
            if vault.decrypt(r.to_encrypted) == key
        ]
        return sorted(self._sent.get(key, []) + received, key=lambda m: m["at"])


def volunteer_phones(session: Session) -> list[tuple[str, str]]:
    return [(v.name, v.phone) for v in session.scalars(select(Volunteer).order_by(Volunteer.id))]
