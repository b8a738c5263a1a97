"""What one inbound relay costs inside the process: SQL statements, Python calls, CPU time.

Run: python bench/profile_relay.py [--relays 1000] [--repo PATH]
(PostgreSQL at WARMLINE_BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432/test; a fresh
database is created and dropped.)

The same relay as bench_relay.py (a signed ``POST /twilio/sms`` from a contact whose
conversation is open), through Flask's test client in this one process, so that the counts are
exact and repeatable where the served benchmark's figures move with the machine's load:

- round trips to PostgreSQL per relay, ``BEGIN`` and ``COMMIT`` included, counted by a TCP
  relay between the app and the server (:class:`RoundTrips`): a round trip starts each time the
  client sends after the server has answered, so statements sent together in one pipeline count
  once. A connection idle in the pool for a second or more would add a ping, which this busy
  loop never needs. (A second copy of the app, connected directly, is the one timed.);
- SQL statements per relay that go through SQLAlchemy's execution (its
  ``before_cursor_execute`` event; statements sent together by ``run_together`` bypass it);
- Python function calls per relay, counted by cProfile over all the relays;
- CPU milliseconds per relay without the profiler: the median of 5 batches.

``--repo`` measures another checkout of warmline (its ``warmline`` package and test support) with
this script, e.g. a worktree of an earlier commit, for a before/after comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import select
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PG_ADMIN = os.environ.get("WARMLINE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
CONTACTS, RELAYS, CAPACITY = 200, 4, 4


class RoundTrips:
    """A TCP relay to PostgreSQL that counts round trips: each time a client starts sending again
    after the server has answered it (a pipeline's statements and Sync go out as one flight)."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.count = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        answered = True  # the first thing a client sends starts a round trip
        while True:
            readable, _, _ = select.select([client, server], [], [])
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    client.close()
                    server.close()
                    return
                if sock is client:
                    if answered:
                        with self.lock:
                            self.count += 1
                    answered = False
                    server.sendall(data)
                else:
                    answered = True
                    client.sendall(data)


def through(url: str, relay: RoundTrips) -> str:
    """``url`` (a SQLAlchemy URL) with its host and port replaced by the relay's."""
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{relay.port}"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--relays", type=int, default=1000)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    from sqlalchemy import event

    from tests.support import live_server as live

    with tempfile.TemporaryDirectory() as d, live.fresh_database(PG_ADMIN) as url:
        live.seed_volunteers(url, [CAPACITY] * (CONTACTS // CAPACITY))
        env = live.server_env(url, live.line_config(Path(d), RELAYS))
        os.environ.update(env)
        from warmline.app import create_app

        app = create_app()
        pg = urlsplit(url)
        counter = RoundTrips(pg.hostname or "127.0.0.1", pg.port or 5432)
        os.environ["DATABASE_URL"] = through(url, counter)
        counted_app = create_app()
        os.environ["DATABASE_URL"] = url
        contacts = [f"+1202556{n:04d}" for n in range(CONTACTS)]
        sent = iter(range(10**9))

        direct = app.test_client()

        def relay(client: Any = direct) -> None:
            i = next(sent)
            form = live.sms_form(contacts[i % CONTACTS], f"still here, message {i}", f"SM{i:032d}")
            body, headers = live.signed_form(form)
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            r = client.post("/twilio/sms", data=body, headers=headers, base_url=live.PUBLIC_URL)
            assert r.status_code == 200, r.get_data(as_text=True)

        for _ in range(2 * CONTACTS):  # opens every conversation, then warms every cache
            relay()
        counted_client = counted_app.test_client()
        for _ in range(CONTACTS):  # the counted app's own warm-up (its prepared statements)
            relay(counted_client)
        before = counter.count
        for _ in range(args.relays):
            relay(counted_client)
        round_trips = (counter.count - before) / args.relays
        statements = 0

        def count(*_: Any) -> None:
            nonlocal statements
            statements += 1

        engine = app.extensions["warmline"].db.engine
        event.listen(engine, "before_cursor_execute", count)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.relays):
            relay()
        profile.disable()
        event.remove(engine, "before_cursor_execute", count)
        calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
        batches = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(args.relays // 5):
                relay()
            batches.append((time.process_time() - started) * 1000 / (args.relays // 5))
    print(f"repo: {args.repo}")
    print(f"round trips to PostgreSQL per relay: {round_trips:.2f}")
    through_sqlalchemy = statements / args.relays
    print(f"SQL statements per relay through SQLAlchemy's execution: {through_sqlalchemy:.2f}")
    print(f"Python function calls per relay: {calls / args.relays:,.0f}")
    print(
        f"CPU ms per relay, median of 5 batches: {statistics.median(batches):.2f} "
        f"(batches: {', '.join(f'{b:.2f}' for b in batches)})"
    )


if __name__ == "__main__":
    main()
