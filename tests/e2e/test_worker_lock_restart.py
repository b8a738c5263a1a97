"""One active worker, always (issue 13): two real ``warmline worker`` processes on a private
PostgreSQL that is stopped and started under them. The standby waits the outage out instead of
exiting; the active one stops its jobs when its lock goes with the connection; afterwards exactly
one of them holds the lock and delivers, once."""

from __future__ import annotations

import time

import psycopg
import pytest

from tests.e2e.test_worker_failover import queue_text, worker_env
from tests.support.processes import wait_until
from tests.support.twilio_standin import TwilioStandIn
from warmline.db.engine import WORKER_LOCK
from warmline.db.migrate import upgrade

pytestmark = pytest.mark.slow


def lock_holders(admin_url: str) -> int:
    with psycopg.connect(admin_url, connect_timeout=2) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = 0 AND objid::bigint = %s AND objsubid = 1",
            (WORKER_LOCK,),
        ).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.timeout(120)
def test_a_database_restart_never_leaves_two_active_workers(private_postgres, spawn):
    upgrade(private_postgres.url)
    admin = private_postgres.admin_url
    with TwilioStandIn() as twilio_a, TwilioStandIn() as twilio_b:
        a = spawn("worker-a", ["worker"], worker_env(private_postgres.url, twilio_a))
        a.wait_for_output("worker lock acquired")
        b = spawn("worker-b", ["worker"], worker_env(private_postgres.url, twilio_b))
        b.wait_for_output("another worker is active; standing by")
        assert lock_holders(admin) == 1

        private_postgres.stop("fast")
        a.wait_for_output("worker lock lost", timeout=10)
        time.sleep(3)  # a few seconds of outage: the standby keeps trying
        private_postgres.start()

        wait_until(lambda: lock_holders(admin) == 1, 20, "one worker to hold the lock again")
        time.sleep(3)  # the other one must not become active as well
        assert lock_holders(admin) == 1
        assert a.popen.poll() is None and b.popen.poll() is None, "a worker exited"
        acquired = a.output().count("worker lock acquired") + b.output().count(
            "worker lock acquired"
        )
        assert acquired == 2  # the first start, and one takeover after the restart

        queue_text(private_postgres.url, "after-the-restart")
        wait_until(
            lambda: twilio_a.messages() or twilio_b.messages(), 15, "the active worker to deliver"
        )
        time.sleep(2)
        bodies = [m["Body"] for m in twilio_a.messages() + twilio_b.messages()]
        assert bodies == ["after-the-restart"]
