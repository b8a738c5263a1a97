"""The outbox: retries with backoff, permanent errors, 21610, status callbacks (SPEC §12)."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select, text

from warmline import outbox
from warmline.db.models import Contact, Outbound
from warmline.telephony.rest import TwilioSender, make_client

CONTACT = "+12025550101"


def rows(wl):
    with wl.db.unit_of_work() as session:
        return list(session.scalars(select(Outbound).order_by(Outbound.id)))


def test_transient_errors_are_retried_with_backoff(twilio, people, clock):
    people.volunteer("Sam")
    twilio.standin.fail_next(3, status=500)
    twilio.sms(CONTACT, "hi")
    assert twilio.deliver() == []  # the three pending texts each got one 500
    retrying = rows(twilio.wl)
    # A 5xx may hide an accepted message: the retry looks before it sends.
    assert {r.status for r in retrying} == {"unconfirmed"}
    assert {r.attempts for r in retrying} == {1}
    assert all(r.next_attempt_at > clock.now for r in retrying)
    assert twilio.deliver() == []  # not due yet: backoff
    clock.advance(seconds=3)
    twilio.standin.fail_next(1, status=429)
    delivered = twilio.deliver()
    assert len(delivered) == 2
    clock.advance(seconds=5)
    assert len(twilio.deliver()) == 1
    assert {r.status for r in rows(twilio.wl)} == {"sent"}


def test_a_send_that_timed_out_but_reached_twilio_is_not_sent_again(twilio, people, clock):
    standin = twilio.standin
    twilio.wl.sender = TwilioSender(
        make_client(standin.account_sid, standin.auth_token, standin.base_url, timeout=0.5)
    )
    people.volunteer("Sam")
    standin.delay_next(1.5)  # beyond the client's time-out; Twilio still takes the message
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    first = rows(twilio.wl)[0]
    assert first.status == "unconfirmed" and first.attempts == 1
    standin.wait_for_messages(1, timeout=5)  # the late answer: the greeting did go out
    clock.advance(seconds=5)
    twilio.deliver()
    greeting = first.body
    sent = [m for m in standin.messages() if m["Body"] == greeting]
    assert len(sent) == 1, "the greeting went out twice"
    again = rows(twilio.wl)[0]
    assert (again.status, again.twilio_sid, again.attempts) == ("sent", sent[0]["Sid"], 2)


def test_a_send_that_timed_out_before_reaching_twilio_is_sent_again(twilio, people, clock):
    standin = twilio.standin
    twilio.wl.sender = TwilioSender(
        make_client(standin.account_sid, standin.auth_token, standin.base_url, timeout=0.5)
    )
    people.volunteer("Sam")
    standin.delay_next(1.5)
    standin.fail_next(1, status=503)  # after the wait Twilio refuses it: nothing was created
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    assert rows(twilio.wl)[0].status == "unconfirmed"
    time.sleep(1.5)
    clock.advance(seconds=5)
    twilio.deliver()
    greeting = rows(twilio.wl)[0]
    assert greeting.status == "sent"
    assert [m["Body"] for m in standin.messages()].count(greeting.body) == 1


def test_a_worker_dying_between_send_and_record_does_not_send_twice(twilio, people, clock):
    """The send reached Twilio, then the process died before recording it: the claim's lease
    runs out, and the next worker finds the message instead of sending it again."""

    class DiesAfterSending:
        def __init__(self, real):
            self.real = real

        def send_sms(self, **kw):
            self.real.send_sms(**kw)
            raise SystemExit("killed")  # never returns to record the SID

        def find_sent(self, **kw):
            return self.real.find_sent(**kw)

    people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    real = twilio.wl.sender
    twilio.wl.sender = DiesAfterSending(real)
    with pytest.raises(SystemExit):
        twilio.deliver()
    assert rows(twilio.wl)[0].status == "claimed"
    twilio.wl.sender = real
    twilio.deliver()
    assert rows(twilio.wl)[0].status == "claimed"  # another worker leaves a live claim alone
    clock.advance(seconds=outbox.LEASE.total_seconds() + 1)
    twilio.deliver()
    statuses = [r.status for r in rows(twilio.wl)]
    assert set(statuses) == {"sent"}
    bodies = [m["Body"] for m in twilio.standin.messages()]
    assert len(bodies) == len(set(bodies)) == len(statuses)


def test_permanent_error_is_recorded_and_not_retried(twilio, people, clock):
    twilio.standin.fail_next(1, status=400, code=21211)
    twilio.sms(CONTACT, "hi")  # nobody on shift: greeting + after-hours text
    twilio.deliver()
    clock.advance(minutes=10)
    twilio.deliver()
    failed = [r for r in rows(twilio.wl) if r.status == "failed"]
    assert len(failed) == 1 and failed[0].error_code == 21211 and failed[0].attempts == 1


def test_21610_marks_the_contact_opted_out(twilio, people):
    twilio.standin.fail_next(1, status=400, code=21610)
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Contact.opted_out)) is True
        assert {r.status for r in session.scalars(select(Outbound))} == {"failed"}


def test_status_callbacks_are_idempotent_and_order_safe(twilio, people):
    twilio.sms(CONTACT, "hi")
    sent = twilio.deliver()[0]
    sid = sent["Sid"]

    def status(value, **extra):
        response = twilio.post(
            "/twilio/sms/status", {"MessageSid": sid, "MessageStatus": value} | extra
        )
        assert response.status_code == 204

    status("delivered")
    status("sent")  # late and out of order: ignored
    status("delivered")  # repeated
    row = next(r for r in rows(twilio.wl) if r.twilio_sid == sid)
    assert row.status == "delivered"
    assert twilio.post("/twilio/sms/status", {"MessageSid": sid}).status_code == 400
    unknown = {"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered"}
    assert twilio.post("/twilio/sms/status", unknown).status_code == 204


def test_undelivered_21610_callback_opts_out(twilio, people):
    twilio.sms(CONTACT, "hi")
    sid = twilio.deliver()[0]["Sid"]
    twilio.post(
        "/twilio/sms/status",
        {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "21610"},
    )
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Contact.opted_out)) is True


def test_numbers_are_encrypted_at_rest_and_absent_from_logs(twilio, people, caplog):
    caplog.set_level(logging.DEBUG)
    sam = people.volunteer("Sam")
    twilio.standin.fail_next(1, status=500)
    twilio.sms(CONTACT, "my secret words")
    twilio.deliver()
    with twilio.wl.db.engine.connect() as conn:
        dump = " ".join(
            str(row)
            for table in ("contact", "outbound")
            for row in conn.execute(text(f"SELECT * FROM {table}"))
        )
    assert "2025550101" not in dump
    logged = caplog.text
    assert "2025550101" not in logged and sam.phone[2:] not in logged
    assert "my secret words" not in logged


def test_inbound_texts_do_not_wait_while_twilio_hangs(twilio, people):
    """No transaction (nor SQLite's write lock) is held while Twilio is called."""
    import threading

    people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.standin.delay_next(3.0)  # the first send of this delivery hangs for 3 s
    delivering = threading.Thread(target=twilio.deliver)
    delivering.start()
    try:
        twilio.standin.wait_for_messages(0)
        time.sleep(0.5)  # the worker is inside its first send now
        began = time.monotonic()
        twilio.sms("+12025550177", "is anyone there")
        waited = time.monotonic() - began
    finally:
        delivering.join(timeout=30)
    assert waited < 2.0, f"the webhook waited {waited:.1f} s behind the hanging send"


def test_the_same_words_sent_twice_are_not_taken_for_each_other(twilio, people, clock):
    """A volunteer says "ok" twice; the second send gets a 5xx. Looking for it at Twilio finds
    the first "ok", which another row already owns: the second is sent, not taken for it."""
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    relay = next(m["From"] for m in twilio.deliver() if m["To"] == sam.phone)
    twilio.sms(sam.phone, "ok", to=relay)
    twilio.deliver()
    twilio.standin.fail_next(1, status=500)
    twilio.sms(sam.phone, "ok", to=relay)
    twilio.deliver()
    clock.advance(seconds=5)
    twilio.deliver()
    oks = [m for m in twilio.standin.messages() if m["To"] == CONTACT and m["Body"] == "ok"]
    assert len(oks) == 2
    assert {r.status for r in rows(twilio.wl) if r.body == "ok"} == {"sent"}


def test_metrics_show_delivery_failures_by_twilio_code(twilio, client):
    """Read from the database at scrape time, so the worker process's failures show too."""
    twilio.standin.fail_next(1, status=400, code=21211)
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    scrape = client.get("/metrics").get_data(as_text=True)
    assert 'warmline_delivery_failures{code="21211"} 1.0' in scrape
