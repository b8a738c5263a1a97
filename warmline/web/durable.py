"""Inbound texts and delivery callbacks survive a database outage (issue 13).

A webhook whose fields passed the edge checks is handled at once, unless the database cannot be
reached: then it is kept in the instance folder's spool (:mod:`warmline.web.spool`) and answered
as handled, and this process replays it, in arrival order, as soon as the database is back. While
anything is spooled, new webhooks queue behind it, so a contact's texts do not overtake each other.
Handling is idempotent on the Twilio SID, so a webhook handled and then replayed acts once.
(Across gunicorn workers the "anything spooled?" look is not atomic: in the moment the database
returns, a text handled directly by one worker may overtake one that another spooled a moment
earlier.)

Calls are not spooled: a caller cannot wait for the database to return.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import exc

from warmline.bootstrap import Warmline
from warmline.routing.inbound import InboundSms, receive_sms
from warmline.routing.outcomes import delivery_status
from warmline.web.spool import Replayer, Spool

SMS, SMS_STATUS = "sms", "sms-status"


@dataclasses.dataclass(frozen=True)
class DeliveryStatus:
    sid: str
    status: str
    error_code: int | None


def database_away(error: Exception) -> bool:
    """Errors that say the database cannot be reached or cannot take work now (not that it
    refused this webhook's data)."""
    if isinstance(error, exc.DBAPIError):
        return error.connection_invalidated or isinstance(
            error, exc.OperationalError | exc.InterfaceError
        )
    return isinstance(error, exc.TimeoutError)  # no pooled connection came free in time


def handle(wl: Warmline, kind: str, fields: Mapping[str, Any], now: dt.datetime) -> bool:
    """Run one webhook's service; whether it acted (False for a repeated SID)."""
    if kind == SMS:
        inbound = InboundSms(**fields)
        return wl.db.run(lambda session: receive_sms(session, wl.context, inbound, now))
    if kind == SMS_STATUS:
        update = DeliveryStatus(**fields)
        wl.db.run(
            lambda session: delivery_status(
                session, wl.context, update.sid, update.status, update.error_code, now
            )
        )
        return True
    raise ValueError(f"unknown spooled webhook kind {kind!r}")


class Durable:
    """One per app: handle a webhook now, or keep it for later (see the module docstring)."""

    def __init__(self, wl: Warmline) -> None:
        self.wl = wl
        self.spool = Spool(wl.settings.instance_path / "spool", wl.settings.retention_days)
        self.spool.tidy()
        self.replayer = Replayer(
            self.spool, lambda kind, fields, at: handle(wl, kind, fields, at), database_away
        )
        if self.spool.pending():  # kept by an earlier process of this instance
            self.replayer.ensure_running()

    def accept(self, kind: str, value: InboundSms | DeliveryStatus) -> bool | None:
        """Handle ``value`` now (whether it acted), or keep it (None)."""
        now = self.wl.clock()
        fields = dataclasses.asdict(value)
        if not self.spool.pending():
            try:
                return handle(self.wl, kind, fields, now)
            except Exception as error:
                if not database_away(error):
                    raise
        self.spool.keep(kind, fields, now)
        self.replayer.ensure_running()
        return None
