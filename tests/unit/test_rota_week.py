"""``warmline rota week`` rows: local days and wall-clock times, across a DST change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from warmline.scheduling.rota import Assignment, Rota, WeeklySlot
from warmline.scheduling.week import week_rows

NY = ZoneInfo("America/New_York")
SAT, SUN = 5, 6
ROTA = Rota(
    NY,
    slots=(
        WeeklySlot(1, SAT, dt.time(22), dt.time(2), (Assignment(7), Assignment(8, True))),
        WeeklySlot(2, SUN, dt.time(2), dt.time(6), (Assignment(7, True),)),
    ),
)
NAMES = {7: "Alex", 8: "Sam"}


def test_fall_back_week_keeps_wall_clock_times():
    rows = week_rows(ROTA, NY, dt.datetime(2026, 10, 31, 12, tzinfo=NY), NAMES)
    assert rows == [
        ("Sat 2026-10-31", "22:00", "02:00 +1", "Alex", "volunteer"),
        ("", "22:00", "02:00 +1", "Sam", "supervisor"),
        ("Sun 2026-11-01", "02:00", "06:00", "Alex", "supervisor"),
    ]


def test_a_shift_running_at_the_first_midnight_is_listed_on_the_first_day():
    rows = week_rows(ROTA, NY, dt.datetime(2026, 11, 1, 9, tzinfo=NY), NAMES)
    assert rows[:3] == [
        ("Sun 2026-11-01", "(Sat 22:00)", "02:00 +1", "Alex", "volunteer"),
        ("", "(Sat 22:00)", "02:00 +1", "Sam", "supervisor"),
        ("", "02:00", "06:00", "Alex", "supervisor"),
    ]
    assert rows[3][0] == "Sat 2026-11-07"
