"""Coverage gaps and the next opening."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warmline.scheduling.rota import (
    Assignment,
    Gap,
    OneOffShift,
    Override,
    Rota,
    WeeklySlot,
    gaps,
    next_opening,
)

NY = ZoneInfo("America/New_York")
MONDAY = dt.date(2026, 1, 12)


def at(hour: int, day: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour), tzinfo=NY)


ROTA = Rota(
    NY,
    slots=(
        WeeklySlot(1, 0, dt.time(9), dt.time(13), (Assignment(1),)),
        WeeklySlot(2, 0, dt.time(11), dt.time(17), (Assignment(2, supervisor=True),)),
        WeeklySlot(3, 0, dt.time(17), dt.time(20), (Assignment(3),)),
    ),
)


def kinds(found: list[Gap]) -> list[tuple[str, int, int]]:
    return [(g.kind, g.start.astimezone(NY).hour, g.end.astimezone(NY).hour) for g in found]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            at(0),
            at(23),
            [
                ("uncovered", 0, 9),
                ("no_supervisor", 9, 11),
                ("no_supervisor", 17, 20),
                ("uncovered", 20, 23),
            ],
        ),
        (at(10), at(12), [("no_supervisor", 10, 11)]),  # clipped to the window
        (at(11), at(17), []),
        (at(18), at(19), [("no_supervisor", 18, 19)]),
        (at(21), at(22), [("uncovered", 21, 22)]),
    ],
)
def test_gaps(start, end, expected):
    assert kinds(gaps(ROTA, start, end)) == expected


def test_gaps_are_aware_utc_and_clipped_exactly():
    found = gaps(ROTA, at(8), at(10))

    assert found == [
        Gap(at(8).astimezone(dt.UTC), at(9).astimezone(dt.UTC), "uncovered"),
        Gap(at(9).astimezone(dt.UTC), at(10).astimezone(dt.UTC), "no_supervisor"),
    ]
    assert all(g.start.tzinfo is dt.UTC for g in found)


def test_empty_rota_is_one_uncovered_gap():
    assert kinds(gaps(Rota(NY), at(0), at(23))) == [("uncovered", 0, 23)]


def test_removing_the_supervisor_opens_a_gap():
    removal = Override(1, "remove", 2, at(12), at(14))
    rota = Rota(NY, slots=ROTA.slots, overrides=(removal,))

    assert kinds(gaps(rota, at(11), at(17))) == [("no_supervisor", 12, 13), ("uncovered", 13, 14)]


def test_supervisor_is_measured_on_pieces_not_on_merged_shifts():
    # Volunteer 1 answers from 9 and supervises from 12: merged, they are one supervisor shift,
    # but 9-12 has nobody supervising.
    rota = Rota(
        NY,
        one_offs=(
            OneOffShift(1, at(9), at(13), (Assignment(1),)),
            OneOffShift(2, at(12), at(15), (Assignment(1, supervisor=True),)),
        ),
    )

    assert kinds(gaps(rota, at(9), at(15))) == [("no_supervisor", 9, 12)]


@pytest.mark.parametrize(
    ("start", "horizon", "expected"),
    [
        (at(10), dt.timedelta(days=14), at(10)),  # covered: at itself
        (at(6), dt.timedelta(days=14), at(9)),
        (at(20), dt.timedelta(days=14), at(9, day=7)),
        (at(20), dt.timedelta(days=6, hours=13), None),  # next one starts right at the horizon
        (at(20), dt.timedelta(days=6, hours=13, seconds=1), at(9, day=7)),
    ],
)
def test_next_opening(start, horizon, expected):
    assert next_opening(ROTA, start, horizon) == expected


def test_next_opening_is_utc_and_none_on_an_empty_rota():
    assert next_opening(ROTA, at(10)).tzinfo is dt.UTC
    assert next_opening(Rota(NY), at(10)) is None
