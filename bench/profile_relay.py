"""What one inbound relay costs inside the process: SQL statements, Python calls, CPU time.

Run: python bench/profile_relay.py [--relays 1000] [--repo PATH]
(PostgreSQL at WARMLINE_BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432/test; a fresh
database is created and dropped.)

The same relay as bench_relay.py (a signed ``POST /twilio/sms`` from a contact whose
conversation is open), through Flask's test client in this one process, so that the counts are
exact and repeatable where the served benchmark's figures move with the machine's load:

- SQL statements per relay, counted by SQLAlchemy's ``before_cursor_execute`` event; the
  driver's ``BEGIN`` and ``COMMIT`` add two round trips to each, and a connection idle in the
  pool for a second or more adds a ping;
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
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PG_ADMIN = os.environ.get("WARMLINE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
CONTACTS, RELAYS, CAPACITY = 200, 4, 4


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
        os.environ.update(live.server_env(url, live.line_config(Path(d), RELAYS)))
        from warmline.app import create_app

        app = create_app()
        client = app.test_client()
        contacts = [f"+1202556{n:04d}" for n in range(CONTACTS)]
        sent = iter(range(10**9))

        def relay() -> None:
            i = next(sent)
            form = live.sms_form(contacts[i % CONTACTS], f"still here, message {i}", f"SM{i:032d}")
            body, headers = live.signed_form(form)
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            r = client.post("/twilio/sms", data=body, headers=headers, base_url=live.PUBLIC_URL)
            assert r.status_code == 200, r.get_data(as_text=True)

        for _ in range(2 * CONTACTS):  # opens every conversation, then warms every cache
            relay()
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
    print(f"SQL statements per relay: {statements / args.relays:.2f}")
    print(f"Python function calls per relay: {calls / args.relays:,.0f}")
    print(
        f"CPU ms per relay, median of 5 batches: {statistics.median(batches):.2f} "
        f"(batches: {', '.join(f'{b:.2f}' for b in batches)})"
    )


if __name__ == "__main__":
    main()
