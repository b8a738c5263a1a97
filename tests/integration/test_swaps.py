"""Shift swaps (SPEC §9): offer, take, reassign, cancel; the rota follows through overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from warmline.db.models import RotaOverride
from warmline.people import AdminError, edit_volunteer
from warmline.scheduling import swaps
from warmline.scheduling.editing import remove_slot
from warmline.scheduling.store import load_rota, on_shift_now

# Monday 30 November 2026 18:00-22:00 New York is 23:00-03:00 UTC.
NEXT_MONDAY_SHIFT = dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC)


@pytest.fixture
def rota_people(wl, people):
    sam = people.volunteer("Sam", on_shift=False)
    alex = people.volunteer("Alex", on_shift=False)
    kim = people.volunteer("Kim", on_shift=False)
    people.shift(sam, "mon", "18:00", "22:00")
    people.shift(kim, "mon", "20:00", "23:00")
    return sam, alex, kim


def _rota(wl, session):
    return load_rota(session, wl.settings.line.timezone)


def test_offer_then_take_hands_over_that_occurrence_only(wl, rota_people, clock):
    sam, alex, _ = rota_people
    inside = NEXT_MONDAY_SHIFT + dt.timedelta(hours=1)
    with wl.db.unit_of_work() as session:
        swap = swaps.offer(session, _rota(wl, session), str(sam.id), inside, clock.now)
        assert (swap.status, swap.start, swap.end) == (
            "open",
            NEXT_MONDAY_SHIFT,
            NEXT_MONDAY_SHIFT + dt.timedelta(hours=4),
        )
        assert swap.source.startswith("slot:")
    with wl.db.unit_of_work() as session:
        taken = swaps.take(session, _rota(wl, session), swap.id, alex.phone, clock.now)
        assert (taken.status, taken.taken_by_id) == ("taken", alex.id)
        override = session.get(RotaOverride, taken.override_id)
        assert (override.kind, override.volunteer_id, override.replacement_id) == (
            "replace",
            sam.id,
            alex.id,
        )
    tz = wl.settings.line.timezone
    with wl.db.unit_of_work() as session:
        assert set(on_shift_now(session, tz, inside)) == {alex.id}
        # The week after is Sam's again.
        assert set(on_shift_now(session, tz, inside + dt.timedelta(days=7))) == {sam.id}


def test_taking_is_refused_for_self_busy_or_twice(wl, rota_people, clock):
    sam, alex, kim = rota_people
    with wl.db.unit_of_work() as session:
        swap = swaps.offer(session, _rota(wl, session), sam.phone, NEXT_MONDAY_SHIFT, clock.now)
    for taker, reason in ((sam, "own shift"), (kim, "already on shift")):
        with wl.db.unit_of_work() as session, pytest.raises(AdminError, match=reason):
            swaps.take(session, _rota(wl, session), swap.id, str(taker.id), clock.now)
    with wl.db.unit_of_work() as session:
        swaps.take(session, _rota(wl, session), swap.id, str(alex.id), clock.now)
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match="not open"):
        swaps.take(session, _rota(wl, session), swap.id, str(alex.id), clock.now)


def test_offer_needs_a_future_shift_and_only_once(wl, rota_people, clock):
    sam, alex, _ = rota_people
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match="no shift"):
        swaps.offer(session, _rota(wl, session), str(alex.id), NEXT_MONDAY_SHIFT, clock.now)
    last_week = NEXT_MONDAY_SHIFT - dt.timedelta(days=14)
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match="already over"):
        swaps.offer(session, _rota(wl, session), str(sam.id), last_week, clock.now)
    with wl.db.unit_of_work() as session:
        swaps.offer(session, _rota(wl, session), str(sam.id), NEXT_MONDAY_SHIFT, clock.now)
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match="already offered"):
        swaps.offer(session, _rota(wl, session), str(sam.id), NEXT_MONDAY_SHIFT, clock.now)


def test_offer_of_a_shift_in_progress_starts_now(wl, rota_people, clock):
    sam, _, _ = rota_people
    clock.now = NEXT_MONDAY_SHIFT + dt.timedelta(minutes=90)
    with wl.db.unit_of_work() as session:
        swap = swaps.offer(session, _rota(wl, session), str(sam.id), clock.now, clock.now)
        assert swap.start == clock.now


def test_cancelled_offer_cannot_be_taken(wl, rota_people, clock):
    sam, alex, _ = rota_people
    with wl.db.unit_of_work() as session:
        swap = swaps.offer(session, _rota(wl, session), str(sam.id), NEXT_MONDAY_SHIFT, clock.now)
        swaps.cancel(session, swap.id, clock.now)
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match="cancelled"):
        swaps.take(session, _rota(wl, session), swap.id, str(alex.id), clock.now)
    with wl.db.unit_of_work() as session:
        assert swaps.list_swaps(session, clock.now, status="open") == []


def test_coordinator_reassign_closes_the_open_offer(wl, rota_people, clock):
    sam, alex, _ = rota_people
    with wl.db.unit_of_work() as session:
        offered = swaps.offer(
            session, _rota(wl, session), str(sam.id), NEXT_MONDAY_SHIFT, clock.now
        )
    with wl.db.unit_of_work() as session:
        swap = swaps.reassign(
            session, _rota(wl, session), sam.phone, NEXT_MONDAY_SHIFT, alex.phone, clock.now
        )
        assert swap.id == offered.id and swap.status == "taken"
    with wl.db.unit_of_work() as session:
        tz = wl.settings.line.timezone
        assert set(on_shift_now(session, tz, NEXT_MONDAY_SHIFT)) == {alex.id}
        assert [s.status for s in swaps.list_swaps(session, clock.now)] == ["taken"]


def test_coordinator_reassign_without_offer(wl, rota_people, clock):
    sam, alex, _ = rota_people
    with wl.db.unit_of_work() as session:
        swap = swaps.reassign(
            session, _rota(wl, session), str(sam.id), NEXT_MONDAY_SHIFT, str(alex.id), clock.now
        )
        assert (swap.requested_by, swap.status, swap.taken_by_id) == (
            "coordinator",
            "taken",
            alex.id,
        )


def test_offer_of_a_removed_shift_cannot_be_taken(wl, rota_people, clock):
    sam, alex, _ = rota_people
    with wl.db.unit_of_work() as session:
        swap = swaps.offer(session, _rota(wl, session), str(sam.id), NEXT_MONDAY_SHIFT, clock.now)
        remove_slot(session, 1)
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match="no longer on the rota"):
        swaps.take(session, _rota(wl, session), swap.id, str(alex.id), clock.now)


def test_taking_tells_both_volunteers(wl, twilio, rota_people, clock):
    sam, alex, _ = rota_people
    with wl.db.unit_of_work() as session:
        swap = swaps.offer(session, _rota(wl, session), str(sam.id), NEXT_MONDAY_SHIFT, clock.now)
        swaps.take(session, _rota(wl, session), swap.id, str(alex.id), clock.now, wl.context)
    delivered = twilio.deliver()
    assert twilio.texts_to(sam.phone, delivered) == [
        "Riverside Warmline: Alex is taking your shift on Monday November 30 at 6:00 PM "
        "until 10:00 PM. Thank you!"
    ]
    assert twilio.texts_to(alex.phone, delivered) == [
        "Riverside Warmline: you are now on shift on Monday November 30 at 6:00 PM until 10:00 PM, "
        "taking over from Sam."
    ]


@pytest.fixture
def supervised(wl, people, rota_people):
    """Lee supervises Tuesdays 18:00-22:00; Ray is a supervisor with no shift."""
    lee = people.volunteer("Lee", on_shift=False, role="supervisor")
    ray = people.volunteer("Ray", on_shift=False, role="supervisor")
    people.shift(lee, "tue", "18:00", "22:00", supervisor=True)
    return lee, ray


NEXT_TUESDAY_SHIFT = NEXT_MONDAY_SHIFT + dt.timedelta(days=1)


def test_a_supervisors_shift_goes_only_to_a_supervisor(wl, rota_people, supervised, clock):
    _, alex, _ = rota_people
    lee, ray = supervised
    with wl.db.unit_of_work() as session:
        swap = swaps.offer(session, _rota(wl, session), lee.phone, NEXT_TUESDAY_SHIFT, clock.now)
    refusal = "Alex is not a supervisor .role volunteer., so cannot take a supervisor's shift"
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match=refusal):
        swaps.take(session, _rota(wl, session), swap.id, str(alex.id), clock.now)
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match=refusal):
        swaps.reassign(
            session, _rota(wl, session), lee.phone, NEXT_TUESDAY_SHIFT, alex.phone, clock.now
        )
    with wl.db.unit_of_work() as session:
        taken = swaps.take(session, _rota(wl, session), swap.id, ray.phone, clock.now)
        assert session.get(RotaOverride, taken.override_id).supervisor is True
    tz = wl.settings.line.timezone
    with wl.db.unit_of_work() as session:
        on = on_shift_now(session, tz, NEXT_TUESDAY_SHIFT)
        assert set(on) == {ray.id} and on[ray.id].supervisor
        # Ray now supervises that Tuesday: demoting Ray would leave it to a plain volunteer.
        with pytest.raises(AdminError, match="Ray still supervises override 1; give those"):
            edit_volunteer(session, str(ray.id), clock.now, role="volunteer")


def test_a_plain_volunteers_shift_may_go_to_anyone(wl, rota_people, supervised, clock):
    sam, _, _ = rota_people
    _, ray = supervised
    with wl.db.unit_of_work() as session:
        swap = swaps.reassign(
            session, _rota(wl, session), sam.phone, NEXT_MONDAY_SHIFT, ray.phone, clock.now
        )
        assert session.get(RotaOverride, swap.override_id).supervisor is False
        assert edit_volunteer(session, str(ray.id), clock.now, role="volunteer").role == (
            "volunteer"
        )
