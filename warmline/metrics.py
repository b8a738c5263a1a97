"""Prometheus metrics (GET /metrics). Labels never carry numbers or message text.

Under gunicorn every worker is its own process, so the counters and the histogram live in
prometheus-client's multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR`` is set (the gunicorn
settings in :mod:`warmline.gunicorn_conf` set it); a scrape then adds up every worker's figures
instead of reporting whichever worker answered. The figures an operator watches that live in the
database (outbox backlog and the age of its oldest text, delivery failures of the last day by
Twilio error code, the queue, open escalations) are read at scrape time by :class:`LiveFigures`,
so every web worker reports the same, including what the ``warmline worker`` process did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from warmline.db.models import Conversation, Escalation, Outbound
from warmline.outbox import UNSENT

if TYPE_CHECKING:
    from warmline.db.engine import Database

WEBHOOKS = Counter("warmline_webhooks_total", "Twilio webhooks handled", ["path", "outcome"])
WEBHOOK_SECONDS = Histogram(
    "warmline_webhook_seconds",
    "Time to answer a Twilio webhook",
    ["path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
)
OUTBOX = Counter("warmline_outbox_total", "Outbound messages by delivery result", ["result"])
ESCALATIONS = Counter("warmline_escalations_total", "Escalations raised", ["level", "source"])


class LiveFigures(Collector):
    """Gauges read from the database at scrape time."""

    def __init__(self, database: Database, clock: Callable[[], dt.datetime]) -> None:
        self.database = database
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        now = self.clock()
        try:
            figures = self._read()
        except SQLAlchemyError:  # the database is away: the counters still answer
            return
        backlog, oldest, queued, open_escalations, failures = figures
        age = (now - oldest).total_seconds() if oldest is not None else 0.0
        for name, text, value in (
            ("warmline_outbox_backlog", "Outbound texts not yet sent", backlog),
            ("warmline_outbox_oldest_age_seconds", "Age of the oldest unsent text", age),
            ("warmline_queue_length", "Contacts waiting for a volunteer", queued),
            ("warmline_open_escalations", "Crisis escalations not acknowledged", open_escalations),
        ):
            yield GaugeMetricFamily(name, text, value=float(value or 0))
        failed = GaugeMetricFamily(
            "warmline_delivery_failures",
            "Outbound texts that failed for good in the last 24 hours, by Twilio error code",
            labels=["code"],
        )
        for code, count in failures:
            failed.add_metric([str(code) if code is not None else "none"], float(count))
        yield failed

    def _read(self) -> tuple[int, dt.datetime | None, int, int, list[tuple[int | None, int]]]:
        with self.database.unit_of_work() as session:
            backlog, oldest = session.execute(
                select(func.count(Outbound.id), func.min(Outbound.created_at)).where(
                    Outbound.status.in_(UNSENT)
                )
            ).one()
            queued = session.scalar(
                select(func.count(Conversation.id)).where(Conversation.status == "queued")
            )
            open_escalations = session.scalar(
                select(func.count(Escalation.id)).where(
                    Escalation.level == "crisis", Escalation.acknowledged_at.is_(None)
                )
            )
            since = self.clock() - dt.timedelta(hours=24)
            failures = [
                (code, int(count))
                for code, count in session.execute(
                    select(Outbound.error_code, func.count(Outbound.id))
                    .where(Outbound.status == "failed", Outbound.status_at >= since)
                    .group_by(Outbound.error_code)
                )
            ]
        return int(backlog or 0), oldest, int(queued or 0), int(open_escalations or 0), failures


def exposition(multiprocess_dir: str | None, live: Collector) -> bytes:
    """The text a scrape gets: every process's counters (all of them in multiprocess mode),
    then the live figures."""
    if multiprocess_dir:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=multiprocess_dir)
        counters = generate_latest(registry)
    else:
        counters = generate_latest(REGISTRY)
    figures = CollectorRegistry()
    figures.register(live)
    return counters + generate_latest(figures)
