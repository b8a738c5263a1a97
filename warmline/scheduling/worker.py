"""The one scheduler process (``warmline worker``): APScheduler 3.11 drives the jobs.

It never runs inside web workers. On PostgreSQL a session-level advisory lock keeps a single
worker active: a second one waits for the lock and takes over when the first dies.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Connection, text

from warmline.bootstrap import Warmline
from warmline.db.engine import WORKER_LOCK
from warmline.scheduling import jobs

log = logging.getLogger(__name__)


def _guarded(name: str, job: object, wl: Warmline) -> object:
    def run() -> None:
        try:
            job(wl, wl.clock())  # type: ignore[operator]
        except Exception:  # a failing job must not stop the scheduler; it runs again next tick
            log.exception("job %s failed", name)

    return run


def build_scheduler(wl: Warmline) -> BackgroundScheduler:
    """The scheduler with every job under a fixed id, coalescing, one instance at a time."""
    scheduler = BackgroundScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
    )
    # Delivery and timers tick every second or two (an outbound text reaches Twilio within 2 s).
    # The planner of shift notices, reminders and draining runs at once on start too, so a worker
    # that takes over catches up within seconds.
    schedule = (
        ("outbox", jobs.deliver_outbox, 1, False),
        ("timers", jobs.fire_timers, 2, False),
        ("callbacks", jobs.place_callbacks, 2, False),
        ("plan-shifts", jobs.plan_shift_timers, 60, True),
        ("coverage-gaps", jobs.coverage_gap_alert, 600, True),
        ("retention-purge", jobs.purge_expired, 3600, True),
    )
    for job_id, job, seconds, at_start in schedule:
        scheduler.add_job(
            _guarded(job_id, job, wl),
            "interval",
            seconds=seconds,
            id=job_id,
            name=job_id,
            replace_existing=True,
            **({"next_run_time": dt.datetime.now(dt.UTC)} if at_start else {}),
        )
    return scheduler


class WorkerLock:
    """The PostgreSQL advisory lock that makes one worker the active one (no-op on SQLite)."""

    def __init__(self, wl: Warmline) -> None:
        self.wl = wl
        self.conn: Connection | None = None

    def acquire(self, stop: threading.Event, poll: float = 1.0) -> bool:
        if self.wl.db.engine.dialect.name != "postgresql":
            return True
        conn = self.conn = self.wl.db.engine.connect()
        announced = False
        while not stop.is_set():
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": WORKER_LOCK})
            if got.scalar():
                conn.commit()
                log.info("worker lock acquired: this worker is active")
                return True
            conn.rollback()
            if not announced:
                log.info("another worker is active; standing by")
                announced = True
            stop.wait(poll)
        return False

    def release(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_worker(wl: Warmline, stop: threading.Event | None = None) -> None:
    """Run until ``stop`` is set (or forever); waits for the worker lock first."""
    stop = stop or threading.Event()
    # One "Running job ..." line per job per second says nothing; failures are still logged.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    lock = WorkerLock(wl)
    if not lock.acquire(stop):
        return
    scheduler = build_scheduler(wl)
    scheduler.start()
    try:
        while not stop.is_set():
            time.sleep(0.2)
    finally:
        scheduler.shutdown(wait=True)
        lock.release()
