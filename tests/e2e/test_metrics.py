"""/metrics under gunicorn with several workers (issue 13): every scrape adds up all workers'
figures (prometheus-client's multiprocess mode), and the live figures come from the database."""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.e2e.test_web_and_worker import (
    LINE,
    PUBLIC_URL,
    healthy,
    production_env,
    seed_volunteer_on_shift,
)
from tests.support.processes import free_port, wait_until
from warmline.telephony.signature import sign

pytestmark = pytest.mark.slow
TEXTS = 20


def scrape(base: str) -> dict[str, float]:
    """Each sample's value, by its name and labels as printed."""
    with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
        text = response.read().decode()
    samples = {}
    for line in text.splitlines():
        found = re.match(r"^([a-z_]+(?:\{[^}]*\})?) ([0-9.e+-]+)$", line)
        if found:
            samples[found[1]] = float(found[2])
    return samples


def total(samples: dict[str, float], name: str) -> float:
    return sum(v for k, v in samples.items() if k == name or k.startswith(name + "{"))


def test_every_scrape_counts_every_workers_webhooks(pg_url, spawn, twilio_standin):
    seed_volunteer_on_shift(pg_url)
    env = production_env(pg_url, twilio_standin)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    spawn("web", ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"], env)
    wait_until(lambda: healthy(base), 30, "the web app to answer /healthz")
    for n in range(TEXTS):
        form = {
            "MessageSid": f"SM{n:032x}",
            "AccountSid": twilio_standin.account_sid,
            "From": f"+1202555{n:04d}",
            "To": LINE,
            "Body": "hello",
            "NumMedia": "0",
        }
        request = urllib.request.Request(
            f"{base}/twilio/sms",
            data=urlencode(form).encode(),
            headers={
                "X-Twilio-Signature": sign(
                    twilio_standin.auth_token, PUBLIC_URL + "/twilio/sms", form
                ),
                "Connection": "close",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    for _ in range(8):  # scrapes land on either worker
        samples = scrape(base)
        assert total(samples, "warmline_webhooks_total") == TEXTS
        assert samples['warmline_webhook_seconds_count{path="/twilio/sms"}'] == TEXTS
        # no worker runs: the greetings and relays wait in the outbox, the rest in the queue
        assert samples["warmline_outbox_backlog"] >= TEXTS
        assert samples["warmline_outbox_oldest_age_seconds"] >= 0
        assert samples["warmline_queue_length"] == TEXTS - 2  # Sam holds two at capacity 2
        assert samples["warmline_open_escalations"] == 0
