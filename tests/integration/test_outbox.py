"""The outbox: retries with backoff, permanent errors, 21610, status callbacks (SPEC §12)."""

from __future__ import annotations

import logging

from sqlalchemy import select, text

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
    assert {r.status for r in retrying} == {"pending"} and {r.attempts for r in retrying} == {1}
    assert all(r.next_attempt_at > clock.now for r in retrying)
    assert twilio.deliver() == []  # not due yet: backoff
    clock.advance(seconds=3)
    twilio.standin.fail_next(1, status=429)
    delivered = twilio.deliver()
    assert len(delivered) == 2
    clock.advance(seconds=5)
    assert len(twilio.deliver()) == 1
    assert {r.status for r in rows(twilio.wl)} == {"sent"}


def test_timeout_is_retried(twilio, people, clock):
    standin = twilio.standin
    twilio.wl.sender = TwilioSender(
        make_client(standin.account_sid, standin.auth_token, standin.base_url, timeout=0.5)
    )
    people.volunteer("Sam")
    standin.delay_next(1.5)  # beyond the client's time-out
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    first = rows(twilio.wl)[0]
    assert first.status == "pending" and first.attempts == 1


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
