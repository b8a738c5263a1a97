"""The pure rules behind shift timers and coverage-gap alerts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warmline.people import AdminError
from warmline.scheduling.reminders import horizon, parse_reminder_minutes, plan
from warmline.scheduling.rota import Assignment, Rota, ShiftInstance, WeeklySlot, gaps
from warmline.worker.housekeeping import gap_pattern, week_window

NY = ZoneInfo("America/New_York")
START = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
SHIFT = ShiftInstance(7, START, START + dt.timedelta(hours=4), False, "slot:1")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1440,60", (1440, 60)),
        (" 60 , 1440 ,60", (1440, 60)),
        ("30", (30,)),
        ("", ()),
        ("none", ()),
        ("OFF", ()),
        ("10080", (10080,)),
    ],
)
def test_reminder_minutes_parse(text, minutes):
    assert parse_reminder_minutes(text) == minutes


@pytest.mark.parametrize("text", ["0", "-5", "1h", "60,,30", "10081", "1.5"])
def test_reminder_minutes_refused(text):
    with pytest.raises(AdminError, match="minutes before a shift"):
        parse_reminder_minutes(text)


def kinds(planned):
    return [(p.kind, p.due_at - START) for p in planned]


def test_plan_well_ahead_has_every_timer_in_due_order():
    planned = plan([SHIFT], {7: (1440, 60)}, START - dt.timedelta(hours=30))
    assert kinds(planned) == [
        ("reminder", -dt.timedelta(hours=24)),
        ("reminder", -dt.timedelta(hours=1)),
        ("shift-start", dt.timedelta(0)),
        ("drain", dt.timedelta(0)),
        ("shift-end", dt.timedelta(hours=4)),
    ]
    assert planned[0].key == "reminder:1440:7:20261123T230000Z"
    assert planned[-1].key == "shift-end:7:20261124T030000Z"


@pytest.mark.parametrize(
    ("before_start", "reminders_kept"),
    [
        (dt.timedelta(hours=24, minutes=5), 2),  # both ahead
        (dt.timedelta(hours=23, minutes=51), 2),  # 24 h reminder 9 minutes late: still sent
        (dt.timedelta(hours=23, minutes=49), 1),  # 11 minutes late: dropped
        (dt.timedelta(minutes=55), 1),
        (dt.timedelta(minutes=30), 0),  # shift added at short notice: no 1 h reminder
        (dt.timedelta(0), 0),
    ],
)
def test_late_reminders_are_dropped(before_start, reminders_kept):
    planned = plan([SHIFT], {7: (1440, 60)}, START - before_start)
    assert sum(p.kind == "reminder" for p in planned) == reminders_kept


def test_shift_in_progress_gets_start_only_within_the_late_margin():
    assert [p.kind for p in plan([SHIFT], {7: ()}, START + dt.timedelta(minutes=9))] == [
        "shift-start",
        "drain",
        "shift-end",
    ]
    assert [p.kind for p in plan([SHIFT], {7: ()}, START + dt.timedelta(minutes=11))] == [
        "shift-end"
    ]


def test_inactive_volunteers_get_no_timers():
    assert plan([SHIFT], {8: (60,)}, START - dt.timedelta(hours=2)) == []


def test_horizon_covers_the_longest_reminder():
    assert horizon({1: (60,)}) == dt.timedelta(hours=25)
    assert horizon({1: (2880,)}) == dt.timedelta(hours=49)


def _evening_rota(**dates):
    slots = tuple(
        WeeklySlot(i, i, dt.time(18), dt.time(23), (Assignment(1, True),), **dates)
        for i in range(7)
    )
    return Rota(NY, slots)


@pytest.mark.parametrize("days", range(14))
def test_gap_pattern_of_a_weekly_rota_is_the_same_every_day(days):
    rota = _evening_rota()
    now = dt.datetime(2026, 10, 26, 14, 0, tzinfo=dt.UTC) + dt.timedelta(days=days)  # DST ends
    lo, hi = week_window(NY, now)
    pattern = gap_pattern(gaps(rota, lo, hi), NY, lo, hi)
    assert pattern.splitlines()[0] == "Fri 23:00-Sat 18:00 uncovered"
    assert len(pattern.splitlines()) == 7


def test_gap_pattern_of_an_empty_rota_is_all_week():
    lo, hi = week_window(NY, START)
    assert gap_pattern(gaps(Rota(NY), lo, hi), NY, lo, hi) == "all week uncovered"
