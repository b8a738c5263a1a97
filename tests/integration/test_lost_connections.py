"""A pooled PostgreSQL connection that died (server restart, idle timeout, a killed backend) must
not cost a webhook: it is pinged when it has been idle, and retried when it was used too recently
to ping."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, literal, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from warmline.db import engine as db_engine
from warmline.db.engine import run_together
from warmline.db.models import Message

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
CONTACT = "+12025550123"
ONE = select(literal(1))


def kill_pooled_connections(database_url: str) -> int:
    """Terminate every server backend of this database; how many there were."""
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def stored(wl) -> int:
    with wl.db.unit_of_work() as session:
        return session.scalar(select(func.count(Message.id))) or 0


def test_a_webhook_on_a_connection_killed_a_moment_ago_is_retried_and_kept(twilio, database_url):
    twilio.sms(CONTACT, "hello")  # leaves a connection in the pool, used just now
    assert kill_pooled_connections(database_url) >= 1
    twilio.sms(CONTACT, "still there?", sid="SM" + "1" * 32)  # 200, asserted by sms()
    twilio.sms(CONTACT, "still there?", sid="SM" + "1" * 32)  # Twilio's retry: acted on once
    assert stored(twilio.wl) == 2


def test_without_the_retry_a_recently_used_dead_connection_fails(wl, database_url):
    with wl.db.unit_of_work() as session:
        session.execute(text("SELECT 1"))
    kill_pooled_connections(database_url)
    with pytest.raises(DBAPIError) as failure, wl.db.unit_of_work() as session:
        session.execute(text("SELECT 1"))
    assert failure.value.connection_invalidated


def test_statements_sent_together_on_a_dead_connection_say_so(wl, database_url):
    with wl.db.unit_of_work() as session:
        session.execute(text("SELECT 1"))
    kill_pooled_connections(database_url)
    with pytest.raises(DBAPIError) as failure, wl.db.unit_of_work() as session:
        run_together(session, [(ONE, {})])
    assert failure.value.connection_invalidated


def test_after_a_restart_the_retry_does_not_take_another_dead_connection(wl, database_url):
    with wl.db.unit_of_work() as first, wl.db.unit_of_work() as second:  # two in the pool
        first.execute(text("SELECT 1"))
        second.execute(text("SELECT 1"))
    assert kill_pooled_connections(database_url) == 2  # as a server restart would
    attempts = []

    def work(session):
        attempts.append(1)
        return run_together(session, [(ONE, {})])

    assert wl.db.run(work) == [[(1,)]]
    assert attempts == [1, 1]  # the first found its connection dead; the retry had a live one


def test_a_connection_idle_in_the_pool_is_pinged_and_replaced(wl, database_url, monkeypatch):
    with wl.db.unit_of_work() as session:
        before = session.scalar(text("SELECT pg_backend_pid()"))
    kill_pooled_connections(database_url)
    monkeypatch.setattr(db_engine, "PING_AFTER_IDLE", 0.0)  # as if it had sat there a while
    with wl.db.unit_of_work() as session:  # no retry here: the ping found it dead
        after = session.scalar(text("SELECT pg_backend_pid()"))
    assert after != before


def test_work_that_fails_for_another_reason_is_not_repeated(wl):
    calls = []

    def work(session):
        calls.append(1)
        session.execute(text("SELECT 1 / 0"))

    with pytest.raises(DBAPIError):
        wl.db.run(work)
    assert calls == [1]
