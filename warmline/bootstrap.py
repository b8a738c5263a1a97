"""Composition root: builds what the web app and the worker share, from Settings."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warmline.config import Settings
from warmline.db.engine import Database
from warmline.outbox import Sender
from warmline.privacy import Vault
from warmline.routing.context import Context

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_sender(settings: Settings, echo: Callable[[str, str, str], None] | None = None) -> Sender:
    """The real Twilio REST sender, or the phone simulator when there are no credentials."""
    if settings.uses_simulator:
        from warmline.telephony.simulator import SimulatorSender

        return SimulatorSender(echo)
    from warmline.telephony.rest import TwilioSender, make_client

    assert settings.twilio_account_sid and settings.twilio_auth_token
    client = make_client(
        settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_base_url
    )
    return TwilioSender(client)


def make_scanner(settings: Settings) -> Callable[[str], object]:
    path = settings.escalation_path
    return _scanner(path, path.stat().st_mtime_ns)


@functools.cache
def _scanner(path: Path, mtime_ns: int) -> Callable[[str], object]:
    """Building the matcher takes about a second: once per lexicon file version per process
    (each CLI command, test and worker used to pay it again)."""
    from warmline.escalation.lexicon import load_lexicon
    from warmline.escalation.matcher import Matcher

    return Matcher(load_lexicon(path)).scan


@dataclass
class Warmline:
    """Everything a request or a job needs, built once per process."""

    settings: Settings
    db: Database
    vault: Vault
    sender: Sender
    clock: Clock = utc_now
    context: Context = field(init=False)

    def __post_init__(self) -> None:
        self.context = Context(self.settings, self.vault, make_scanner(self.settings))

    def callback_url(self, path: str) -> str | None:
        """Absolute URL of one of our webhooks, when the public URL is known."""
        return f"{self.settings.public_url}{path}" if self.settings.public_url else None


def bootstrap(
    settings: Settings,
    *,
    sender: Sender | None = None,
    clock: Clock = utc_now,
    echo: Callable[[str, str, str], None] | None = None,
) -> Warmline:
    return Warmline(
        settings=settings,
        db=Database(settings.database_url),
        vault=Vault(settings.data_key),
        sender=sender or make_sender(settings, echo),
        clock=clock,
    )
