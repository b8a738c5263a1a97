"""A unit of work is one transaction, however its statements reach the database: one by one
through SQLAlchemy or sent together by ``run_together`` (on PostgreSQL the driver is in autocommit
mode and ``BEGIN`` travels with the first statement, see ``db.engine``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.exc import OperationalError

from warmline.db.engine import run_together
from warmline.db.models import Base, WebhookEvent

EVENTS = Base.metadata.tables[WebhookEvent.__tablename__]
RECORD = insert(EVENTS)
AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
LOCK = select(EVENTS.c.id).where(EVENTS.c.sid == bindparam("sid")).with_for_update(nowait=True)


def event(sid: str) -> dict[str, object]:
    return {"sid": sid, "kind": "sms", "received_at": AT}


def stored(wl) -> int:
    with wl.db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(EVENTS)) or 0


class Boom(Exception):
    pass


def test_a_failed_unit_of_work_leaves_nothing_of_its_first_statement(wl):
    with pytest.raises(Boom), wl.db.unit_of_work() as session:
        session.execute(RECORD, event("SM1"))
        raise Boom
    assert stored(wl) == 0


def test_a_failed_unit_of_work_leaves_nothing_of_what_was_sent_together(wl):
    with pytest.raises(Boom), wl.db.unit_of_work() as session:
        run_together(session, [(RECORD, event("SM1")), (RECORD, event("SM2"))])
        session.execute(RECORD, event("SM3"))
        raise Boom
    assert stored(wl) == 0


def test_a_unit_of_work_that_began_but_ran_nothing_leaves_no_transaction_behind(wl):
    with wl.db.unit_of_work() as session:
        session.connection()  # begun, as far as SQLAlchemy knows; nothing sent
    with wl.db.unit_of_work() as session:
        dbapi = session.connection().connection.dbapi_connection
        if wl.db.engine.dialect.name == "postgresql":  # the server is not inside a transaction
            assert dbapi.info.transaction_status == dbapi.info.transaction_status.IDLE
        run_together(session, [(RECORD, event("SM1"))])
    with pytest.raises(Boom), wl.db.unit_of_work() as session:
        session.execute(RECORD, event("SM2"))
        raise Boom
    assert stored(wl) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("sent_together", [False, True])
def test_a_row_lock_is_held_until_the_unit_of_work_ends(wl, sent_together):
    with wl.db.unit_of_work() as session:
        session.execute(RECORD, event("SM1"))
    with wl.db.unit_of_work() as holder:
        if sent_together:
            assert run_together(holder, [(LOCK, {"sid": "SM1"})]) != [[]]
        else:
            assert holder.execute(LOCK, {"sid": "SM1"}).first() is not None
        with pytest.raises(OperationalError, match="could not obtain lock"):
            with wl.db.unit_of_work() as other:
                other.execute(LOCK, {"sid": "SM1"}).first()
    with wl.db.unit_of_work() as other:  # released at the end
        assert other.execute(LOCK, {"sid": "SM1"}).first() is not None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_server_sees_one_transaction(wl):
    with wl.db.unit_of_work() as session:
        run_together(session, [(RECORD, event("SM1"))])
        first = session.scalar(text("SELECT txid_current()"))
        session.execute(RECORD, event("SM2"))
        assert session.scalar(text("SELECT txid_current()")) == first
