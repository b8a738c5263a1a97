"""The one scheduler process (``warmline worker``): APScheduler 3.11 drives the jobs.

It never runs inside web workers. On PostgreSQL a session-level advisory lock keeps a single
worker active: a second one waits for the lock and takes over when the first dies.

The lock lives as long as its database connection. When the database restarts or the connection
drops, the active worker stops its jobs at its next check (``LOCK_CHECK_SECONDS``) and competes
for the lock again; a standby that cannot reach the database keeps retrying instead of exiting.
So at most one worker runs jobs, whatever happens to the database.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from warmline.bootstrap import Warmline
from warmline.db.engine import WORKER_LOCK
from warmline.worker import jobs

log = logging.getLogger(__name__)

LOCK_CHECK_SECONDS = 1.0  # how often the active worker checks it still holds the lock
# Whether this session holds the advisory lock ``k`` (a one-bigint key below 2**32).
HOLDS_LOCK = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND pid = pg_backend_pid() AND classid = 0 AND objid::bigint = :k AND objsubid = 1)"
)


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
        self.postgres = wl.db.engine.dialect.name == "postgresql"

    def acquire(self, stop: threading.Event, poll: float = 1.0) -> bool:
        """Wait for the lock until ``stop``; database errors are waited out, never fatal."""
        if not self.postgres:
            return True
        announced = unreachable = False
        while not stop.is_set():
            try:
                if self.conn is None:
                    self.conn = self.wl.db.engine.connect()
                got = self.conn.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": WORKER_LOCK}
                ).scalar()
                self.conn.commit()
                if got:
                    log.info("worker lock acquired: this worker is active")
                    return True
                unreachable = False
                if not announced:
                    log.info("another worker is active; standing by")
                    announced = True
            except SQLAlchemyError as exc:
                self.release()
                if not unreachable:
                    log.warning("database unreachable (%s); retrying", type(exc).__name__)
                    unreachable = True
            stop.wait(poll)
        return False

    def held(self) -> bool:
        """Whether this worker still holds the lock; False when its connection is gone."""
        if not self.postgres:
            return True
        if self.conn is None:
            return False
        try:
            holds = bool(self.conn.execute(HOLDS_LOCK, {"k": WORKER_LOCK}).scalar())
            self.conn.commit()
            return holds
        except SQLAlchemyError:
            return False

    def release(self) -> None:
        """Drop the lock's connection for good: invalidated, not returned to the pool, where a
        session lock would live on unseen."""
        if self.conn is not None:
            try:
                self.conn.invalidate()
                self.conn.close()
            except SQLAlchemyError:
                pass  # a dead connection has nothing left to release
            self.conn = None


def run_worker(wl: Warmline, stop: threading.Event | None = None) -> None:
    """Run until ``stop`` is set (or forever): wait for the worker lock, run the jobs while it is
    held, and stop them and compete again the moment it is lost."""
    stop = stop or threading.Event()
    # One "Running job ..." line per job per second says nothing; failures are still logged.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    lock = WorkerLock(wl)
    while not stop.is_set() and lock.acquire(stop):
        scheduler = build_scheduler(wl)
        scheduler.start()
        try:
            while not stop.wait(LOCK_CHECK_SECONDS):
                if not lock.held():
                    log.warning("worker lock lost: jobs stopped; competing for the lock again")
                    break
        finally:
            scheduler.shutdown(wait=True)
            lock.release()
