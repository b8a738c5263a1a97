"""Overrides: add, remove and replace, partial overlaps, and their order."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warmline.scheduling.rota import (
    Assignment,
    Override,
    Rota,
    RotaIndex,
    WeeklySlot,
    on_shift,
    shifts_between,
)

NY = ZoneInfo("America/New_York")
MONDAY = dt.date(2026, 1, 12)
# Monday 09:00-17:00: volunteer 1 supervises, volunteer 2 answers texts.
DAY_SLOT = WeeklySlot(1, 0, dt.time(9), dt.time(17), (Assignment(1, True), Assignment(2)))


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY, dt.time(hour, minute), tzinfo=NY)


def add(id, who, start, end, supervisor=False):
    return Override(id, "add", who, at(*start), at(*end), supervisor=supervisor)


def remove(id, who, start, end):
    return Override(id, "remove", who, at(*start), at(*end))


def replace(id, who, by, start, end):
    return Override(id, "replace", who, at(*start), at(*end), replacement_id=by)


def summary(*overrides: Override) -> list[tuple]:
    """(volunteer, local start, local end, supervisor, source) for the Monday."""
    rota = Rota(NY, slots=(DAY_SLOT,), overrides=overrides)
    return [
        (
            s.volunteer_id,
            s.start.astimezone(NY).strftime("%H:%M"),
            s.end.astimezone(NY).strftime("%H:%M"),
            s.supervisor,
            s.source,
        )
        for s in shifts_between(rota, at(0), at(23))
    ]


SUP = (1, "09:00", "17:00", True, "slot:1")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ((), [SUP, (2, "09:00", "17:00", False, "slot:1")]),
        # remove: middle, overlapping the start, overlapping the end, all of it, someone absent
        (
            (remove(1, 2, (12,), (13,)),),
            [SUP, (2, "09:00", "12:00", False, "slot:1"), (2, "13:00", "17:00", False, "slot:1")],
        ),
        ((remove(1, 2, (8,), (10,)),), [SUP, (2, "10:00", "17:00", False, "slot:1")]),
        ((remove(1, 2, (16,), (18,)),), [SUP, (2, "09:00", "16:00", False, "slot:1")]),
        ((remove(1, 2, (8,), (18,)),), [SUP]),
        ((remove(1, 9, (8,), (18,)),), [SUP, (2, "09:00", "17:00", False, "slot:1")]),
        # replace: the replacement inherits the flag and only the time actually cut
        (
            (replace(1, 1, 3, (16,), (18,)),),
            [
                (1, "09:00", "16:00", True, "slot:1"),
                (2, "09:00", "17:00", False, "slot:1"),
                (3, "16:00", "17:00", True, "override:1"),
            ],
        ),
        (
            (replace(1, 2, 3, (10,), (11, 30)),),
            [
                SUP,
                (2, "09:00", "10:00", False, "slot:1"),
                (3, "10:00", "11:30", False, "override:1"),
                (2, "11:30", "17:00", False, "slot:1"),
            ],
        ),
        ((replace(1, 9, 3, (10,), (11,)),), [SUP, (2, "09:00", "17:00", False, "slot:1")]),
        # replace chain, applied in id order
        (
            (replace(2, 3, 4, (12,), (18,)), replace(1, 2, 3, (10,), (14,))),
            [
                SUP,
                (2, "09:00", "10:00", False, "slot:1"),
                (3, "10:00", "12:00", False, "override:1"),
                (4, "12:00", "14:00", False, "override:2"),
                (2, "14:00", "17:00", False, "slot:1"),
            ],
        ),
        # add: a new shift, and merging into an overlapping one
        (
            (add(1, 5, (17,), (19,), supervisor=True),),
            [
                SUP,
                (2, "09:00", "17:00", False, "slot:1"),
                (5, "17:00", "19:00", True, "override:1"),
            ],
        ),
        (
            (add(1, 2, (16,), (18,), supervisor=True),),
            [SUP, (2, "09:00", "18:00", True, "slot:1+override:1")],
        ),
        # later override wins: remove after add cancels it, add after remove restores
        (
            (add(1, 5, (17,), (19,)), remove(2, 5, (18,), (20,))),
            [
                SUP,
                (2, "09:00", "17:00", False, "slot:1"),
                (5, "17:00", "18:00", False, "override:1"),
            ],
        ),
        (
            (remove(1, 2, (9,), (17,)), add(2, 2, (12,), (13,))),
            [SUP, (2, "12:00", "13:00", False, "override:2")],
        ),
        (
            (add(2, 2, (12,), (13,)), remove(1, 2, (9,), (17,))),
            [SUP, (2, "12:00", "13:00", False, "override:2")],
        ),
        ((add(1, 2, (12,), (13,)), remove(2, 2, (9,), (17,))), [SUP]),
    ],
)
def test_overrides(overrides, expected):
    assert summary(*overrides) == expected


@pytest.mark.parametrize("hour", [8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19])
def test_index_agrees_with_overrides_applied(hour):
    rota = Rota(
        NY,
        slots=(DAY_SLOT,),
        overrides=(
            replace(1, 1, 3, (16,), (18,)),
            remove(2, 2, (12,), (13,)),
            add(3, 4, (8,), (10,), supervisor=True),
            replace(4, 4, 5, (9, 30), (12,)),
        ),
    )
    instant = at(hour, 45)

    assert RotaIndex(rota).on_shift(instant) == on_shift(rota, instant)


def test_override_cuts_the_shift_reported_by_on_shift():
    rota = Rota(NY, slots=(DAY_SLOT,), overrides=(remove(1, 2, (12,), (13,)),))

    found = {s.volunteer_id: s for s in on_shift(rota, at(10))}

    assert found[2].end == at(12)
    assert found[1].end == at(17)
