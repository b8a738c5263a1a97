"""iCalendar feeds, parsed back with icalendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from warmline.scheduling.calendar import rota_feed, volunteer_feed
from warmline.scheduling.rota import Assignment, OneOffShift, Rota, WeeklySlot

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
SAT, SUN = 5, 6
ROTA = Rota(
    NY,
    slots=(
        WeeklySlot(1, SAT, dt.time(22), dt.time(2), (Assignment(7), Assignment(8, True))),
        WeeklySlot(2, SUN, dt.time(2), dt.time(6), (Assignment(7, True),)),
    ),
)
# the weekend of the 2026-11-01 fall-back
START = dt.datetime(2026, 10, 31, 12, tzinfo=NY)
END = dt.datetime(2026, 11, 1, 12, tzinfo=NY)
STAMP = dt.datetime(2026, 10, 30, 9, tzinfo=UTC)


def parse(feed: bytes) -> tuple[Calendar, list]:
    cal = Calendar.from_ical(feed)
    return cal, list(cal.walk("VEVENT"))


def test_volunteer_feed_lists_their_shifts_across_the_change():
    feed = volunteer_feed(
        ROTA,
        7,
        line_name="Riverside Warmline",
        volunteer_name="Alex",
        start=START,
        end=END,
        dtstamp=STAMP,
    )
    cal, events = parse(feed)

    assert str(cal["VERSION"]) == "2.0"
    assert "warmline" in str(cal["PRODID"])
    assert [str(e["SUMMARY"]) for e in events] == [
        "Riverside Warmline shift",
        "Riverside Warmline shift (supervisor)",
    ]
    first, second = events
    assert first.DTSTART == dt.datetime(2026, 10, 31, 22, tzinfo=NY)
    assert first.DTEND == dt.datetime(2026, 11, 1, 2, tzinfo=NY)
    # the repeated hour counts (same-tzinfo subtraction would ignore it, so compare in UTC)
    assert first.DTEND.astimezone(UTC) - first.DTSTART.astimezone(UTC) == dt.timedelta(hours=5)
    assert second.DTSTART == first.DTEND
    assert second.DTEND.astimezone(UTC) == dt.datetime(2026, 11, 1, 11, tzinfo=UTC)
    assert first["DTSTART"].params["TZID"] == "America/New_York"
    assert first.DTSTAMP == STAMP
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "America/New_York"
    assert b"TZOFFSETTO:-0500" in feed and b"TZOFFSETTO:-0400" in feed


def test_rota_feed_names_each_volunteer():
    _, events = parse(
        rota_feed(ROTA, line_name="Riverside Warmline", names={7: "Alex"}, start=START, end=END)
    )

    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Riverside Warmline: Alex",
        "Riverside Warmline: Alex (supervisor)",
        "Riverside Warmline: volunteer 8 (supervisor)",
    ]
    assert all(e.DTSTAMP == START.astimezone(UTC) for e in events)  # no clock read


def test_uids_are_stable_and_unique_and_feeds_deterministic():
    def make() -> bytes:
        return rota_feed(ROTA, line_name="Riverside", names={}, start=START, end=END)

    _, events = parse(make())
    wider = rota_feed(
        ROTA,
        line_name="Riverside",
        names={},
        start=START - dt.timedelta(days=7),
        end=END,
        dtstamp=STAMP,
    )
    _, wider_events = parse(wider)

    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids) == 3
    assert set(uids) <= {str(e["UID"]) for e in wider_events}
    assert make() == make()


def test_second_pass_of_a_repeated_hour_is_written_in_utc():
    second_130 = dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, after 01:30 EDT
    rota = Rota(
        NY,
        one_offs=(
            OneOffShift(3, second_130, second_130 + dt.timedelta(hours=2), (Assignment(9),)),
        ),
    )

    feed = volunteer_feed(rota, 9, line_name="L", volunteer_name="Sam", start=START, end=END)
    (event,) = parse(feed)[1]

    assert b"DTSTART:20261101T063000Z" in feed
    assert event.DTSTART == second_130
    assert event.DTEND == dt.datetime(2026, 11, 1, 3, 30, tzinfo=NY)


def test_empty_feed_is_still_a_calendar():
    cal, events = parse(
        volunteer_feed(ROTA, 99, line_name="L", volunteer_name="N", start=START, end=END)
    )

    assert events == []
    assert str(cal["VERSION"]) == "2.0"


def test_naive_dtstamp_is_refused():
    with pytest.raises(ValueError):
        rota_feed(
            ROTA, line_name="L", names={}, start=START, end=END, dtstamp=dt.datetime(2026, 1, 1)
        )
