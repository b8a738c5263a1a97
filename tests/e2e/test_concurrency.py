"""Simultaneous first messages against a real gunicorn with several workers on PostgreSQL
(SPEC §7 Concurrency): nobody over capacity, no relay number bound twice, nothing lost."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PG_ADMIN, _pg_reachable
from tests.support import live_server as live

CAPACITIES = [1, 2, 3, 4] * 5  # 20 volunteers of mixed capacity
RELAYS = 3  # smaller than the largest capacity, so the pool bounds those volunteers
CONTACTS = 240
PLACES = sum(min(c, RELAYS) for c in CAPACITIES)  # 45 conversations can be held at once


@pytest.fixture
def database():
    problem = _pg_reachable()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is unreachable: {problem}", pytrace=False)
        pytest.skip(f"PostgreSQL is unreachable: {problem}")
    with live.fresh_database(PG_ADMIN) as url:
        yield url


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_simultaneous_first_messages_never_over_assign_nor_lose_anything(database, tmp_path):
    live.seed_volunteers(database, CAPACITIES)
    env = live.server_env(database, live.line_config(tmp_path, RELAYS))
    contacts = [f"+1202555{n:04d}" for n in range(CONTACTS)]
    server = live.Gunicorn(
        env, workers=4, worker_class="gthread", threads=4, log=tmp_path / "gunicorn.log"
    )
    with server:
        # Besides 240 first messages: 40 of those contacts write twice at the same moment, and
        # 20 deliveries are repeated by "Twilio" (same MessageSid).
        statuses, distinct, seconds = live.storm(server.port, contacts, repeat=40, dupes=20)
    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert statuses == [200] * len(statuses), log[-3000:]
    figures = live.routing_figures(database, RELAYS)
    print(f"\n{len(statuses)} webhooks in {seconds:.2f} s: {figures}")
    assert figures["over_assigned"] == 0
    assert figures["doubly_bound"] == 0
    assert figures["messages"] == distinct == CONTACTS + 40
    assert figures["contacts"] == CONTACTS
    assert figures["contacts_not_open"] == 0
    assert figures["assigned"] == PLACES  # every place taken: nobody left free beside a queue
    assert figures["queued"] == CONTACTS - PLACES
    assert figures["free_places"] == 0
    assert figures["unbriefed"] == figures["ungreeted"] == 0
    assert "Traceback" not in log
