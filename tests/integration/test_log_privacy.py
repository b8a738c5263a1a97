"""No message body and no phone number in any log, errors included (SPEC §12).

Each test makes the database refuse a write inside a webhook, so that the request fails with a
database error that Flask logs with its traceback, and then reads everything logged (every
logger, at every level, tracebacks included) and everything written to stderr: the contact's
words and number must be in none of it. On SQLite the refusal is a trigger; on PostgreSQL a
CHECK constraint, whose error carries the whole refused row ("Failing row contains ..."), and a
unique violation, whose error carries the key ("Key (phone)=(...) already exists").
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PUBLIC_URL
from warmline.db.engine import Database
from warmline.telephony.signature import sign

BODY = "my private words about tonight 7319"
NUMBER = "+12025550143"
NATIONAL = "2025550143"  # the number as any log might spell it


@contextmanager
def refuse(database_url: str, table: str) -> Iterator[None]:
    """Make every insert into ``table`` fail until the test ends."""
    engine = create_engine(database_url)
    postgres = engine.dialect.name == "postgresql"
    refusal = {
        True: f"ALTER TABLE {table} ADD CONSTRAINT ck_refused CHECK (id < 0) NOT VALID",
        False: f"CREATE TRIGGER refused BEFORE INSERT ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
    }
    undo = {
        True: f"ALTER TABLE {table} DROP CONSTRAINT ck_refused",
        False: "DROP TRIGGER refused",
    }
    with engine.begin() as conn:
        conn.execute(text(refusal[postgres]))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text(undo[postgres]))
        engine.dispose()


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> Any:
    """A function returning all that was logged or written to stdout/stderr so far."""
    caplog.set_level(logging.DEBUG)

    def read() -> str:
        records = [caplog.text]
        for record in caplog.records:  # (in case a handler's format left something out)
            records.append(record.getMessage())
            if record.exc_info:
                records.append(logging.Formatter().formatException(record.exc_info))
        out, err = capfd.readouterr()
        return "\n".join([*records, out, err])

    return read


def text_from_contact(twilio: Any, body: str = BODY, number: str = NUMBER) -> Any:
    form = {
        "MessageSid": "SM" + "7" * 32,
        "From": number,
        "To": twilio.wl.settings.line.public_number,
        "Body": body,
        "NumMedia": "0",
    }
    signature = sign(twilio.standin.auth_token, PUBLIC_URL + "/twilio/sms", form)
    return twilio.client.post("/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})


def assert_private(logged: str) -> None:
    assert "Exception on /twilio/sms" in logged  # the failure was logged, traceback and all
    assert "refused" in logged or "ck_refused" in logged
    assert BODY not in logged and "7319" not in logged
    assert NUMBER not in logged and NATIONAL not in logged


@pytest.mark.parametrize("table", ["message", "contact", "conversation", "webhook_event"])
def test_a_refused_write_inside_the_sms_webhook_logs_neither_body_nor_number(
    twilio, people, database_url, everything_logged, table
):
    people.volunteer("Sam")
    with refuse(database_url, table):
        response = text_from_contact(twilio)
        assert response.status_code == 500  # Twilio will retry it
        assert_private(everything_logged())
    # The same text, once the database accepts it again, is taken.
    assert text_from_contact(twilio).status_code == 200


def test_a_volunteer_reply_refused_by_the_outbox_logs_neither_body_nor_number(
    twilio, people, database_url, everything_logged
):
    sam = people.volunteer("Sam")
    twilio.sms(NUMBER, "hello")
    (line,) = {m["From"] for m in twilio.deliver() if m["To"] == sam.phone}
    form = {"MessageSid": "SM" + "8" * 32, "From": sam.phone, "To": line, "Body": BODY}
    signature = sign(twilio.standin.auth_token, PUBLIC_URL + "/twilio/sms", form)
    with refuse(database_url, "outbound"):
        response = twilio.client.post(
            "/twilio/sms", data=form, headers={"X-Twilio-Signature": signature}
        )
        assert response.status_code == 500
        logged = everything_logged()
        assert "Exception on /twilio/sms" in logged
        assert BODY not in logged and NUMBER not in logged and sam.phone not in logged
    # Once the outbox takes rows again, the same reply reaches the contact.
    response = twilio.client.post(
        "/twilio/sms", data=form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
    assert twilio.texts_to(NUMBER, twilio.deliver()) == [BODY]


def test_postgresql_errors_name_the_constraint_not_the_values(pg_database):
    """A unique violation's DETAIL names the key's value; it reaches no exception text.
    (SQLite's errors name the column, never its value.)"""
    db = Database(pg_database)
    insert = text(
        "INSERT INTO volunteer (name, phone, role, active, paused, capacity, languages,"
        " reminder_minutes, calendar_token, created_at) VALUES ('Sam', :phone, 'volunteer',"
        " true, false, 2, '', '', :token, now())"
    )
    try:
        with db.unit_of_work() as session:
            session.execute(insert, {"phone": NUMBER, "token": "a"})
        with pytest.raises(Exception) as raised, db.unit_of_work() as session:
            session.execute(insert, {"phone": NUMBER, "token": "b"})
        chain = [raised.value, raised.value.__cause__, getattr(raised.value, "orig", None)]
        texts = "\n".join(str(e) for e in chain if e is not None)
        assert "uq_volunteer_phone" in texts  # what failed is still said
        assert NUMBER not in texts and "'b'" not in texts
        with pytest.raises(Exception) as raised, db.unit_of_work() as session:
            session.execute(text("SELECT CAST(:v AS integer)"), {"v": NATIONAL + "x"})
        assert "invalid input syntax" in str(raised.value)
        assert NATIONAL not in str(raised.value) and NATIONAL not in str(raised.value.orig)
    finally:
        with db.unit_of_work() as session:
            session.execute(text("DELETE FROM volunteer WHERE phone = :phone"), {"phone": NUMBER})
        db.dispose()
