"""The rota week and gaps read models, on SQLite and PostgreSQL, across the autumn DST change."""

from __future__ import annotations

import dataclasses
import datetime as dt

from warmline.db.models import OneOffShift, RotaOverride
from warmline.opening_hours import parse_opening_hours
from warmline.queries import rota

# Sunday 1 November 2026: New York falls back from EDT to EST at 02:00.
FALL_BACK = dt.date(2026, 11, 1)
EVENINGS = parse_opening_hours(
    {d: "18:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, None
)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def build(people, wl):
    alex = people.volunteer("Alex", on_shift=False)
    sam = people.volunteer("Sam", on_shift=False, role="supervisor")
    people.shift(alex, "sat", "22:00", "02:00")
    people.shift(sam, "sun", "18:00", "00:00", supervisor=True)
    with wl.db.unit_of_work() as session:
        made = utc(2026, 10, 1)
        # Monday 2 November 18:00-20:00 EST: Alex, supervising.
        session.add(
            OneOffShift(
                start=utc(2026, 11, 2, 23),
                end=utc(2026, 11, 3, 1),
                volunteer_id=alex.id,
                supervisor=True,
                created_at=made,
            )
        )
        # Sam is away on Sunday 20:00-21:00 EST.
        session.add(
            RotaOverride(
                kind="remove",
                volunteer_id=sam.id,
                start=utc(2026, 11, 2, 1),
                end=utc(2026, 11, 2, 2),
                created_at=made,
            )
        )
    return alex, sam, dataclasses.replace(wl.settings, opening_hours=EVENINGS)


def local(periods, tz):
    return [
        f"{p.start.astimezone(tz):%H:%M}-{p.end.astimezone(tz):%H:%M} {p.kind}" for p in periods
    ]


def test_week_across_fall_back_has_shifts_gaps_and_closed_hours(wl, people):
    alex, sam, settings = build(people, wl)
    tz = settings.line.timezone
    with wl.db.unit_of_work() as session:
        view = rota.week(session, settings, FALL_BACK)
    assert (view.timezone, view.first_date, len(view.days)) == ("America/New_York", FALL_BACK, 7)
    sunday, monday, saturday = view.days[0], view.days[1], view.days[6]
    assert [d.date for d in view.days] == [FALL_BACK + dt.timedelta(days=n) for n in range(7)]
    assert (sunday.start, sunday.end) == (utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))  # 25 hours
    assert (monday.end - monday.start) == dt.timedelta(hours=24)
    assert (view.start, view.end) == (sunday.start, saturday.end)

    # Alex's Saturday shift of the week before runs into Sunday: 22:00 EDT to 02:00 EST.
    assert [(s.name, s.supervisor, s.start, s.end) for s in sunday.shifts] == [
        ("Alex", False, utc(2026, 11, 1, 2), utc(2026, 11, 1, 7)),
        ("Sam", True, utc(2026, 11, 1, 23), utc(2026, 11, 2, 1)),
        ("Sam", True, utc(2026, 11, 2, 2), utc(2026, 11, 2, 5)),
    ]
    assert local(sunday.gaps, tz) == ["20:00-21:00 uncovered"]
    assert local(sunday.closed, tz) == ["00:00-18:00 closed"]
    assert sunday.closed[0].end - sunday.closed[0].start == dt.timedelta(hours=19)

    assert [(s.name, s.source) for s in monday.shifts] == [("Alex", "one-off:1")]
    assert local(monday.gaps, tz) == ["20:00-00:00 uncovered"]
    for day in view.days[2:6]:
        assert (day.shifts, local(day.gaps, tz)) == ((), ["18:00-00:00 uncovered"])
        assert local(day.closed, tz) == ["00:00-18:00 closed"]
    assert [(s.name, s.start) for s in saturday.shifts] == [("Alex", utc(2026, 11, 8, 3))]
    assert local(saturday.gaps, tz) == ["18:00-22:00 uncovered", "22:00-00:00 no_supervisor"]


def test_an_always_open_line_has_no_closed_hours(wl, people):
    _, _, settings = build(people, wl)
    with wl.db.unit_of_work() as session:
        view = rota.week(session, wl.settings, FALL_BACK)
    assert all(d.closed == () for d in view.days)
    tz = settings.line.timezone
    # Open all day: Sunday is uncovered from 02:00 EST (Alex leaves) to 18:00 (Sam comes).
    assert local(view.days[0].gaps, tz) == [
        "00:00-02:00 no_supervisor",
        "02:00-18:00 uncovered",
        "20:00-21:00 uncovered",
    ]


def test_gaps_over_a_range(wl, people):
    _, _, settings = build(people, wl)
    with wl.db.unit_of_work() as session:
        found = rota.gaps(session, settings, utc(2026, 11, 2, 5), utc(2026, 11, 4, 5))
    assert [(g.start, g.end, g.kind) for g in found] == [
        (utc(2026, 11, 3, 1), utc(2026, 11, 3, 5), "uncovered"),
        (utc(2026, 11, 3, 23), utc(2026, 11, 4, 5), "uncovered"),
    ]


def test_cli_week_rows_keep_wall_clock_times_across_fall_back(wl, people):
    """``warmline rota week`` rows from the read model (the former unit test of week_rows)."""
    from warmline.cli.rota import week_rows

    alex = people.volunteer("Alex", on_shift=False, role="supervisor")
    sam = people.volunteer("Sam", on_shift=False, role="supervisor")
    people.shift(alex, "sat", "22:00", "02:00")
    people.shift(sam, "sat", "22:00", "02:00", supervisor=True)
    people.shift(alex, "sun", "02:00", "06:00", supervisor=True)
    with wl.db.unit_of_work() as session:
        from_saturday = week_rows(rota.week(session, wl.settings, dt.date(2026, 10, 31)))
        from_sunday = week_rows(rota.week(session, wl.settings, FALL_BACK))
    assert from_saturday == [
        ("Sat 2026-10-31", "22:00", "02:00 +1", "Alex", "volunteer"),
        ("", "22:00", "02:00 +1", "Sam", "supervisor"),
        ("Sun 2026-11-01", "02:00", "06:00", "Alex", "supervisor"),
    ]
    # A shift running at the first midnight is listed on the first day, its start in brackets.
    assert from_sunday[:3] == [
        ("Sun 2026-11-01", "(Sat 22:00)", "02:00 +1", "Alex", "volunteer"),
        ("", "(Sat 22:00)", "02:00 +1", "Sam", "supervisor"),
        ("", "02:00", "06:00", "Alex", "supervisor"),
    ]
    assert from_sunday[3][0] == "Sat 2026-11-07"
