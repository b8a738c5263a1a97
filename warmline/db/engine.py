"""Engines, sessions and the unit of work, for SQLite (the embedded default) and PostgreSQL.

SQLite transactions start with ``BEGIN IMMEDIATE`` so that concurrent writers queue up on the
database lock instead of failing halfway through a read-then-write; PostgreSQL serialises
assignment with a transaction-scoped advisory lock (:func:`lock_assignment`).

A PostgreSQL connection that has sat in the pool for ``PING_AFTER_IDLE`` seconds or more is
pinged before use (a server restart or an idle timeout kills those); one returned to the pool
within the last second is used straight away, as HikariCP's ``aliveBypassWindowMs`` does, which
keeps a round trip off every request when the line is busy. Whatever a ping cannot catch (a
connection dying between the ping and the query, or within that second) surfaces as a
``DBAPIError`` with ``connection_invalidated`` set, and :meth:`Database.run` retries the work once
on a fresh connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

ASSIGNMENT_LOCK = 0x5741524D  # "WARM": serialises assignment decisions across web processes
WORKER_LOCK = 0x574F524B  # "WORK": one active worker
PING_AFTER_IDLE = 1.0  # seconds in the pool after which a connection is pinged before use


def make_engine(url: str, **kw: Any) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kw)
        _sqlite_pragmas(engine)
        return engine
    kw.setdefault("pool_size", 5)
    kw.setdefault("max_overflow", 10)
    engine = create_engine(url, **kw)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _used(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE:
            return
        try:
            with dbapi_conn.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as e:  # the driver's own error type: any failure means "dead"
            # The pool discards this connection and checks out another (up to three tries).
            raise exc.DisconnectionError("connection lost while idle in the pool") from e


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let the "begin" hook below issue BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_postgres(session_or_engine: Session | Engine) -> bool:
    bind = (
        session_or_engine.get_bind()
        if isinstance(session_or_engine, Session)
        else session_or_engine
    )
    return bind.dialect.name == "postgresql"


def lock_assignment(session: Session) -> None:
    """Serialise assignment decisions until the transaction ends (PostgreSQL; SQLite already is)."""
    if is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ASSIGNMENT_LOCK})


class Database:
    """Engine and sessions; ``unit_of_work()`` commits on success and rolls back on error."""

    def __init__(self, url: str, **engine_kw: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kw)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def run(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a unit of work, run once more when the connection turns out dead.

        Only for work that is safe to repeat: a connection can die during ``COMMIT``, after the
        server has committed, so ``work`` must be idempotent (webhooks are, by their SID).
        """
        try:
            with self.unit_of_work() as session:
                return work(session)
        except exc.DBAPIError as e:
            if not e.connection_invalidated:
                raise
        with self.unit_of_work() as session:
            return work(session)

    def dispose(self) -> None:
        self.engine.dispose()
