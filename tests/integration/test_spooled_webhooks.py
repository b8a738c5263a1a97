"""Texts that arrive while the database is away are kept and stored later, in order (issue 13),
through the Flask app on a private PostgreSQL that the test stops and starts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import TwilioActions, settings_for
from tests.support.processes import wait_until
from warmline.app import create_app
from warmline.bootstrap import bootstrap
from warmline.db.migrate import upgrade
from warmline.db.models import Message

CONTACT = "+12025550155"


@pytest.fixture
def outage(private_postgres, twilio_standin, clock, tmp_path):
    upgrade(private_postgres.url)
    settings = settings_for(private_postgres.url, twilio_standin).with_(
        instance_path=tmp_path / "instance"
    )
    wl = bootstrap(settings, clock=clock)
    twilio = TwilioActions(create_app(wl).test_client(), wl, twilio_standin)
    yield twilio, private_postgres
    wl.db.dispose()


def stored(wl) -> list[str]:
    with wl.db.unit_of_work() as session:
        return list(session.scalars(select(Message.body).order_by(Message.id)))


@pytest.mark.timeout(60)
def test_texts_kept_while_the_database_is_away_are_stored_in_order(outage, tmp_path):
    twilio, server = outage
    twilio.sms(CONTACT, "one")
    server.stop("fast")
    twilio.sms(CONTACT, "two")  # answered 200 all the same (TwilioActions.sms asserts it)
    twilio.sms(CONTACT, "three")
    spool = tmp_path / "instance" / "spool"
    assert len(list(spool.glob("*.json"))) == 2
    server.start()
    twilio.sms(CONTACT, "four")  # the database is back, but "two" and "three" come first
    wait_until(lambda: len(stored(twilio.wl)) == 4, 20, "the spool to be replayed")
    assert stored(twilio.wl) == ["one", "two", "three", "four"]
    assert list(spool.glob("*.json")) == []
    twilio.sms(CONTACT, "five")  # and then straight to the database again
    assert stored(twilio.wl)[-1] == "five"


@pytest.mark.timeout(60)
def test_a_repeated_delivery_of_a_kept_text_acts_once(outage):
    twilio, server = outage
    server.stop("fast")
    twilio.sms(CONTACT, "hello", sid="SM" + "7" * 32)
    server.start()
    twilio.sms(CONTACT, "hello", sid="SM" + "7" * 32)  # Twilio trying again
    wait_until(lambda: stored(twilio.wl) == ["hello"], 20, "the spool to be replayed")
    greetings = [m for m in twilio.deliver() if m["To"] == CONTACT]
    assert len(greetings) == 1


@pytest.mark.timeout(60)
def test_metrics_and_health_answer_while_the_database_is_away(outage):
    twilio, server = outage
    server.stop("fast")
    metrics = twilio.client.get("/metrics")
    assert metrics.status_code == 200 and b"warmline_webhooks_total" in metrics.data
    health = twilio.client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"
