"""Weekly slots, one-offs, merging and input checks of the rota."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warmline.scheduling.rota import (
    Assignment,
    OneOffShift,
    Override,
    Rota,
    RotaIndex,
    WeeklySlot,
    gaps,
    next_opening,
    on_shift,
    shifts_between,
)

NY = ZoneInfo("America/New_York")
MON, FRI, SUN = 0, 4, 6


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


def slot(weekday, start, end, *volunteers, id=1, first=None, last=None):
    crew = tuple(Assignment(v) for v in volunteers)
    return WeeklySlot(id, weekday, dt.time(*start), dt.time(*end), crew, first, last)


def on_duty(rota: Rota, at: dt.datetime) -> list[int]:
    found = [s.volunteer_id for s in on_shift(rota, at)]
    assert [s.volunteer_id for s in RotaIndex(rota).on_shift(at)] == found
    return found


# 2026-01-09 is a Friday, 2026-01-11 a Sunday, 2026-01-12 a Monday.
@pytest.mark.parametrize(
    ("weekly", "at", "expected"),
    [
        (slot(FRI, (22,), (6,), 7), local(2026, 1, 9, 21, 59), []),
        (slot(FRI, (22,), (6,), 7), local(2026, 1, 9, 22, 0), [7]),
        (slot(FRI, (22,), (6,), 7), local(2026, 1, 10, 3, 0), [7]),
        (slot(FRI, (22,), (6,), 7), local(2026, 1, 10, 6, 0), []),
        (slot(FRI, (22,), (6,), 7), local(2026, 1, 10, 22, 0), []),  # Saturday
        # Sunday -> Monday, across the week boundary
        (slot(SUN, (22,), (6,), 7), local(2026, 1, 11, 23, 0), [7]),
        (slot(SUN, (22,), (6,), 7), local(2026, 1, 12, 5, 59), [7]),
        (slot(SUN, (22,), (6,), 7), local(2026, 1, 12, 6, 0), []),
        (slot(SUN, (22,), (6,), 7), local(2026, 1, 5, 3, 0), [7]),
        # end == start: 24 hours
        (slot(SUN, (9,), (9,), 7), local(2026, 1, 12, 8, 59), [7]),
        (slot(SUN, (9,), (9,), 7), local(2026, 1, 12, 9, 0), []),
        # daytime
        (slot(MON, (9,), (17,), 7, 8), local(2026, 1, 12, 9, 0), [7, 8]),
        (slot(MON, (9,), (17,), 7, 8), local(2026, 1, 12, 17, 0), []),
        # date bounds are on the local start date
        (slot(SUN, (22,), (6,), 7, last=dt.date(2026, 1, 11)), local(2026, 1, 12, 5, 0), [7]),
        (slot(SUN, (22,), (6,), 7, last=dt.date(2026, 1, 11)), local(2026, 1, 19, 5, 0), []),
        (slot(SUN, (22,), (6,), 7, first=dt.date(2026, 1, 11)), local(2026, 1, 5, 5, 0), []),
        (slot(SUN, (22,), (6,), 7, first=dt.date(2026, 1, 11)), local(2026, 1, 12, 5, 0), [7]),
        (slot(MON, (9,), (17,), 7, first=dt.date(2026, 1, 13)), local(2026, 1, 12, 10), []),
        (slot(MON, (9,), (17,), 7, first=dt.date(2026, 1, 13)), local(2026, 1, 19, 10), [7]),
    ],
)
def test_who_is_on_a_weekly_slot(weekly, at, expected):
    assert on_duty(Rota(NY, slots=(weekly,)), at) == expected


def test_first_and_last_date_bound_the_occurrences():
    rota = Rota(
        NY,
        slots=(slot(MON, (9,), (17,), 7, first=dt.date(2026, 1, 12), last=dt.date(2026, 1, 26)),),
    )

    found = shifts_between(rota, local(2026, 1, 1), local(2026, 3, 1))

    assert [s.start.astimezone(NY).date() for s in found] == [
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 26),
    ]


def test_shifts_are_unclipped_sorted_and_in_utc():
    rota = Rota(NY, slots=(slot(MON, (9,), (17,), 8, 7), slot(MON, (8,), (10,), 9, id=2)))

    found = shifts_between(rota, local(2026, 1, 12, 9, 30), local(2026, 1, 12, 9, 45))

    assert [(s.volunteer_id, s.start.hour, s.end.hour, s.source) for s in found] == [
        (9, 13, 15, "slot:2"),
        (7, 14, 22, "slot:1"),
        (8, 14, 22, "slot:1"),
    ]
    assert all(s.start.tzinfo is dt.UTC and s.end.tzinfo is dt.UTC for s in found)


def test_one_off_shifts_count_with_their_supervisor():
    shift = OneOffShift(
        4,
        dt.datetime(2026, 1, 14, 18, tzinfo=dt.UTC),
        local(2026, 1, 14, 16),
        (Assignment(3, supervisor=True), Assignment(5)),
    )
    rota = Rota(NY, one_offs=(shift,))

    found = on_shift(rota, local(2026, 1, 14, 14))

    assert [(s.volunteer_id, s.supervisor, s.source) for s in found] == [
        (3, True, "one-off:4"),
        (5, False, "one-off:4"),
    ]
    assert found[0].end == dt.datetime(2026, 1, 14, 21, tzinfo=dt.UTC)
    assert RotaIndex(rota).on_shift(local(2026, 1, 14, 14)) == found


@pytest.mark.parametrize(
    ("second_start", "second_end", "expected"),
    [
        # overlapping pieces merge: supervisor if any, latest end, sources joined
        ((12,), (20,), [(9, 20, True, "slot:1+slot:2")]),
        ((9,), (17,), [(9, 17, True, "slot:1+slot:2")]),
        # touching pieces stay separate
        ((17,), (20,), [(9, 17, False, "slot:1"), (17, 20, True, "slot:2")]),
    ],
)
def test_one_volunteer_is_listed_once_per_instant(second_start, second_end, expected):
    first = slot(MON, (9,), (17,), 7)
    second = WeeklySlot(
        2, MON, dt.time(*second_start), dt.time(*second_end), (Assignment(7, True),)
    )
    rota = Rota(NY, slots=(first, second))

    found = shifts_between(rota, local(2026, 1, 12), local(2026, 1, 13))

    assert [
        (s.start.astimezone(NY).hour, s.end.astimezone(NY).hour, s.supervisor, s.source)
        for s in found
    ] == [e[:4] for e in expected]


def test_on_shift_merges_the_pieces_covering_the_instant():
    rota = Rota(NY, slots=(slot(MON, (9,), (13,), 7), slot(MON, (12,), (17,), 7, id=2)))

    (shift,) = on_shift(rota, local(2026, 1, 12, 12, 30))

    assert (shift.start, shift.end) == (local(2026, 1, 12, 9), local(2026, 1, 12, 17))
    assert shift.source == "slot:1+slot:2"


AWARE = local(2026, 1, 12)
NAIVE = dt.datetime(2026, 1, 12)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: on_shift(r, NAIVE),
        lambda r: RotaIndex(r).on_shift(NAIVE),
        lambda r: shifts_between(r, NAIVE, AWARE),
        lambda r: shifts_between(r, AWARE, NAIVE),
        lambda r: shifts_between(r, AWARE, AWARE - dt.timedelta(seconds=1)),
        lambda r: gaps(r, AWARE, NAIVE),
        lambda r: next_opening(r, NAIVE),
        lambda r: next_opening(r, AWARE, dt.timedelta(hours=-1)),
        lambda r: OneOffShift(1, NAIVE, AWARE, ()),
        lambda r: OneOffShift(1, AWARE, AWARE, ()),
        lambda r: Override(1, "add", 1, AWARE, NAIVE),
        lambda r: Override(1, "remove", 1, AWARE + dt.timedelta(hours=1), AWARE),
        lambda r: Override(1, "replace", 1, AWARE, AWARE + dt.timedelta(hours=1)),
        lambda r: Override(1, "remove", 1, AWARE, AWARE + dt.timedelta(hours=1), replacement_id=2),
        lambda r: Override(1, "swap", 1, AWARE, AWARE + dt.timedelta(hours=1)),  # type: ignore[arg-type]
        lambda r: WeeklySlot(1, 7, dt.time(9), dt.time(10), ()),
        lambda r: WeeklySlot(1, 0, dt.time(9, tzinfo=NY), dt.time(10), ()),
        lambda r: slot(MON, (9,), (10,), 1, first=dt.date(2026, 2, 1), last=dt.date(2026, 1, 1)),
    ],
)
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call(Rota(NY))


def test_empty_windows():
    rota = Rota(NY, slots=(slot(MON, (9,), (17,), 7),))
    at = local(2026, 1, 12, 10)

    assert shifts_between(rota, at, at) == []
    assert gaps(rota, at, at) == []
    assert next_opening(rota, at, dt.timedelta(0)) is None
