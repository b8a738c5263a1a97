"""``run_together``: several statements in one round trip on PostgreSQL, one by one on SQLite."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from warmline.db.engine import run_together
from warmline.db.models import Base, Volunteer, WebhookEvent

EVENTS = Base.metadata.tables[WebhookEvent.__tablename__]
RECORD = insert(EVENTS).returning(EVENTS.c.id, EVENTS.c.received_at)
BY_SID = select(EVENTS.c.sid, EVENTS.c.received_at).where(EVENTS.c.sid == bindparam("sid"))
COUNT = select(func.count()).select_from(EVENTS)


def test_each_statement_gives_its_rows_in_order_and_sees_the_earlier_ones(wl):
    at = dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)
    with wl.db.unit_of_work() as session:
        recorded, found, missing, counted = run_together(
            session,
            [
                (RECORD, {"sid": "SM1", "kind": "sms", "received_at": at}),
                (BY_SID, {"sid": "SM1"}),
                (BY_SID, {"sid": "SM2"}),
                (COUNT, {}),
            ],
        )
    assert len(recorded) == 1 and recorded[0][1] == at  # aware UTC, as the column type gives
    assert found == [("SM1", at)] and found[0][1].tzinfo is not None
    assert missing == [] and counted == [(1,)]


def test_a_statement_without_rows_gives_an_empty_list(wl):
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    plain = insert(EVENTS)  # no RETURNING
    with wl.db.unit_of_work() as session:
        assert run_together(
            session, [(plain, {"sid": "SM3", "kind": "sms", "received_at": at})]
        ) == [[]]
    with wl.db.unit_of_work() as session:
        assert session.scalar(COUNT) == 1


def test_a_failure_in_the_batch_leaves_nothing_written(wl):
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    row = {"sid": "SM4", "kind": "sms", "received_at": at}
    with pytest.raises(IntegrityError), wl.db.unit_of_work() as session:
        run_together(session, [(RECORD, row), (RECORD, row)])  # the same SID twice
    with wl.db.unit_of_work() as session:
        assert session.scalar(COUNT) == 0


def test_the_session_s_pending_changes_are_seen(wl):
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    with wl.db.unit_of_work() as session:
        session.add(WebhookEvent(sid="SM5", kind="sms", received_at=at))
        assert run_together(session, [(BY_SID, {"sid": "SM5"})]) == [[("SM5", at)]]


def test_a_column_left_to_a_python_default_is_refused_on_every_database(wl):
    volunteers = Base.metadata.tables[Volunteer.__tablename__]
    row = {
        "name": "Sam",
        "phone": "+15551230001",
        "calendar_token": "t",
        "created_at": dt.datetime.now(dt.UTC),
    }
    with pytest.raises(ValueError, match="every column"), wl.db.unit_of_work() as session:
        run_together(session, [(insert(volunteers), row)])  # role, capacity ... have defaults
