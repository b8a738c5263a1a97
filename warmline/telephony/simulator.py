"""The built-in phone simulator: the transport used when no Twilio credentials are set.

It accepts every text and gives it a simulated SID; the outbox row itself keeps what was sent, so
the simulator page and the demo can show each phone's screen. ``echo`` (the demo's console)
receives each text for printing; nothing here writes to the log.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.config import ConfigError, Line, normalise_number
from warmline.db.models import Outbound
from warmline.privacy import Vault
from warmline.telephony.port import CallPurpose


class SimulatorSender:
    """The telephony port's adapter when there is no Twilio (``telephony.port.Telephony``)."""

    def __init__(self, echo: Callable[[str, str, str], None] | None = None) -> None:
        self._echo = echo

    def send_sms(self, *, from_: str, to: str, body: str) -> str:
        if self._echo is not None:
            self._echo(from_, to, body)
        return f"SM{secrets.token_hex(16)}"

    def find_sent(self, *, from_: str, to: str, body: str, since: dt.datetime) -> list[str]:
        """The simulator answers every send at once, so no attempt is ever left in doubt."""
        return []

    def place_call(
        self, *, purpose: CallPurpose, conversation_id: int, from_: str, to: str, ring_seconds: int
    ) -> str:
        """The simulator has no voice: the call is only shown (callbacks in the demo)."""
        if self._echo is not None:
            self._echo(from_, to, "(warmline is calling this phone for a voicemail callback)")
        return f"CA{secrets.token_hex(16)}"

    def delete_recording(self, recording_sid: str) -> None:
        """The simulator keeps no recordings (voicemails come only from Twilio): nothing to
        delete, never an error."""


def line_numbers(line: Line) -> tuple[str, ...]:
    """The numbers a simulated phone may text: the public number, then the relay pool."""
    return tuple(dict.fromkeys((line.public_number, *line.relay_numbers)))


class BadText(ValueError):
    """A simulated text the line could never receive; the message names the field."""


@dataclass(frozen=True)
class SimulatedText:
    from_: str
    to: str
    body: str


def check_text(fields: Mapping[str, Any], line: Line) -> SimulatedText:
    """A text a phone sends to the line, or BadText naming the field at fault.

    ``from`` must be a phone number (E.164, or national format in the line's own country) and
    not one of the line's own numbers; ``to`` must be one of them (:func:`line_numbers`);
    ``body`` is text, possibly empty (as Twilio delivers an empty text).
    """
    numbers = line_numbers(line)
    raw = {name: fields.get(name) for name in ("from", "to", "body")}
    for name, value in raw.items():
        if value is not None and not isinstance(value, str):
            raise BadText(f"{name} must be a string")
    for name in ("from", "to"):
        if not (raw[name] or "").strip():
            raise BadText(f"{name} is required")
    try:
        from_ = normalise_number(str(raw["from"]).strip(), "from", line.region)
        to = normalise_number(str(raw["to"]).strip(), "to", line.region)
    except ConfigError as exc:
        raise BadText(str(exc)) from None
    if from_ in numbers:
        raise BadText(f"from: {from_} is one of the line's own numbers; text from a phone")
    if to not in numbers:
        raise BadText(f"to: {to} is not one of the line's numbers ({', '.join(numbers)})")
    return SimulatedText(from_=from_, to=to, body=str(raw["body"] or ""))


def phone_key(raw: str, line: Line) -> str:
    """The phone a screen belongs to: ``raw`` as E.164 when it is a number (national format in
    the line's country too), else its trimmed text."""
    try:
        return normalise_number(raw.strip(), "phone", line.region)
    except ConfigError:
        return raw.strip().lower()


def reply_to(messages: Sequence[Mapping[str, str]], phone: str, numbers: Sequence[str]) -> str:
    """The number a phone's next text goes to by default: the line number its latest received
    text came from, so a volunteer answers on the conversation's relay number; the first of
    ``numbers`` (the public number) before anything arrives."""
    received = [m["from"] for m in messages if m["from"] != phone and m["from"] in numbers]
    return received[-1] if received else numbers[0]


class Screens:
    """What each simulated phone shows: the texts it sent (kept here, in memory) and the texts
    the line sent it (the outbox rows, whose numbers only this simulator decrypts)."""

    def __init__(self) -> None:
        self._sent: dict[str, list[tuple[dt.datetime, dict[str, str]]]] = {}

    def record_sent(self, text: SimulatedText, at: dt.datetime) -> None:
        message = {"from": text.from_, "to": text.to, "body": text.body}
        self._sent.setdefault(text.from_, []).append((at, message))

    def thread(
        self, session: Session, vault: Vault, key: str, tz: ZoneInfo
    ) -> list[dict[str, str]]:
        """Everything the phone ``key`` sent and received, oldest first; each with ``at`` (ISO
        8601, UTC), and ``time`` and ``when``: the hour and the full date in the line's ``tz``."""
        received = [
            (
                r.created_at,
                {"from": r.from_number, "to": key, "body": r.body or "", "status": r.status},
            )
            for r in session.scalars(select(Outbound).order_by(Outbound.id))
            if vault.decrypt(r.to_encrypted) == key
        ]
        timed = sorted(self._sent.get(key, []) + received, key=lambda pair: pair[0])
        return [message | _stamp(at, tz) for at, message in timed]


def _stamp(at: dt.datetime, tz: ZoneInfo) -> dict[str, str]:
    local = at.astimezone(tz)
    return {
        "at": at.astimezone(dt.UTC).isoformat(),
        "time": local.strftime("%H:%M"),
        "when": local.strftime("%a %d %b %Y, %H:%M:%S %Z"),
    }
