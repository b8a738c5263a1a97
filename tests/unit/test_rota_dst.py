"""Daylight-saving rules of the rota, across real transitions (New York, Lord Howe)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warmline.scheduling.rota import (
    Assignment,
    Rota,
    RotaIndex,
    WeeklySlot,
    gaps,
    on_shift,
    shifts_between,
)
from warmline.scheduling.rota_pieces import wall_to_utc

NY = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
UTC = dt.UTC
H = dt.timedelta(hours=1)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "day", "wall", "expected"),
    [
        # spring-forward gap: moved forward by the gap's length
        (NY, dt.date(2026, 3, 8), dt.time(2, 0), utc(2026, 3, 8, 7, 0)),  # 03:00 EDT
        (NY, dt.date(2026, 3, 8), dt.time(2, 30), utc(2026, 3, 8, 7, 30)),  # 03:30 EDT
        (NY, dt.date(2026, 3, 8), dt.time(1, 59), utc(2026, 3, 8, 6, 59)),  # EST, before
        (NY, dt.date(2026, 3, 8), dt.time(3, 0), utc(2026, 3, 8, 7, 0)),  # EDT
        # fall-back repeat: first occurrence
        (NY, dt.date(2026, 11, 1), dt.time(1, 0), utc(2026, 11, 1, 5, 0)),  # EDT
        (NY, dt.date(2026, 11, 1), dt.time(1, 30), utc(2026, 11, 1, 5, 30)),  # EDT
        (NY, dt.date(2026, 11, 1), dt.time(2, 0), utc(2026, 11, 1, 7, 0)),  # EST
        # Lord Howe: +10:30 <-> +11:00 at 02:00
        (LORD_HOWE, dt.date(2026, 10, 4), dt.time(2, 0), utc(2026, 10, 3, 15, 30)),  # 02:30
        (LORD_HOWE, dt.date(2026, 10, 4), dt.time(2, 15), utc(2026, 10, 3, 15, 45)),  # 02:45
        (LORD_HOWE, dt.date(2026, 10, 4), dt.time(2, 30), utc(2026, 10, 3, 15, 30)),
        (LORD_HOWE, dt.date(2026, 4, 5), dt.time(1, 45), utc(2026, 4, 4, 14, 45)),  # +11 first
        (LORD_HOWE, dt.date(2026, 4, 5), dt.time(2, 0), utc(2026, 4, 4, 15, 30)),  # +10:30
    ],
)
def test_wall_clock_to_utc_rules(tz, day, wall, expected):
    assert wall_to_utc(day, wall, tz) == expected


# Slot A runs 22:00 -> handoff the night before `day`; slot B runs handoff -> 06:00 on `day`.
HANDOFFS = [
    # tz, day, handoff, handoff instant, real length of A, real length of B
    (NY, dt.date(2026, 3, 8), dt.time(1, 30), utc(2026, 3, 8, 6, 30), 3.5, 3.5),
    (NY, dt.date(2026, 3, 8), dt.time(2, 0), utc(2026, 3, 8, 7, 0), 4, 3),
    (NY, dt.date(2026, 3, 8), dt.time(2, 30), utc(2026, 3, 8, 7, 30), 4.5, 2.5),
    (NY, dt.date(2026, 11, 1), dt.time(1, 30), utc(2026, 11, 1, 5, 30), 3.5, 5.5),
    (NY, dt.date(2026, 11, 1), dt.time(2, 0), utc(2026, 11, 1, 7, 0), 5, 4),
    (NY, dt.date(2026, 11, 1), dt.time(2, 30), utc(2026, 11, 1, 7, 30), 5.5, 3.5),
    (LORD_HOWE, dt.date(2026, 10, 4), dt.time(1, 30), utc(2026, 10, 3, 15, 0), 3.5, 4),
    (LORD_HOWE, dt.date(2026, 10, 4), dt.time(2, 0), utc(2026, 10, 3, 15, 30), 4, 3.5),
    (LORD_HOWE, dt.date(2026, 10, 4), dt.time(2, 30), utc(2026, 10, 3, 15, 30), 4, 3.5),
    (LORD_HOWE, dt.date(2026, 4, 5), dt.time(1, 30), utc(2026, 4, 4, 14, 30), 3.5, 5),
    (LORD_HOWE, dt.date(2026, 4, 5), dt.time(2, 0), utc(2026, 4, 4, 15, 30), 4.5, 4),
    (LORD_HOWE, dt.date(2026, 4, 5), dt.time(2, 30), utc(2026, 4, 4, 16, 0), 5, 3.5),
    # an ordinary night for comparison
    (NY, dt.date(2026, 3, 15), dt.time(2, 0), utc(2026, 3, 15, 6, 0), 4, 4),
]


def handoff_rota(tz: ZoneInfo, day: dt.date, handoff: dt.time) -> Rota:
    night_before = (day - dt.timedelta(days=1)).weekday()
    return Rota(
        tz,
        slots=(
            WeeklySlot(1, night_before, dt.time(22), handoff, (Assignment(1, supervisor=True),)),
            WeeklySlot(2, day.weekday(), handoff, dt.time(6), (Assignment(2, supervisor=True),)),
        ),
    )


@pytest.mark.parametrize(("tz", "day", "handoff", "instant", "hours_a", "hours_b"), HANDOFFS)
def test_handoff_has_no_gap_and_no_overlap(tz, day, handoff, instant, hours_a, hours_b):
    rota = handoff_rota(tz, day, handoff)
    evening = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12), tzinfo=tz)
    morning = dt.datetime.combine(day, dt.time(12), tzinfo=tz)

    a, b = shifts_between(rota, evening, morning)

    assert (a.volunteer_id, b.volunteer_id) == (1, 2)
    assert a.end == b.start == instant
    assert a.end - a.start == hours_a * H
    assert b.end - b.start == hours_b * H
    assert [g.kind for g in gaps(rota, a.start, b.end)] == []
    assert [s.volunteer_id for s in on_shift(rota, instant - dt.timedelta(seconds=1))] == [1]
    assert [s.volunteer_id for s in on_shift(rota, instant)] == [2]
    assert RotaIndex(rota).on_shift(instant) == on_shift(rota, instant)


def test_second_pass_of_fall_back_hour_is_covered_by_the_shift_ending_at_two():
    rota = handoff_rota(NY, dt.date(2026, 11, 1), dt.time(2, 0))
    second_130 = dt.datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=1)  # 01:30 EST

    (shift,) = on_shift(rota, second_130)

    assert shift.volunteer_id == 1
    assert shift.end == utc(2026, 11, 1, 7, 0)
    assert RotaIndex(rota).on_shift(second_130) == [shift]


def test_shift_wholly_inside_the_skipped_hour_is_dropped_that_day_only():
    sunday = 6
    rota = Rota(
        NY, slots=(WeeklySlot(1, sunday, dt.time(2, 30), dt.time(3, 15), (Assignment(1),)),)
    )

    found = shifts_between(rota, utc(2026, 3, 7), utc(2026, 3, 16))

    assert [(s.start, s.end) for s in found] == [(utc(2026, 3, 15, 6, 30), utc(2026, 3, 15, 7, 15))]


@pytest.mark.parametrize(
    ("day", "start", "end", "hours"),
    [
        (dt.date(2026, 3, 7), dt.time(9), dt.time(9), 23),  # 24h slot over spring-forward
        (dt.date(2026, 10, 31), dt.time(9), dt.time(9), 25),  # 24h slot over fall-back
        (dt.date(2026, 3, 7), dt.time(20), dt.time(8), 11),
        (dt.date(2026, 10, 31), dt.time(20), dt.time(8), 13),
        (dt.date(2026, 3, 14), dt.time(20), dt.time(8), 12),
    ],
)
def test_real_length_of_shifts_spanning_a_change(day, start, end, hours):
    rota = Rota(NY, slots=(WeeklySlot(1, day.weekday(), start, end, (Assignment(1),)),))
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=NY)

    (shift,) = [
        s for s in shifts_between(rota, noon - 12 * H, noon + 36 * H) if s.start >= noon - 12 * H
    ]

    assert shift.end - shift.start == hours * H
