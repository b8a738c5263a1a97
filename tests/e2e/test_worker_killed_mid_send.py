"""A worker killed while Twilio is taking its text (issue 13): the text reached Twilio but its
result was never recorded. The next worker finds it in Twilio's Messages list once the claim's
lease runs out, and records it instead of sending it again."""

from __future__ import annotations

import time

import pytest

from tests.e2e.test_worker_failover import queue_text, worker_env
from tests.support.processes import wait_until
from tests.support.twilio_standin import TwilioStandIn
from warmline import outbox
from warmline.db.engine import Database
from warmline.db.models import Outbound

pytestmark = pytest.mark.slow


def row_status(url: str) -> str:
    db = Database(url)
    try:
        with db.unit_of_work() as session:
            return str(session.query(Outbound.status).scalar())
    finally:
        db.dispose()


@pytest.mark.timeout(120)
def test_a_text_whose_sender_was_killed_mid_send_goes_out_once(pg_url, spawn):
    with TwilioStandIn() as twilio:
        twilio.delay_next(3.0)  # Twilio is slow to answer: the worker waits inside the send
        first = spawn("worker-1", ["worker"], worker_env(pg_url, twilio))
        first.wait_for_output("worker lock acquired")
        queue_text(pg_url, "only-once")
        wait_until(lambda: twilio.requests, 10, "the send to reach Twilio")
        first.kill()  # before Twilio answers: nothing is recorded
        twilio.wait_for_messages(1, timeout=10)  # Twilio took the text all the same
        assert row_status(pg_url) == "claimed"

        second = spawn("worker-2", ["worker"], worker_env(pg_url, twilio))
        second.wait_for_output("worker lock acquired")
        wait_until(
            lambda: row_status(pg_url) == "sent",
            outbox.LEASE.total_seconds() + 15,
            "the next worker to find the text at Twilio",
        )
        time.sleep(2)
        assert [m["Body"] for m in twilio.messages()] == ["only-once"]
        looked = [r for r in twilio.requests if r.method == "GET"]
        assert looked, "the next worker asked Twilio's Messages list"
        assert twilio.invalid_requests() == []
