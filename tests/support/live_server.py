"""A real warmline under gunicorn on PostgreSQL, for the end-to-end tests and the benchmarks.

``fresh_database`` creates and migrates a PostgreSQL database and drops it afterwards;
``line_config`` writes a line TOML with a relay pool of the wanted size; ``seed_volunteers`` adds
volunteers on shift around the clock; ``Gunicorn`` starts ``warmline.wsgi:app`` (or any WSGI app)
with the given workers and waits for it; ``post_sms`` sends a webhook signed like Twilio's.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from warmline.db.engine import Database
from warmline.db.migrate import upgrade
from warmline.people import add_volunteer
from warmline.scheduling.editing import add_around_the_clock
from warmline.telephony.signature import sign

REPO = Path(__file__).resolve().parents[2]
PUBLIC_URL = "https://warmline.example.org"
PUBLIC_NUMBER = "+15550100000"
AUTH_TOKEN = "e2e-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "e2e0" * 8


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new, migrated PostgreSQL database (SQLAlchemy URL); dropped on exit."""
    name = f"warmline_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].split("://", 1)[1]
    url = f"postgresql+psycopg://{base}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def relay_numbers(n: int) -> list[str]:
    return [f"+1555020{i:04d}" for i in range(1, n + 1)]


def line_config(folder: Path, relays: int) -> Path:
    """A complete line TOML with ``relays`` relay numbers."""
    path = folder / "warmline.toml"
    numbers = ", ".join(f'"{n}"' for n in relay_numbers(relays))
    path.write_text(
        "[line]\n"
        'name = "Riverside Warmline"\n'
        'timezone = "America/New_York"\n'
        f'public_number = "{PUBLIC_NUMBER}"\n'
        f"relay_numbers = [{numbers}]\n",
        encoding="utf-8",
    )
    return path


def volunteer_phone(i: int) -> str:
    return f"+1555300{i:04d}"


def seed_volunteers(url: str, capacities: Sequence[int]) -> list[str]:
    """One volunteer per capacity, on shift every day around the clock; their phone numbers."""
    db = Database(url)
    now = dt.datetime.now(dt.UTC)
    phones = [volunteer_phone(i) for i in range(1, len(capacities) + 1)]
    try:
        with db.unit_of_work() as session:
            for i, (phone, capacity) in enumerate(zip(phones, capacities, strict=True), 1):
                add_volunteer(session, f"Volunteer {i}", phone, now, capacity=capacity)
            add_around_the_clock(session, volunteers=phones, supervisors=[], now=now)
    finally:
        db.dispose()
    return phones


def server_env(url: str, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "WARMLINE_"))}
    return env | {
        "DATABASE_URL": url,
        "SECRET_KEY": "e2e-secret",
        "WARMLINE_DATA_KEY": "d2FybWxpbmUgZTJlIGRhdGEga2V5LCAzMiBieXRlcyE=",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": "http://127.0.0.1:9",  # the web process never sends; nothing there
        "WARMLINE_PUBLIC_URL": PUBLIC_URL,
        "WARMLINE_CONFIG": str(config),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Gunicorn:
    """``python -m gunicorn`` serving ``app`` on 127.0.0.1, started and stopped by this object."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        app: str = "warmline.wsgi:app",
        workers: int = 4,
        worker_class: str = "sync",
        threads: int = 1,
        log: Path | None = None,
        cwd: Path = REPO,
    ) -> None:
        self.port = free_port()
        self.cwd = cwd  # the checkout whose ``warmline`` is served (it comes first on sys.path)
        self.args = [
            sys.executable, "-m", "gunicorn", app,
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--worker-class", worker_class,
            "--threads", str(threads),
            "--backlog", "2048",
            "--timeout", "30",
            "--log-level", "warning",
        ]  # fmt: skip
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        out = open(self.log, "wb") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            self.args, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT
        )
        if self.log:
            out.close()  # type: ignore[union-attr]
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status in (200, 404):
                    return
            except OSError:
                time.sleep(0.1)
            finally:
                conn.close()
        raise RuntimeError("gunicorn did not become ready")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def signed_form(form: dict[str, str], path: str = "/twilio/sms") -> tuple[bytes, dict[str, str]]:
    """The urlencoded body and headers of a webhook Twilio would send."""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": sign(AUTH_TOKEN, PUBLIC_URL + path, form),
    }
    return urlencode(form).encode(), headers


def sms_form(from_: str, body: str, sid: str, to: str = PUBLIC_NUMBER) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": from_,
        "To": to,
        "Body": body,
        "NumMedia": "0",
    }


def post(port: int, path: str, body: bytes, headers: dict[str, str], timeout: float = 30) -> int:
    """POST on a new connection; the HTTP status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def storm(
    port: int,
    contacts: Sequence[str],
    *,
    seconds: int = 0,
    repeat: int = 0,
    dupes: int = 0,
    threads: int = 48,
) -> tuple[list[int], int, float]:
    """Fire one first message per contact at once (plus, at the same moment, a second message
    from the first ``repeat`` contacts and ``dupes`` repeated deliveries of a MessageSid).

    Returns the HTTP statuses, how many distinct messages were sent, and the wall time.
    """
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    run = uuid.uuid4().hex[:8]
    forms = [
        sms_form(c, f"hello from contact {i}", f"SM{run}{i:024d}") for i, c in enumerate(contacts)
    ]
    forms += [
        sms_form(c, "are you there?", f"SM{run}r{i:023d}") for i, c in enumerate(contacts[:repeat])
    ]
    distinct = len(forms)
    forms += forms[:dupes]
    requests = [signed_form(f) for f in forms]
    barrier = Barrier(min(threads, len(requests)))

    def send(i: int) -> int:
        if i < barrier.parties:
            barrier.wait()
        return post(port, "/twilio/sms", *requests[i])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(send, range(len(requests))))
    return statuses, distinct, time.perf_counter() - started


def routing_figures(url: str, pool_size: int) -> dict[str, int]:
    """What a storm left behind, in numbers that must be zero (or match) when routing held."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    q = {
        "messages": "SELECT count(*) FROM message WHERE author = 'contact'",
        "contacts": "SELECT count(*) FROM contact",
        "assigned": "SELECT count(*) FROM conversation WHERE status = 'assigned'",
        "queued": "SELECT count(*) FROM conversation WHERE status = 'queued'",
        "over_assigned": f"""SELECT count(*) FROM volunteer v WHERE (SELECT count(*) FROM
            conversation c WHERE c.volunteer_id = v.id AND c.status = 'assigned')
            > least(v.capacity, {pool_size})""",
        "doubly_bound": """SELECT count(*) FROM (SELECT 1 FROM conversation
            WHERE status = 'assigned' GROUP BY volunteer_id, relay_number HAVING count(*) > 1) d""",
        "contacts_not_open": """SELECT count(*) FROM contact k WHERE NOT EXISTS (SELECT 1 FROM
            conversation c WHERE c.contact_id = k.id AND c.status IN ('assigned', 'queued'))""",
        "free_places": f"""SELECT coalesce(sum(least(v.capacity, {pool_size}) - (SELECT count(*)
            FROM conversation c WHERE c.volunteer_id = v.id AND c.status = 'assigned')), 0)
            FROM volunteer v""",
        "unbriefed": """SELECT count(*) FROM conversation c WHERE c.status = 'assigned' AND
            NOT EXISTS (SELECT 1 FROM outbound o WHERE o.conversation_id = c.id
            AND o.volunteer_id = c.volunteer_id AND o.kind = 'intro')""",
        "ungreeted": """SELECT count(*) FROM contact k WHERE NOT EXISTS (SELECT 1 FROM outbound o
            WHERE o.contact_id = k.id AND o.kind = 'greeting')""",
    }
    try:
        with engine.connect() as conn:
            return {name: int(conn.execute(text(sql)).scalar_one()) for name, sql in q.items()}
    finally:
        engine.dispose()
