"""The worker's jobs. Each takes the composition root and ``now``; each is safe to run again."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from warmline import metrics, outbox
from warmline.bootstrap import Warmline
from warmline.context import Context
from warmline.escalation import acks
from warmline.routing import calls, timeouts
from warmline.routing.callbacks import place_calls
from warmline.routing.outcomes import not_delivered
from warmline.scheduling.timers import claim_due
from warmline.worker import housekeeping, notices

log = logging.getLogger(__name__)

TimerHandler = Callable[[Session, Context, int, dt.datetime], None]
TIMER_HANDLERS: dict[str, TimerHandler] = {
    "response": timeouts.response_timeout,
    "idle": timeouts.idle_close,
    "queue-update": timeouts.queue_update,
    "escalation-ack": acks.ack_timeout,
    "call-stale": calls.stale_call,
}
# Handlers that need the whole timer row (its key names the shift instant): shift notices.
TIMER_ROW_HANDLERS: dict[str, notices.TimerRowHandler] = notices.HANDLERS

plan_shift_timers = notices.plan_shift_timers
coverage_gap_alert = housekeeping.coverage_gap_alert
purge_expired = housekeeping.purge_expired


def deliver_outbox(wl: Warmline, now: dt.datetime) -> outbox.DeliveryReport:
    report = outbox.deliver_due(
        wl.db,
        wl.sender,
        wl.vault,
        now,
        on_permanent_failure=lambda s, row, at: not_delivered(s, wl.context, row, at),
    )
    for result in ("sent", "retried", "failed"):
        if count := getattr(report, result):
            metrics.OUTBOX.labels(result).inc(count)
    return report


def place_callbacks(wl: Warmline, now: dt.datetime) -> int:
    """Call the volunteers who took a voicemail callback (``#callback``); how many calls."""
    return place_calls(wl.db, wl.sender, wl.context, now)


def fire_timers(wl: Warmline, now: dt.datetime, limit: int = 100) -> int:
    """Claim due timers and run their handlers, each in its own transaction; how many fired."""
    fired = 0
    while fired < limit:
        with wl.db.unit_of_work() as session:
            due = claim_due(session, now, limit=1)
            if not due:
                break
            timer = due[0]
            timer.done_at = now
            handler = TIMER_HANDLERS.get(timer.kind)
            if row_handler := TIMER_ROW_HANDLERS.get(timer.kind):
                row_handler(session, wl.context, timer, now)
            elif handler is None:
                log.error("timer %s has unknown kind %s; dropped", timer.id, timer.kind)
            elif timer.ref_id is not None:
                handler(session, wl.context, timer.ref_id, now)
            fired += 1
    return fired
