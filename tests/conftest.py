"""Fixtures shared by every tier.

Database tests run on SQLite and on PostgreSQL (127.0.0.1:5432, database server with trust auth,
or ``WARMLINE_TEST_PG_URL``). An unreachable PostgreSQL skips those tests on a developer's
machine and fails them when ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.support.keys import DATA_KEY
from tests.support.twilio_standin import TwilioStandIn
from warmline.app import create_app
from warmline.bootstrap import Warmline, bootstrap
from warmline.cli import main
from warmline.config import Settings, load_settings
from warmline.db.migrate import upgrade
from warmline.db.models import Base, Volunteer
from warmline.people import add_volunteer
from warmline.scheduling.editing import WEEKDAYS, add_weekly_slot
from warmline.telephony.signature import sign
from warmline.worker import jobs

PUBLIC_URL = "https://warmline.example.org"
# The tests' line: the repository's own line file, named so no test depends on the current folder.
LINE_FILE = Path(__file__).resolve().parent.parent / "config" / "warmline.toml"
PG_ADMIN = os.environ.get("WARMLINE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Monday 23 November 2026, 18:00 in New York: inside the test line's evening shift.
MONDAY_EVENING = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
pytest_plugins = [
    "tests.support.twilio_fixtures",
    "tests.support.processes",
    "tests.support.private_postgres",
]


def _pg_reachable() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A migrated PostgreSQL database of this test session, dropped at the end."""
    problem = _pg_reachable()
    if problem:
        message = f"PostgreSQL at {PG_ADMIN} is unreachable: {problem}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    name = f"warmline_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    url = f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """An empty, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "warmline.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("pg_database")
    from sqlalchemy import create_engine

    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@dataclass
class Clock:
    now: dt.datetime = MONDAY_EVENING

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


# The tests' instance folder (the webhook spool lives there): never the checkout's ./instance,
# where a demo's or an earlier run's spooled texts would be replayed into a test's database.
TEST_INSTANCE = Path(tempfile.mkdtemp(prefix="warmline-test-instance-"))


def settings_for(database_url: str, standin: TwilioStandIn | None, **env: str) -> Settings:
    values = {
        "DATABASE_URL": database_url,
        "WARMLINE_INSTANCE": str(TEST_INSTANCE),
        "WARMLINE_PUBLIC_URL": PUBLIC_URL,
        "SECRET_KEY": "test-secret",
        "WARMLINE_DATA_KEY": DATA_KEY,
        "WARMLINE_CONFIG": str(LINE_FILE),
    }
    if standin is not None:
        values |= {
            "TWILIO_ACCOUNT_SID": standin.account_sid,
            "TWILIO_AUTH_TOKEN": standin.auth_token,
            "TWILIO_API_BASE_URL": standin.base_url,
        }
    return load_settings("test", env=values | env)


@pytest.fixture
def wl(
    database_url: str,
    twilio_standin: TwilioStandIn,
    clock: Clock,
) -> Iterator[Warmline]:
    warmline = bootstrap(settings_for(database_url, twilio_standin), clock=clock)
    yield warmline
    warmline.db.dispose()


@pytest.fixture
def app(wl: Warmline) -> Flask:
    return create_app(wl)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_sids = itertools.count(1)


@dataclass
class TwilioActions:
    """Signed webhooks, as Twilio sends them, and delivery through the worker's outbox job."""

    client: FlaskClient
    wl: Warmline
    standin: TwilioStandIn
    sent_seen: int = field(default=0)

    def post(self, path: str, form: dict[str, Any], signature: str | None = None) -> Any:
        url = PUBLIC_URL + path
        sig = signature if signature is not None else sign(self.standin.auth_token, url, form)
        return self.client.post(path, data=form, headers={"X-Twilio-Signature": sig})

    def sms(
        self, from_: str, body: str, to: str | None = None, sid: str | None = None, **extra: str
    ) -> Any:
        form = {
            "MessageSid": sid or f"SM{next(_sids):032x}",
            "AccountSid": self.standin.account_sid,
            "From": from_,
            "To": to or self.wl.settings.line.public_number,
            "Body": body,
            "NumMedia": "0",
        } | extra
        response = self.post("/twilio/sms", form)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response

    def deliver(self) -> list[dict[str, str]]:
        """Run the outbox job; the texts that reached Twilio since the last call."""
        jobs.deliver_outbox(self.wl, self.wl.clock())
        messages = self.standin.messages()
        new, self.sent_seen = messages[self.sent_seen :], len(messages)
        return new

    def texts_to(self, number: str, delivered: list[dict[str, str]]) -> list[str]:
        return [m["Body"] for m in delivered if m["To"] == number]

    def relayed_to(self, number: str, delivered: list[dict[str, str]]) -> list[str]:
        """The contact messages relayed to ``number`` (each body after its "[alias] ")."""
        return [b.split("] ", 1)[1] for b in self.texts_to(number, delivered) if b[0] == "["]


@pytest.fixture
def twilio(client: FlaskClient, wl: Warmline, twilio_standin: TwilioStandIn) -> TwilioActions:
    twilio_standin.now = wl.clock  # Twilio's clock agrees with the test's
    return TwilioActions(client, wl, twilio_standin)


@dataclass
class People:
    wl: Warmline
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def volunteer(self, name: str | None = None, *, on_shift: bool = True, **kw: Any) -> Volunteer:
        n = next(self.numbers)
        with self.wl.db.unit_of_work() as session:
            v = add_volunteer(
                session,
                name or f"Volunteer {n}",
                kw.pop("phone", f"+1555123{n:04d}"),
                self.wl.clock(),
                **kw,
            )
            if on_shift:
                for day in WEEKDAYS:
                    self._slot(session, day, "00:00", "00:00", v.phone, v.is_supervisor)
            session.expunge(v)
        return v

    def shift(
        self, volunteer: Volunteer, day: str, start: str, end: str, *, supervisor: bool = False
    ) -> int:
        """Put ``volunteer`` on a weekly slot (local times); returns the slot's id."""
        with self.wl.db.unit_of_work() as session:
            return self._slot(session, day, start, end, volunteer.phone, supervisor)

    def _slot(
        self, session: Any, day: str, start: str, end: str, phone: str, supervisor: bool
    ) -> int:
        slot = add_weekly_slot(
            session,
            day_name=day,
            start=start,
            end=end,
            volunteers=[] if supervisor else [phone],
            supervisors=[phone] if supervisor else [],
            now=self.wl.clock(),
        )
        return slot.id


@pytest.fixture
def people(wl: Warmline) -> People:
    return People(wl)


@pytest.fixture
def cli(database_url: str, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run `warmline ...` against the test database, at the test's time; returns the output.

    Commands run in an empty folder (no ``.env`` of the checkout can leak in) with the tests' line.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("WARMLINE_DATA_KEY", DATA_KEY)
    monkeypatch.setenv("WARMLINE_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("WARMLINE_CONFIG", str(LINE_FILE))
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "WARMLINE_ESCALATION_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args), obj=clock, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    return run
