"""The built-in phone simulator: the transport used when no Twilio credentials are set.

It accepts every text and gives it a simulated SID; the outbox row itself keeps what was sent, so
the simulator page and the demo can show each phone's screen. ``echo`` (the demo's console)
receives each text for printing; nothing here writes to the log.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence


class SimulatorSender:
    def __init__(self, echo: Callable[[str, str, str], None] | None = None) -> None:
        self._echo = echo

    def send_sms(
        self, *, from_: str, to: str, body: str, status_callback: str | None = None
    ) -> str:
        if self._echo is not None:
            self._echo(from_, to, body)
        return f"SM{secrets.token_hex(16)}"

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
