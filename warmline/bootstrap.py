"""Composition root: builds what the web app and the worker share, from Settings."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from warmline.config import ConfigError, Settings
from warmline.context import Context
from warmline.db.engine import Database
from warmline.privacy import Vault
from warmline.telephony.port import Telephony

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def require_telephony(settings: Settings) -> None:
    """A production process serves real people: it needs Twilio, never the phone simulator
    (which shows every phone's texts to anyone who opens it)."""
    if settings.mode == "production" and settings.uses_simulator:
        raise ConfigError(
            "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required in production "
            "(the phone simulator runs only in `warmline demo` and in tests)"
        )


def make_sender(
    settings: Settings, echo: Callable[[str, str, str], None] | None = None
) -> Telephony:
    """The telephony port's Twilio adapter, or the phone simulator when there are no
    credentials."""
    if settings.uses_simulator:
        from warmline.telephony.simulator import SimulatorSender

        return SimulatorSender(echo)
    from warmline.telephony.rest import TwilioSender, make_client

    assert settings.twilio_account_sid and settings.twilio_auth_token
    client = make_client(
        settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_base_url
    )
    return TwilioSender(client, settings.public_url)


def make_scanner(settings: Settings) -> Callable[[str], object]:
    """The escalation matcher's scan; built once per process for each version of the lexicon."""
    path = settings.escalation_path
    return _matcher(str(path), path.stat().st_mtime_ns).scan


@functools.lru_cache(maxsize=4)
def _matcher(path: str, mtime_ns: int) -> Any:
    from warmline.escalation.classifier import load_model
    from warmline.escalation.lexicon import load_lexicon
    from warmline.escalation.matcher import Matcher

    return Matcher(load_lexicon(path), load_model())


@dataclass
class Warmline:
    """Everything a request or a job needs, built once per process."""

    settings: Settings
    db: Database
    vault: Vault
    sender: Telephony
    clock: Clock = utc_now
    context: Context = field(init=False)

    def __post_init__(self) -> None:
        self.context = Context(self.settings, self.vault, make_scanner(self.settings))

    def callback_url(self, path: str) -> str | None:
        """Absolute URL of one of our webhooks, when the public URL is known (for the web
        layer's TwiML; the telephony adapters build their own)."""
        return f"{self.settings.public_url}{path}" if self.settings.public_url else None


def bootstrap(
    settings: Settings,
    *,
    sender: Telephony | None = None,
    clock: Clock = utc_now,
    echo: Callable[[str, str, str], None] | None = None,
    serving: bool = True,
) -> Warmline:
    """What a process needs, from ``settings``. ``serving`` is False for a one-off command (a
    coordinator's ``warmline volunteer add``): the start-up warnings are for the processes that
    serve texts and alerts (web, worker, demo), not noise on every command's output."""
    if serving and not settings.coordinator_numbers and settings.mode != "test":
        log.warning(
            "alerts.coordinator_numbers is empty: when no supervisor is on shift, escalations "
            "and coverage gaps reach only the volunteers on shift"
        )
    return Warmline(
        settings=settings,
        db=Database(settings.database_url),
        vault=Vault(settings.data_key),
        sender=sender or make_sender(settings, echo),
        clock=clock,
    )
