"""Shift notices, reminders and queue draining from the worker's jobs (SPEC §9).

Time is a parameter: the tests move the fake clock and run the planner and the timer tick the
way the worker does, many times over (as a restarted worker would), and check that each text is
sent exactly once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from warmline.db.models import Outbound, Timer, Volunteer
from warmline.scheduling import swaps
from warmline.scheduling.editing import add_one_off, add_weekly_slot
from warmline.scheduling.reminders import parse_reminder_minutes
from warmline.scheduling.store import load_rota
from warmline.worker import jobs

CONTACT = "+12025550101"
# Monday 23 November 2026 in New York (UTC-5).
SUNDAY_NOON = dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.UTC)
MONDAY_18 = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
MONDAY_22 = MONDAY_18 + dt.timedelta(hours=4)


def tick(wl, clock, until: dt.datetime, step: dt.timedelta = dt.timedelta(minutes=10)) -> None:
    """Run the planner and the timer tick at every step up to ``until``, like the worker."""
    while clock.now <= until:
        jobs.plan_shift_timers(wl, clock.now)
        jobs.fire_timers(wl, clock.now)
        jobs.plan_shift_timers(wl, clock.now)  # as if the worker restarted right away
        clock.now += step
    clock.now = until


def monday_slot(wl, *volunteers, start="18:00", end="22:00"):
    with wl.db.unit_of_work() as session:
        add_weekly_slot(
            session,
            day_name="mon",
            start=start,
            end=end,
            volunteers=[v.phone for v in volunteers],
            supervisors=[],
            now=wl.clock(),
        )


def test_reminders_and_notices_are_sent_once_each_in_order(wl, twilio, people, clock):
    clock.now = SUNDAY_NOON
    sam = people.volunteer("Sam", on_shift=False)
    monday_slot(wl, sam)
    tick(wl, clock, MONDAY_22 + dt.timedelta(minutes=30))
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    assert len(to_sam) == 4, to_sam
    assert "starts in 24 hours, tomorrow at 6:00 PM, until 10:00 PM" in to_sam[0]
    assert "starts in 1 hour, today at 6:00 PM, until 10:00 PM" in to_sam[1]
    assert to_sam[2].startswith("Your Riverside Warmline shift starts now")
    assert "has ended" in to_sam[3]
    tick(wl, clock, clock.now + dt.timedelta(hours=1))
    assert twilio.texts_to(sam.phone, twilio.deliver()) == []


def test_end_notice_says_open_conversations_are_kept(wl, twilio, people, clock):
    clock.now = MONDAY_22 - dt.timedelta(minutes=10)
    sam = people.volunteer("Sam", on_shift=False)
    monday_slot(wl, sam)
    twilio.sms(CONTACT, "hello?")
    relay = next(m["From"] for m in twilio.deliver() if m["To"] == sam.phone)
    twilio.sms(sam.phone, "hi, I'm here", to=relay)
    tick(wl, clock, MONDAY_22, step=dt.timedelta(minutes=2))
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    assert "you keep your open conversations (1)" in to_sam[-1].lower()


def test_shift_added_late_gets_only_the_reminders_still_ahead(wl, twilio, people, clock):
    clock.now = MONDAY_18 - dt.timedelta(minutes=30)
    sam = people.volunteer("Sam", on_shift=False)
    monday_slot(wl, sam)
    tick(wl, clock, MONDAY_18 + dt.timedelta(minutes=5))
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    assert len(to_sam) == 1 and "starts now" in to_sam[0]


def test_reminders_follow_each_volunteers_setting(wl, twilio, people, clock):
    clock.now = MONDAY_18 - dt.timedelta(hours=3)
    sam = people.volunteer("Sam", on_shift=False)
    kim = people.volunteer("Kim", on_shift=False)
    with wl.db.unit_of_work() as session:
        session.get(Volunteer, sam.id).reminder_minutes = ",".join(
            map(str, parse_reminder_minutes("30, 120"))
        )
        session.get(Volunteer, kim.id).reminder_minutes = ""
    monday_slot(wl, sam, kim)
    tick(wl, clock, MONDAY_18 - dt.timedelta(minutes=1))
    delivered = twilio.deliver()
    assert [t.split(",")[0] for t in twilio.texts_to(sam.phone, delivered)] == [
        "Reminder from Riverside Warmline: your shift starts in 2 hours",
        "Reminder from Riverside Warmline: your shift starts in 30 minutes",
    ]
    assert twilio.texts_to(kim.phone, delivered) == []


def test_queue_is_drained_at_shift_start_after_the_start_notice(wl, twilio, people, clock):
    clock.now = MONDAY_18 - dt.timedelta(minutes=30)
    sam = people.volunteer("Sam", on_shift=False)
    with wl.db.unit_of_work() as session:
        session.get(Volunteer, sam.id).reminder_minutes = ""
    monday_slot(wl, sam)
    twilio.sms(CONTACT, "anyone there tonight?")
    after_hours = twilio.texts_to(CONTACT, twilio.deliver())
    assert any("closed right now" in t for t in after_hours)
    tick(wl, clock, MONDAY_18 + dt.timedelta(minutes=1), step=dt.timedelta(minutes=1))
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    assert "starts now" in to_sam[0]
    assert to_sam[-1].endswith("] anyone there tonight?")


def test_swapped_shift_notifies_the_new_volunteer_only(wl, twilio, people, clock):
    clock.now = MONDAY_18 - dt.timedelta(hours=2)
    sam = people.volunteer("Sam", on_shift=False)
    alex = people.volunteer("Alex", on_shift=False)
    monday_slot(wl, sam)
    tick(wl, clock, MONDAY_18 - dt.timedelta(minutes=90))
    with wl.db.unit_of_work() as session:
        rota = load_rota(session, wl.settings.line.timezone)
        swap = swaps.offer(session, rota, str(sam.id), MONDAY_18, clock.now)
        swaps.take(session, rota, swap.id, str(alex.id), clock.now)
    tick(wl, clock, MONDAY_22 + dt.timedelta(minutes=10))
    delivered = twilio.deliver()
    assert twilio.texts_to(sam.phone, delivered) == []
    to_alex = twilio.texts_to(alex.phone, delivered)
    assert ["1 hour" in to_alex[0], "starts now" in to_alex[1], "ended" in to_alex[2]] == [
        True,
        True,
        True,
    ]


def test_back_to_back_shifts_are_announced_as_one(wl, twilio, people, clock):
    clock.now = MONDAY_18 - dt.timedelta(minutes=5)
    sam = people.volunteer("Sam", on_shift=False)
    with wl.db.unit_of_work() as session:
        session.get(Volunteer, sam.id).reminder_minutes = "off"
    monday_slot(wl, sam, start="18:00", end="20:00")
    monday_slot(wl, sam, start="20:00", end="22:00")
    tick(wl, clock, MONDAY_22 + dt.timedelta(minutes=10))
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    assert len(to_sam) == 2
    assert "starts now and runs until 8:00 PM" in to_sam[0] and "ended" in to_sam[1]


def test_inactive_volunteer_gets_nothing(wl, twilio, people, clock):
    clock.now = MONDAY_18 - dt.timedelta(hours=2)
    sam = people.volunteer("Sam", on_shift=False)
    with wl.db.unit_of_work() as session:
        add_one_off(
            session,
            wl.settings.line.timezone,
            on="2026-11-23",
            start="18:00",
            end="22:00",
            volunteers=[sam.phone],
            supervisors=[],
            now=clock.now,
        )
    tick(wl, clock, MONDAY_18 - dt.timedelta(minutes=70))
    with wl.db.unit_of_work() as session:
        session.get(Volunteer, sam.id).active = False
    tick(wl, clock, MONDAY_22 + dt.timedelta(minutes=10))
    assert twilio.texts_to(sam.phone, twilio.deliver()) == []


def test_each_notice_has_one_timer_and_one_outbox_row(wl, people, clock):
    clock.now = SUNDAY_NOON
    sam = people.volunteer("Sam", on_shift=False)
    monday_slot(wl, sam)
    for _ in range(3):
        tick(wl, clock, MONDAY_22 + dt.timedelta(minutes=10), step=dt.timedelta(minutes=30))
        clock.now = SUNDAY_NOON
    with wl.db.unit_of_work() as session:
        kinds = dict(session.execute(select(Timer.kind, func.count()).group_by(Timer.kind)).all())
        assert kinds == {"reminder": 2, "shift-start": 1, "shift-end": 1, "drain": 1}
        keys = session.scalars(select(Outbound.dedupe_key).where(Outbound.volunteer_id == sam.id))
        assert sorted(keys) == sorted(
            [
                "reminder:1440:1:20261123T230000Z",
                "reminder:60:1:20261123T230000Z",
                "shift-start:1:20261123T230000Z",
                "shift-end:1:20261124T030000Z",
            ]
        )


def test_set_timer_once_says_whether_it_created_the_timer(wl, clock):
    from warmline.scheduling.timers import set_timer_once

    with wl.db.unit_of_work() as session:
        assert set_timer_once(session, "notice", 1, clock.now, clock.now, key="once:1") is True
        assert set_timer_once(session, "notice", 1, clock.now, clock.now, key="once:1") is False
    with wl.db.unit_of_work() as session:
        assert set_timer_once(session, "notice", 1, clock.now, clock.now, key="once:1") is False
