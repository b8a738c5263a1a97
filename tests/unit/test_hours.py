"""Opening hours as instants: open at, next opening, open intervals; DST across real changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warmline.opening_hours import ALWAYS_OPEN, describe, parse_opening_hours
from warmline.scheduling import hours as h
from warmline.scheduling import rota as r

NY = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(tz: ZoneInfo, *args: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz, fold=fold)


def hours(weekly: dict[str, object] | None = None, holidays: dict[str, object] | None = None):
    return parse_opening_hours(weekly, holidays)


EVENINGS = hours({"mon": "18:00-23:00", "fri": ["12:00-14:00", "18:00-02:00"], "sun": "closed"})


@pytest.mark.parametrize(
    ("name", "tz", "weekly", "lo", "hi", "expected"),
    [
        # New York, spring forward (Sun 8 Mar 2026, 02:00 EST -> 03:00 EDT): a Saturday night
        # 22:00-04:00 is five real hours, not six.
        (
            "ny-spring-overnight",
            NY,
            {"sat": "22:00-04:00"},
            utc(2026, 3, 7),
            utc(2026, 3, 9),
            [(utc(2026, 3, 8, 3), utc(2026, 3, 8, 8))],
        ),
        # New York, fall back (Sun 1 Nov 2026, 02:00 EDT -> 01:00 EST): seven real hours.
        (
            "ny-fall-overnight",
            NY,
            {"sat": "22:00-04:00"},
            utc(2026, 10, 31),
            utc(2026, 11, 2),
            [(utc(2026, 11, 1, 2), utc(2026, 11, 1, 9))],
        ),
        # A start in the skipped hour moves forward by the skip: 02:30 is 03:30 EDT.
        (
            "ny-start-in-skipped-hour",
            NY,
            {"sun": "02:30-05:00"},
            utc(2026, 3, 8),
            utc(2026, 3, 9),
            [(utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 9))],
        ),
        # A period wholly inside the skipped hour has no time that day (03:30 EDT > 03:15 EDT).
        (
            "ny-period-in-skipped-hour",
            NY,
            {"sun": "02:30-03:15"},
            utc(2026, 3, 8),
            utc(2026, 3, 9),
            [],
        ),
        # A repeated time means its first occurrence: 01:30 EDT to 02:00 EST is 90 minutes.
        (
            "ny-repeated-hour",
            NY,
            {"sun": "01:30-02:00"},
            utc(2026, 11, 1),
            utc(2026, 11, 2),
            [(utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 7))],
        ),
        # Lord Howe, spring forward by 30 minutes (Sun 4 Oct 2026, 02:00 +10:30 -> 02:30 +11).
        (
            "lord-howe-spring-overnight",
            LORD_HOWE,
            {"sat": "22:00-04:00"},
            utc(2026, 10, 3),
            utc(2026, 10, 5),
            [(utc(2026, 10, 3, 11, 30), utc(2026, 10, 3, 17))],
        ),
        (
            "lord-howe-start-in-skipped-half-hour",
            LORD_HOWE,
            {"sun": "02:15-06:00"},
            utc(2026, 10, 3),
            utc(2026, 10, 5),
            [(local(LORD_HOWE, 2026, 10, 4, 2, 45), local(LORD_HOWE, 2026, 10, 4, 6))],
        ),
        # Lord Howe, fall back by 30 minutes (Sun 5 Apr 2026, 02:00 +11 -> 01:30 +10:30).
        (
            "lord-howe-fall-overnight",
            LORD_HOWE,
            {"sat": "22:00-04:00"},
            utc(2026, 4, 4),
            utc(2026, 4, 6),
            [(utc(2026, 4, 4, 11), utc(2026, 4, 4, 17, 30))],
        ),
        # Days that touch join: every day all day is one interval, across both changes too.
        (
            "all-week-joins",
            NY,
            {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            utc(2026, 3, 1),
            utc(2026, 3, 20),
            [(utc(2026, 3, 1), utc(2026, 3, 20))],
        ),
        (
            "midnight-joins-next-day",
            NY,
            {"mon": "18:00-24:00", "tue": "00:00-02:00"},
            local(NY, 2026, 11, 30),
            local(NY, 2026, 12, 2),
            [(local(NY, 2026, 11, 30, 18), local(NY, 2026, 12, 1, 2))],
        ),
        # Clipped to the window.
        (
            "clipped",
            NY,
            {"mon": "18:00-23:00"},
            local(NY, 2026, 11, 30, 20),
            local(NY, 2026, 11, 30, 21),
            [(local(NY, 2026, 11, 30, 20), local(NY, 2026, 11, 30, 21))],
        ),
    ],
)
def test_open_intervals_follow_the_wall_clock(name, tz, weekly, lo, hi, expected):
    found = h.open_intervals(hours(weekly), tz, lo, hi)
    assert found == [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in expected], name


def test_an_evening_line_is_open_only_in_its_hours_over_a_week():
    monday = local(NY, 2026, 11, 30)
    found = h.open_intervals(EVENINGS, NY, monday, monday + dt.timedelta(days=7))
    assert [(s.astimezone(NY), e.astimezone(NY)) for s, e in found] == [
        (local(NY, 2026, 11, 30, 18), local(NY, 2026, 11, 30, 23)),
        (local(NY, 2026, 12, 4, 12), local(NY, 2026, 12, 4, 14)),
        (local(NY, 2026, 12, 4, 18), local(NY, 2026, 12, 5, 2)),
    ]
    assert sum(((e - s) for s, e in found), dt.timedelta()) == dt.timedelta(hours=15)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (local(NY, 2026, 11, 30, 17, 59), False),
        (local(NY, 2026, 11, 30, 18), True),  # the start is open
        (local(NY, 2026, 11, 30, 22, 59), True),
        (local(NY, 2026, 11, 30, 23), False),  # the end is not
        (local(NY, 2026, 12, 5, 1, 30), True),  # Friday's evening runs into Saturday
        (local(NY, 2026, 12, 5, 2), False),
        (local(NY, 2026, 12, 6, 19), False),  # Sunday: closed
        (local(NY, 2026, 12, 1, 19), False),  # Tuesday: left out, so closed
    ],
)
def test_is_open(at, open_):
    assert h.is_open(EVENINGS, NY, at) is open_


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (local(NY, 2026, 11, 30, 12), local(NY, 2026, 11, 30, 18)),  # later today
        (local(NY, 2026, 11, 30, 19), local(NY, 2026, 11, 30, 19)),  # open now: now
        (local(NY, 2026, 11, 30, 23), local(NY, 2026, 12, 4, 12)),  # Friday lunchtime
        (local(NY, 2026, 12, 5, 3), local(NY, 2026, 12, 7, 18)),  # next week's Monday
    ],
)
def test_next_opening(at, expected):
    assert h.next_opening(EVENINGS, NY, at) == expected.astimezone(UTC)


def test_next_start_skips_the_period_under_way():
    at = local(NY, 2026, 11, 30, 19)
    assert h.next_start(EVENINGS, NY, at) == local(NY, 2026, 12, 4, 12).astimezone(UTC)


def test_holidays_close_a_day_or_change_its_hours():
    line = hours(
        {"thu": "18:00-02:00", "fri": "18:00-23:00"},
        {"2026-12-25": "closed", "2026-12-31": "10:00-14:00", "2027-01-01": "closed"},
    )
    # Christmas Eve (Thursday) still runs past midnight into the closed Christmas Day.
    assert h.is_open(line, NY, local(NY, 2026, 12, 25, 1))
    assert not h.is_open(line, NY, local(NY, 2026, 12, 25, 19))
    assert h.next_opening(line, NY, local(NY, 2026, 12, 25, 3)) == local(
        NY, 2026, 12, 31, 10
    ).astimezone(UTC)
    # New Year's Day (Friday) closed: after Thursday's short hours, the next is Thursday 7 Jan.
    assert h.next_opening(line, NY, local(NY, 2026, 12, 31, 15)) == local(
        NY, 2027, 1, 7, 18
    ).astimezone(UTC)


def test_a_holiday_opens_a_day_that_is_otherwise_closed():
    line = hours({"mon": "18:00-23:00"}, {"2026-12-26": "10:00-16:00"})  # a Saturday
    assert h.next_opening(line, NY, local(NY, 2026, 12, 22)) == local(
        NY, 2026, 12, 26, 10
    ).astimezone(UTC)


def test_holidays_on_an_always_open_line():
    line = hours(None, {"2026-12-25": "closed"})
    assert h.is_open(line, NY, local(NY, 2026, 12, 24, 23, 59))
    assert not h.is_open(line, NY, local(NY, 2026, 12, 25, 12))
    assert h.next_opening(line, NY, local(NY, 2026, 12, 25, 12)) == local(
        NY, 2026, 12, 26
    ).astimezone(UTC)


def test_always_open():
    at = utc(2026, 11, 30, 5)
    assert h.is_open(ALWAYS_OPEN, NY, at) and h.next_opening(ALWAYS_OPEN, NY, at) == at
    assert h.open_intervals(ALWAYS_OPEN, NY, at, at + dt.timedelta(days=3)) == [
        (at, at + dt.timedelta(days=3))
    ]


def test_no_opening_within_the_horizon_is_none():
    at = local(NY, 2026, 12, 1)  # Tuesday
    assert h.next_opening(EVENINGS, NY, at, horizon=dt.timedelta(days=2)) is None
    assert h.next_start(EVENINGS, NY, at, horizon=dt.timedelta(days=2)) is None


def test_instants_must_be_aware():
    with pytest.raises(ValueError, match="aware"):
        h.is_open(EVENINGS, NY, dt.datetime(2026, 11, 30, 19))


@pytest.mark.parametrize(
    ("weekly", "words"),
    [
        (None, "open 24 hours a day"),
        ({"mon": "18:00-23:00"}, "open Mon 18:00-23:00"),
        (
            {d: "18:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri")}
            | {"sat": "10:00-02:00"},
            "open Mon-Fri 18:00-00:00, Sat 10:00-02:00",
        ),
        (
            {d: "09:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "open every day 09:00-17:00",
        ),
        ({"mon": "00:00-24:00", "wed": "00:00-24:00"}, "open Mon all day, Wed all day"),
        (
            {"fri": ["12:00-14:00", "18:00-02:00"]},
            "open Fri 12:00-14:00 and 18:00-02:00",
        ),
    ],
)
def test_describe(weekly, words):
    assert describe(hours(weekly)) == words


def rota_of(*slots: tuple[int, str, str, bool]) -> r.Rota:
    """A rota of weekly slots ``(weekday, start, end, supervisor)``, one volunteer each."""
    return r.Rota(
        timezone=NY,
        slots=tuple(
            r.WeeklySlot(
                id=i,
                weekday=day,
                start=dt.time.fromisoformat(start),
                end=dt.time.fromisoformat(end),
                volunteers=(r.Assignment(i, supervisor),),
            )
            for i, (day, start, end, supervisor) in enumerate(slots, 1)
        ),
    )


@pytest.mark.parametrize(
    ("line_rota", "at", "expected"),
    [
        # Someone on shift all day Monday: the line answers when it opens.
        (rota_of((0, "00:00", "00:00", True)), local(NY, 2026, 11, 30, 12), (2026, 11, 30, 18)),
        # Open now and someone on shift now: now.
        (rota_of((0, "00:00", "00:00", True)), local(NY, 2026, 11, 30, 19), (2026, 11, 30, 19)),
        # Monday's shift starts an hour into the opening hours.
        (rota_of((0, "19:00", "22:00", True)), local(NY, 2026, 11, 30, 12), (2026, 11, 30, 19)),
        # Nobody on shift in Monday's hours; Friday lunchtime is staffed.
        (rota_of((4, "11:00", "13:00", False)), local(NY, 2026, 11, 30, 12), (2026, 12, 4, 12)),
        # A shift outside the opening hours does not open the line.
        (rota_of((1, "18:00", "23:00", False)), local(NY, 2026, 11, 30, 23), None),
    ],
)
def test_next_staffed_opening(line_rota, at, expected):
    found = h.next_staffed_opening(EVENINGS, line_rota, at)
    if expected is None:  # nobody on shift in any open hour: the next start of the hours
        assert found == h.next_start(EVENINGS, NY, at)
    else:
        assert found == local(NY, *expected).astimezone(UTC)


def test_next_staffed_opening_of_an_always_open_line_is_the_rotas():
    line_rota = rota_of((1, "18:00", "22:00", False))
    at = local(NY, 2026, 11, 30, 12)
    assert h.next_staffed_opening(ALWAYS_OPEN, line_rota, at) == r.next_opening(line_rota, at)
    assert h.next_staffed_opening(ALWAYS_OPEN, rota_of(), at) is None


def test_gaps_count_only_open_hours():
    line_rota = rota_of((0, "18:00", "21:00", True), (4, "12:00", "14:00", False))
    monday = local(NY, 2026, 11, 30)
    found = h.open_gaps(EVENINGS, line_rota, monday, monday + dt.timedelta(days=7))
    assert [(g.kind, g.start.astimezone(NY), g.end.astimezone(NY)) for g in found] == [
        ("uncovered", local(NY, 2026, 11, 30, 21), local(NY, 2026, 11, 30, 23)),
        ("no_supervisor", local(NY, 2026, 12, 4, 12), local(NY, 2026, 12, 4, 14)),
        ("uncovered", local(NY, 2026, 12, 4, 18), local(NY, 2026, 12, 5, 2)),
    ]
    assert h.open_gaps(ALWAYS_OPEN, line_rota, monday, monday + dt.timedelta(days=7)) == (
        r.gaps(line_rota, monday, monday + dt.timedelta(days=7))
    )


def test_openings_between():
    monday = local(NY, 2026, 11, 30, 18)
    assert h.openings_between(EVENINGS, NY, monday, monday + dt.timedelta(days=7)) == [
        local(NY, 2026, 11, 30, 18).astimezone(UTC),  # the start of the window counts
        local(NY, 2026, 12, 4, 12).astimezone(UTC),
        local(NY, 2026, 12, 4, 18).astimezone(UTC),
    ]
    later = monday + dt.timedelta(minutes=1)  # Monday's opening is under way, not ahead
    assert h.openings_between(EVENINGS, NY, later, later + dt.timedelta(days=1)) == []
    assert h.openings_between(ALWAYS_OPEN, NY, monday, monday + dt.timedelta(days=7)) == []
