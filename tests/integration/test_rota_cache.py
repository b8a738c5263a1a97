"""The compiled rota is reused between requests, yet every edit, from any process, is seen."""

from __future__ import annotations

import datetime as dt

from warmline.db.engine import Database
from warmline.scheduling import store
from warmline.scheduling.editing import add_override, add_weekly_slot, remove_slot
from warmline.scheduling.rota_version import current_version

MONDAY_19 = dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC)  # Monday 23 Nov, 19:00 New York


def on_shift(wl):
    with wl.db.unit_of_work() as session:
        return set(store.on_shift_now(session, wl.settings.line.timezone, MONDAY_19))


def test_edits_by_another_process_are_seen_at_once(wl, people):
    sam = people.volunteer("Sam", on_shift=False)
    tz = wl.settings.line.timezone
    with wl.db.unit_of_work() as session:
        slot = add_weekly_slot(
            session,
            day_name="mon",
            start="18:00",
            end="22:00",
            volunteers=[sam.phone],
            supervisors=[],
            now=wl.clock(),
        )
    assert on_shift(wl) == {sam.id}
    other = Database(wl.settings.database_url)  # what another web process or the CLI uses
    with other.unit_of_work() as session:
        before = current_version(session)
        add_override(
            session,
            tz,
            kind="remove",
            volunteer=sam.phone,
            start="2026-11-23 18:30",
            end="2026-11-23 19:30",
            now=wl.clock(),
        )
    assert on_shift(wl) == set()
    with other.unit_of_work() as session:
        assert current_version(session) != before
        remove_slot(session, slot.id)
    other.dispose()
    assert on_shift(wl) == set()


def test_the_rota_is_loaded_once_while_unchanged(wl, people, monkeypatch):
    sam = people.volunteer("Sam")
    loads = []
    real = store.load_rota
    monkeypatch.setattr(store, "load_rota", lambda *a: loads.append(1) or real(*a))
    assert [on_shift(wl) for _ in range(5)] == [{sam.id}] * 5
    assert len(loads) <= 1
    kim = people.volunteer("Kim")
    assert on_shift(wl) == {sam.id, kim.id}
