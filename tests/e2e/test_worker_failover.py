"""One active worker per deployment (SPEC §2, §9): the PostgreSQL advisory lock, with two real
``warmline worker`` processes. Each worker sends through its own Twilio stand-in, so the
stand-in a message reaches shows which worker delivered it."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.support.processes import DATA_KEY, base_env, wait_until
from tests.support.twilio_standin import TwilioStandIn
from warmline import outbox
from warmline.db.engine import Database
from warmline.privacy import Vault

pytestmark = pytest.mark.slow

VOLUNTEER = "+15551230001"
LINE = "+15550100000"


def queue_text(database_url: str, body: str) -> None:
    """An outbound row, as any web process would store it."""
    db = Database(database_url)
    try:
        with db.unit_of_work() as session:
            to = outbox.Recipient(Vault(DATA_KEY).encrypt(VOLUNTEER))
            outbox.enqueue(
                session, to=to, from_=LINE, body=body, kind="notice", now=dt.datetime.now(dt.UTC)
            )
    finally:
        db.dispose()


def worker_env(database_url: str, standin: TwilioStandIn) -> dict[str, str]:
    return base_env(
        database_url,
        TWILIO_ACCOUNT_SID=standin.account_sid,
        TWILIO_AUTH_TOKEN=standin.auth_token,
        TWILIO_API_BASE_URL=standin.base_url,
    )


def test_second_worker_stands_by_and_takes_over_when_the_first_dies(pg_url, spawn):
    with TwilioStandIn() as twilio_a, TwilioStandIn() as twilio_b:
        a = spawn("worker-a", ["worker"], worker_env(pg_url, twilio_a))
        a.wait_for_output("worker lock acquired")
        b = spawn("worker-b", ["worker"], worker_env(pg_url, twilio_b))
        b.wait_for_output("another worker is active; standing by")

        queue_text(pg_url, "marker-one")
        assert [m["Body"] for m in twilio_a.wait_for_messages(1, timeout=10)] == ["marker-one"]
        time.sleep(2)  # B's chance to (wrongly) send anything
        assert twilio_b.messages() == []
        assert "worker lock acquired" not in b.output()

        a.kill()
        queue_text(pg_url, "marker-two")
        took = wait_until(lambda: twilio_b.messages(), 15, "worker B to deliver")
        assert [m["Body"] for m in twilio_b.messages()] == ["marker-two"]
        assert took < 6, f"takeover took {took:.1f} s"
        print(f"worker B delivered {took:.1f} s after worker A was killed")
        assert "worker lock acquired" in b.output()
        assert [m["Body"] for m in twilio_a.messages()] == ["marker-one"]
        for standin in (twilio_a, twilio_b):
            assert standin.invalid_requests() == []
    for proc in (a, b):
        log = proc.output()
        assert VOLUNTEER not in log and "marker-one" not in log and "marker-two" not in log
