"""Rota services (SPEC §9, §11): weekly and one-off shifts, overrides and swaps through the
domain rules, each change audited in its own unit of work."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from warmline.audit import Actor
from warmline.db.models import AuditEntry, SlotAssignment, WeeklySlot
from warmline.people import AdminError
from warmline.services import rota

COORDINATOR = Actor("user", "coord@example.org", "coordinator")
# Monday 30 November 2026 18:00-22:00 New York is 23:00-03:00 UTC.
NEXT_MONDAY_SHIFT = dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC)


def _audit(wl) -> list[tuple[str, str | None, str]]:
    with wl.db.unit_of_work() as session:
        return [
            (e.action, e.target, e.detail)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_weekly_shift_added_edited_in_place_and_removed(wl, people, clock):
    sam = people.volunteer("Sam", on_shift=False, role="supervisor")
    alex = people.volunteer("Alex", on_shift=False)
    with wl.db.unit_of_work() as session:
        slot = rota.add_weekly(
            session,
            COORDINATOR,
            wl.settings,
            clock.now,
            day="mon",
            start="18:00",
            end="22:00",
            volunteers=[str(alex.id)],
            supervisors=[],
        )
        slot_id = slot.id
    with wl.db.unit_of_work() as session:
        slot = rota.edit_weekly(
            session,
            COORDINATOR,
            wl.settings,
            clock.now,
            slot_id,
            day="tue",
            start="19:00",
            end="23:30",
            volunteers=[str(alex.id)],
            supervisors=[sam.phone],
        )
        assert slot.id == slot_id
    with wl.db.unit_of_work() as session:
        found = session.get_one(WeeklySlot, slot_id)
        assert (found.weekday, found.start_local, found.end_local) == (
            1,
            dt.time(19, 0),
            dt.time(23, 30),
        )
        assert sorted(
            (a.volunteer_id, a.supervisor) for a in session.scalars(select(SlotAssignment))
        ) == [(sam.id, True), (alex.id, False)]
    with wl.db.unit_of_work() as session:
        said = rota.remove_shift(session, COORDINATOR, wl.settings, clock.now, f"w{slot_id}")
    assert said.startswith(f"weekly shift w{slot_id}: Tue 19:00")
    entries = _audit(wl)
    assert [(a, t) for a, t, _ in entries] == [
        ("shift.add", f"shift:w{slot_id}"),
        ("shift.edit", f"shift:w{slot_id}"),
        ("shift.remove", f"shift:w{slot_id}"),
    ]
    assert entries[1][2].startswith("was Mon 18:00 → 22:00")


def test_a_refused_edit_leaves_the_shift_as_it_was(wl, people, clock):
    alex = people.volunteer("Alex", on_shift=False)
    slot_id = people.shift(alex, "mon", "18:00", "22:00")
    with pytest.raises(AdminError, match="not a supervisor"):
        with wl.db.unit_of_work() as session:
            rota.edit_weekly(
                session,
                COORDINATOR,
                wl.settings,
                clock.now,
                slot_id,
                day="wed",
                start="09:00",
                end="12:00",
                volunteers=[],
                supervisors=[str(alex.id)],
            )
    with pytest.raises(AdminError, match="no weekly shift w99"):
        with wl.db.unit_of_work() as session:
            rota.edit_weekly(
                session,
                COORDINATOR,
                wl.settings,
                clock.now,
                99,
                day="wed",
                start="09:00",
                end="12:00",
                volunteers=[str(alex.id)],
                supervisors=[],
            )
    with wl.db.unit_of_work() as session:
        slot = session.get_one(WeeklySlot, slot_id)
        assert (slot.weekday, [a.volunteer_id for a in slot.assignments]) == (0, [alex.id])
    assert _audit(wl) == []


def test_an_edit_may_not_duplicate_another_shift(wl, people, clock):
    alex = people.volunteer("Alex", on_shift=False)
    people.shift(alex, "mon", "18:00", "22:00")
    other = people.shift(alex, "tue", "18:00", "22:00")
    with pytest.raises(AdminError, match="already on that weekly shift"):
        with wl.db.unit_of_work() as session:
            rota.edit_weekly(
                session,
                COORDINATOR,
                wl.settings,
                clock.now,
                other,
                day="mon",
                start="18:00",
                end="22:00",
                volunteers=[str(alex.id)],
                supervisors=[],
            )


def test_one_off_override_and_swap_are_audited(wl, people, clock):
    sam = people.volunteer("Sam", on_shift=False)
    alex = people.volunteer("Alex", on_shift=False)
    people.shift(sam, "mon", "18:00", "22:00")
    with wl.db.unit_of_work() as session:
        (one_off,) = rota.add_one_off(
            session,
            COORDINATOR,
            wl.settings,
            clock.now,
            on="2026-11-25",
            start="09:00",
            end="12:00",
            volunteers=[str(alex.id)],
            supervisors=[],
        )
        override = rota.add_override(
            session,
            COORDINATOR,
            wl.settings,
            clock.now,
            kind="remove",
            volunteer=str(sam.id),
            start="2026-12-07 18:00",
            end="2026-12-07 22:00",
        )
        swap = rota.reassign_shift(
            session,
            COORDINATOR,
            wl.settings,
            clock.now,
            str(sam.id),
            NEXT_MONDAY_SHIFT + dt.timedelta(hours=1),
            str(alex.id),
        )
        ids = one_off.id, override.id, swap.id, swap.override_id
    with wl.db.unit_of_work() as session:
        cancelled = rota.remove_override(session, COORDINATOR, clock.now, ids[3])
        assert cancelled is not None and cancelled.status == "cancelled"
        rota.remove_override(session, COORDINATOR, clock.now, ids[1])
        rota.remove_shift(session, COORDINATOR, wl.settings, clock.now, f"o{ids[0]}")
    assert [(a, t) for a, t, _ in _audit(wl)] == [
        ("shift.add", f"shift:o{ids[0]}"),
        ("override.add", f"override:{ids[1]}"),
        ("swap.reassign", f"swap:{ids[2]}"),
        ("override.remove", f"override:{ids[3]}"),
        ("override.remove", f"override:{ids[1]}"),
        ("shift.remove", f"shift:o{ids[0]}"),
    ]


def test_offer_take_and_cancel(wl, people, clock):
    sam = people.volunteer("Sam", on_shift=False)
    alex = people.volunteer("Alex", on_shift=False)
    people.shift(sam, "mon", "18:00", "22:00")
    inside = NEXT_MONDAY_SHIFT + dt.timedelta(hours=1)
    with wl.db.unit_of_work() as session:
        offered = rota.offer_swap(session, COORDINATOR, wl.settings, clock.now, str(sam.id), inside)
        taken = rota.take_swap(
            session, COORDINATOR, wl.settings, clock.now, offered.id, str(alex.id)
        )
        assert taken.taken_by_id == alex.id
        again = rota.offer_swap(
            session, COORDINATOR, wl.settings, clock.now, str(sam.id), inside + dt.timedelta(days=7)
        )
        rota.cancel_swap(session, COORDINATOR, clock.now, again.id)
    assert [a for a, _, _ in _audit(wl)] == ["swap.offer", "swap.take", "swap.offer", "swap.cancel"]


@pytest.mark.parametrize("role", ["viewer", "supervisor"])
def test_only_coordinators_change_the_rota_or_volunteers(wl, people, clock, role):
    from warmline.accounts.roles import PermissionDenied
    from warmline.services import volunteer_csv, volunteers

    alex = people.volunteer("Alex", on_shift=False)
    actor = Actor("user", "someone@example.org", role)
    with wl.db.unit_of_work() as session:
        with pytest.raises(PermissionDenied):
            rota.add_weekly(
                session,
                actor,
                wl.settings,
                clock.now,
                day="mon",
                start="18:00",
                end="22:00",
                volunteers=[str(alex.id)],
                supervisors=[],
            )
        with pytest.raises(PermissionDenied):
            volunteers.deactivate(session, actor, wl.settings, clock.now, str(alex.id))
        with pytest.raises(PermissionDenied):
            volunteer_csv.export(session, actor, clock.now)
    assert _audit(wl) == []
