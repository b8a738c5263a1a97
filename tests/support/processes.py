"""Real processes (``python -m warmline ...``) for the e2e and browser tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.keys import DATA_KEY, SECRET_KEY
from warmline.db.models import Base

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """The session's PostgreSQL test database, emptied."""
    engine = create_engine(pg_database)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return pg_database


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process: no Twilio credentials unless given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "WARMLINE_"))}
    return (
        env
        | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "WARMLINE_DATA_KEY": DATA_KEY,
            "PYTHONUNBUFFERED": "1",
        }
        | extra
    )


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 20.0) -> None:
        wait_until(lambda: text in self.output(), timeout, f"{self.name} to log {text!r}")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up."""
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Proc]]:
    """Start ``python -m warmline ARGS`` with an environment; every one is stopped at the end."""
    started: list[Proc] = []

    def start(name: str, args: list[str], env: dict[str, str]) -> Proc:
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", "warmline", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        proc = Proc(name, popen, log)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> float:
    """Poll ``predicate`` until true; seconds it took, or AssertionError naming ``what``."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if predicate():
            return time.monotonic() - began
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def post(url: str, payload: dict) -> int:
    request = urllib.request.Request(
        url, json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def healthy(base: str) -> bool:
    try:
        return get(f"{base}/healthz")["database"] == "ok"
    except OSError:
        return False


@pytest.fixture
def demo(spawn, tmp_path):
    """A running `warmline demo` on a free port with its own instance folder; its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = spawn(
        "demo",
        ["demo", "--port", str(port), "--instance", str(tmp_path)],
        os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    wait_until(lambda: healthy(base) or proc.popen.poll() is not None, 30, "the demo to start")
    assert proc.popen.poll() is None, proc.output()
    return base, proc
