"""A private PostgreSQL server for fault tests: one the test may stop, restart and kill without
disturbing the shared server other tests use.

It runs the machine's own PostgreSQL binaries (``/usr/lib/postgresql/*/bin``) on a free port of
127.0.0.1, with its data folder under /tmp. PostgreSQL refuses to run as root, so as root the
server runs as the ``postgres`` user. Without the binaries the tests using it are skipped, and
fail with ``CI=true``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.support.processes import free_port, wait_until


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@dataclass
class PrivatePostgres:
    bin: Path
    data: Path
    port: int

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the ``warmline`` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/warmline"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
        wait_until(self.ready, 20, "the private PostgreSQL to accept connections")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def ready(self) -> bool:
        try:
            with psycopg.connect(self.admin_url, connect_timeout=1):
                return True
        except psycopg.Error:
            return False


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh private server with an empty ``warmline`` database; stopped and removed after."""
    if _bin_dir() is None:
        message = "PostgreSQL server binaries are not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with private_server() as server:
        yield server


@contextmanager
def private_server() -> Iterator[PrivatePostgres]:
    """A fresh private server (see the module docstring), for tests and benchmarks."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries are not installed")
    folder = Path(tempfile.mkdtemp(prefix="warmline-pg-"))
    data = folder / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    server = PrivatePostgres(bin_dir, data, free_port())
    server._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    server.start()
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        conn.execute("CREATE DATABASE warmline")
    try:
        yield server
    finally:
        if server.ready():
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
