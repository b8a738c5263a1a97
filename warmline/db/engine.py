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

On PostgreSQL, :func:`run_together` sends several statements in one round trip, and a
transaction's ``BEGIN`` travels with its first statement instead of costing a round trip ahead of
it (:func:`_begin_with_first_statement`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Dialect, Engine, create_engine, event, exc, text
from sqlalchemy.engine.interfaces import Compiled
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import Executable

T = TypeVar("T")

ASSIGNMENT_LOCK = 0x5741524D  # "WARM": serialises assignment decisions across web processes
WORKER_LOCK = 0x574F524B  # "WORK": one active worker
SQLITE_BUSY_SECONDS = 10  # how long a SQLite writer waits for the database lock
PG_CONNECT_SECONDS = 5  # how long a new PostgreSQL connection may take
PING_AFTER_IDLE = 1.0  # seconds in the pool after which a connection is pinged before use


def make_engine(url: str, **kw: Any) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing.

    Its errors never carry the values of the statement that failed (:func:`_errors_without_values`):
    those are message bodies and phone numbers, and errors end up in logs (SPEC §12).
    """
    kw["hide_parameters"] = True
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Lock waits end well within gunicorn's 30 s, so a webhook can still spool its text.
        connect = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
        engine = create_engine(url, connect_args=connect, **kw)
        _sqlite_pragmas(engine)
        _errors_without_values(engine)
        return engine
    if "isolation_level" in kw:  # BEGIN is sent by hand, at the server's default level
        raise ValueError("warmline's PostgreSQL transactions run at READ COMMITTED only")
    kw.setdefault("pool_size", 5)
    kw.setdefault("max_overflow", 10)
    # A database that hangs instead of refusing must fail fast enough for the webhook to spool
    # its text before gunicorn (30 s) or Twilio (15 s) give up on it.
    kw.setdefault("pool_timeout", 5)
    kw.setdefault("connect_args", {}).setdefault("connect_timeout", PG_CONNECT_SECONDS)
    engine = create_engine(url, **kw)
    _errors_without_values(engine)
    _ping_when_idle(engine)
    _begin_with_first_statement(engine)
    return engine


def _errors_without_values(engine: Engine) -> None:
    """A database error's text names what failed, never the values involved.

    ``hide_parameters`` keeps a statement's parameters out of SQLAlchemy's errors, but PostgreSQL
    puts values in its own: a ``DETAIL`` line ("Key (phone)=(+15551230001) already exists",
    "Failing row contains (..., the message body, ...)"), a ``CONTEXT`` line, and the text of a
    data error ('invalid input syntax for type integer: "..."'), all of which psycopg includes in
    the exception's text, and so in every logged traceback. Here the server's error keeps its
    first line only, and a data error (SQLSTATE class 22) its words before the first colon; the
    whole diagnostic stays on the exception (``orig.diag``) for a debugger. Disconnect detection
    has already run when this hook does.
    """

    @event.listens_for(engine, "handle_error")
    def _terse(context: Any) -> None:
        error = context.original_exception
        sqlstate = getattr(error, "sqlstate", None)
        if not sqlstate:  # not a server error: SQLite's and the driver's own name no values
            return
        text = str(error).split("\n", 1)[0]
        if sqlstate.startswith("22"):
            text = text.split(":", 1)[0]
        error.args = (text,)
        wrapped = context.sqlalchemy_exception
        if wrapped is not None:
            kind = type(error)
            wrapped.args = (f"({kind.__module__}.{kind.__name__}) {text}", *wrapped.args[1:])


BEGIN_PENDING = "warmline_begin_pending"


def _begin_with_first_statement(engine: Engine) -> None:
    """PostgreSQL transactions begin with their first statement, not a round trip ahead of it.

    psycopg sends ``BEGIN`` and waits for its answer before a transaction's first statement,
    even in pipeline mode. Here the driver is in autocommit mode and ``BEGIN`` is sent by these
    hooks instead: just before the first statement SQLAlchemy executes (the same round trip as
    before), or queued in the same pipeline as the statements of ``run_together``, which then
    costs no round trip of its own. ``COMMIT`` and ``ROLLBACK`` are the driver's, which sends them
    whenever the server is in a transaction (and nothing when no statement ever began one).
    """

    @event.listens_for(engine, "connect")
    def _autocommit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.autocommit = True

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.info[BEGIN_PENDING] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(conn: Any) -> None:
        if not conn.invalidated:  # (an invalidated connection's info goes with it)
            conn.info.pop(BEGIN_PENDING, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _send_begin(conn: Any, cursor: Any, *_: Any) -> None:
        if conn.info.pop(BEGIN_PENDING, False):
            cursor.execute("BEGIN")


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


Batch = Sequence[tuple[Executable, Mapping[str, Any]]]


def run_together(session: Session, batch: Batch) -> list[list[tuple[Any, ...]]]:
    """Run the statements of ``batch`` in order, in the session's transaction: each one's rows.

    On PostgreSQL they reach the server together, in one round trip (psycopg's pipeline mode),
    with the transaction's ``BEGIN`` when they open it. The server still runs them one after the
    other, and each sees what the earlier ones did; under READ COMMITTED each also sees what other
    transactions committed before it started, so a statement after a ``FOR UPDATE`` that had to
    wait sees what the lock's holder committed. No statement can use an earlier one's result.
    SQLite, in this process, runs them one by one. Rows are tuples of values converted by their
    columns' types, as ``session.execute`` would give them. Statements are compiled once (keep
    them prebuilt, with only their parameters changing).
    """
    session.flush()  # raw statements must see what the session holds
    connection = session.connection()
    plans = [_plan(stmt, connection.dialect, tuple(params)) for stmt, params in batch]
    if connection.dialect.name != "postgresql":
        results = (connection.execute(stmt, params) for stmt, params in batch)
        return [[tuple(row) for row in r] if r.returns_rows else [] for r in results]
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None
    cursors: list[Any] = []
    try:
        with dbapi.pipeline():  # type: ignore[attr-defined]
            if connection.info.pop(BEGIN_PENDING, False):  # in the same round trip
                cursors.append(dbapi.cursor())
                cursors[-1].execute("BEGIN")
            for plan, (_, params) in zip(plans, batch, strict=True):
                cursors.append(dbapi.cursor())
                cursors[-1].execute(plan.sql, plan.bind(params))
        answers = cursors[len(cursors) - len(plans) :]
        return [plan.rows(cursor) for plan, cursor in zip(plans, answers, strict=True)]
    except connection.dialect.loaded_dbapi.Error as e:
        # Handled as SQLAlchemy handles an error of a statement it executes itself: its own
        # exception classes, handle_error events, and on a disconnect every older pooled
        # connection marked stale, so that Database.run's retry gets a live one. (The method is
        # private; there is no public way to have exactly that.)
        connection._handle_dbapi_exception(e, None, None, None, None)
    finally:
        for cursor in cursors:
            cursor.close()


@dataclass(frozen=True)
class _Plan:
    """A statement compiled for the driver, with its columns' type conversions."""

    compiled: Compiled
    sql: str
    binds: dict[str, Callable[[Any], Any]]
    results: tuple[Callable[[Any], Any] | None, ...]

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        values = dict(self.compiled.construct_params(params) or {})
        for name, convert in self.binds.items():
            values[name] = convert(values[name])
        return values

    def rows(self, cursor: Any) -> list[tuple[Any, ...]]:
        if not self.results or cursor.description is None:  # (or only an implicit RETURNING)
            return []
        rows = cursor.fetchall()
        if not any(self.results):
            return [tuple(row) for row in rows]
        return [
            tuple(
                v if convert is None else convert(v)
                for convert, v in zip(self.results, row, strict=True)
            )
            for row in rows
        ]


@lru_cache(maxsize=256)
def _plan(stmt: Executable, dialect: Dialect, keys: tuple[str, ...]) -> _Plan:
    # An INSERT's columns are those its parameters name, as in Connection.execute.
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError("run_together takes statements with named, plainly bound parameters")
    if compiled.insert_prefetch or compiled.update_prefetch:  # Python-side column defaults
        raise ValueError("run_together needs a value for every column the statement writes")
    binds = {}
    for bind, name in compiled.bind_names.items():  # (the names the SQL text uses)
        convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            binds[name] = convert
    columns = getattr(stmt, "exported_columns", ())
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return _Plan(compiled, compiled.string, binds, results)


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
