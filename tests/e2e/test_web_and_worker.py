"""The production shape end to end (SPEC §2, §4): ``warmline serve`` (gunicorn) and
``warmline worker`` as real processes on PostgreSQL; a signed inbound SMS webhook in, the
relayed text out at the Twilio stand-in within 2 seconds."""

from __future__ import annotations

import datetime as dt
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.support.processes import base_env, free_port, wait_until
from tests.support.twilio_standin import TwilioStandIn
from warmline.db.engine import Database
from warmline.people import add_volunteer
from warmline.scheduling.editing import add_around_the_clock
from warmline.telephony.signature import sign

pytestmark = pytest.mark.slow

PUBLIC_URL = "https://warmline.example.org"
VOLUNTEER = "+15551230001"
CONTACT = "+12025550101"
LINE = "+15550100000"


def seed_volunteer_on_shift(database_url: str) -> None:
    db = Database(database_url)
    now = dt.datetime.now(dt.UTC)
    try:
        with db.unit_of_work() as session:
            add_volunteer(session, "Sam", VOLUNTEER, now)
            add_around_the_clock(session, volunteers=[VOLUNTEER], supervisors=[], now=now)
    finally:
        db.dispose()


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def post_sms(base: str, auth_token: str, account_sid: str, body: str) -> int:
    form = {
        "MessageSid": "SM" + "e2e0" * 8,
        "AccountSid": account_sid,
        "From": CONTACT,
        "To": LINE,
        "Body": body,
        "NumMedia": "0",
    }
    signature = sign(auth_token, PUBLIC_URL + "/twilio/sms", form)
    request = urllib.request.Request(
        f"{base}/twilio/sms",
        data=urlencode(form).encode(),
        headers={"X-Twilio-Signature": signature},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def production_env(database_url: str, standin: TwilioStandIn) -> dict[str, str]:
    """A production process's environment, sending to ``standin``."""
    return base_env(
        database_url,
        WARMLINE_PUBLIC_URL=PUBLIC_URL,
        TWILIO_ACCOUNT_SID=standin.account_sid,
        TWILIO_AUTH_TOKEN=standin.auth_token,
        TWILIO_API_BASE_URL=standin.base_url,
    )


def test_signed_sms_is_relayed_through_web_and_worker_within_two_seconds(
    pg_url, spawn, twilio_standin
):
    seed_volunteer_on_shift(pg_url)
    env = production_env(pg_url, twilio_standin)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = spawn("web", ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"], env)
    worker = spawn("worker", ["worker"], env)
    wait_until(lambda: healthy(base), 30, "the web app to answer /healthz")
    worker.wait_for_output("worker lock acquired")
    time.sleep(1)  # the scheduler's first ticks

    assert post_sms(base, twilio_standin.auth_token, twilio_standin.account_sid, "hello e2e") == 200
    posted = time.monotonic()
    wait_until(
        lambda: any(
            m["To"] == VOLUNTEER and m["Body"].endswith("] hello e2e")
            for m in twilio_standin.messages()
        ),
        2.0,
        "the relayed text at the Twilio stand-in",
    )
    took = time.monotonic() - posted
    print(f"relayed {took:.2f} s after the webhook answered")
    messages = twilio_standin.messages()
    to_contact = [m for m in messages if m["To"] == CONTACT]
    assert to_contact and all(m["From"] == LINE for m in to_contact)  # the greeting
    assert all(CONTACT not in m["Body"] for m in messages if m["To"] == VOLUNTEER)
    for proc in (web, worker):
        assert CONTACT not in proc.output() and "hello e2e" not in proc.output()
