"""``warmline rota week|gaps|feed-urls``, ``swap`` and ``volunteer reminders`` through click."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from warmline.db.models import Volunteer

# Far enough ahead of the real clock that the shifts have not happened yet.
MONDAY_NOON = "2030-01-07 12:00"
MONDAY_EVENING = "2030-01-07 19:00"


@pytest.fixture
def run(cli):
    def invoke(*args: str, ok: bool = True) -> str:
        return cli(*args, code=0 if ok else 2)

    return invoke


@pytest.fixture
def rota(run):
    run("volunteer", "add", "Sam Lee", "+15551230001", "--role", "supervisor")
    run("volunteer", "add", "Alex Kim", "+15551230002")
    run("volunteer", "add", "Jo Diaz", "+15551230003")
    run(
        "shift",
        "add",
        "--day",
        "mon",
        "--start",
        "18:00",
        "--end",
        "22:00",
        "--volunteer",
        "+15551230002",
        "--supervisor",
        "+15551230001",
    )
    run(
        "shift",
        "add",
        "--day",
        "fri",
        "--start",
        "22:00",
        "--end",
        "02:00",
        "--volunteer",
        "+15551230002",
    )
    return run


def test_rota_week_lists_each_days_shifts_in_local_time(rota):
    out = rota("rota", "week", "--at", MONDAY_NOON)
    lines = out.splitlines()
    assert lines[0] == "Shifts for the week from Mon 2030-01-07 (America/New_York):"
    assert lines[1].split() == ["day", "from", "until", "volunteer", "as"]
    rows = [line.split() for line in lines[3:]]
    assert rows == [
        ["Mon", "2030-01-07", "18:00", "22:00", "Alex", "Kim", "volunteer"],
        ["18:00", "22:00", "Sam", "Lee", "supervisor"],
        ["Fri", "2030-01-11", "22:00", "02:00", "+1", "Alex", "Kim", "volunteer"],
    ]


def test_rota_gaps_lists_uncovered_and_unsupervised_times(rota):
    out = rota("rota", "gaps", "--days", "1", "--at", MONDAY_NOON)
    rows = [line.split() for line in out.splitlines()[3:]]
    assert rows == [
        [
            "nobody",
            "on",
            "shift",
            "Mon",
            "2030-01-07",
            "12:00",
            "Mon",
            "2030-01-07",
            "18:00",
            "6h00",
        ],
        [
            "nobody",
            "on",
            "shift",
            "Mon",
            "2030-01-07",
            "22:00",
            "Tue",
            "2030-01-08",
            "12:00",
            "14h00",
        ],
    ]
    friday = rota("rota", "gaps", "--days", "1", "--at", "2030-01-11 21:00")
    assert "no supervisor Fri 2030-01-11 22:00 Sat 2030-01-12 02:00 4h00" in " ".join(
        friday.split()
    )


def test_swap_offer_take_list_through_the_cli(rota):
    out = rota("swap", "offer", "+15551230002", "--at", MONDAY_EVENING)
    assert out.startswith("swap 1 offered: Mon 2030-01-07 18:00 to Mon 2030-01-07 22:00")
    assert "Alex Kim" in rota("swap", "list")
    out = rota("swap", "take", "1", "+15551230003")
    assert out.startswith("swap 1 taken by Jo Diaz")
    assert rota("swap", "list") == "no swaps\n"
    assert "Jo Diaz" in rota("rota", "now", "--at", MONDAY_EVENING)
    week = rota("rota", "week", "--at", MONDAY_NOON)
    assert "Jo Diaz" in week and week.count("Alex Kim") == 1  # Friday only


def test_swap_mistakes_are_one_clear_line(rota):
    out = rota("swap", "offer", "+15551230003", "--at", MONDAY_EVENING, ok=False)
    assert out == "error: that volunteer has no shift at that time\n"
    out = rota("swap", "take", "9", "+15551230003", ok=False)
    assert out == "error: no swap 9\n"


def test_swap_reassign_by_a_coordinator(rota):
    out = rota("swap", "reassign", "2", "--at", MONDAY_EVENING, "--to", "3")
    assert out.startswith("shift reassigned to Jo Diaz (swap 1)")
    assert "taken" in rota("swap", "list", "--all")


def test_volunteer_reminders_are_set_and_checked(rota, database_url):
    assert rota("volunteer", "reminders", "2", "120,30") == (
        "Alex Kim's reminders: 120 min, 30 min before each shift\n"
    )
    assert rota("volunteer", "reminders", "+15551230003", "none") == (
        "Jo Diaz's reminders: none before each shift\n"
    )
    out = rota("volunteer", "reminders", "2", "an hour", ok=False)
    assert out.startswith("error: reminders are minutes before a shift")
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored = dict(conn.execute(select(Volunteer.id, Volunteer.reminder_minutes)).all())
    engine.dispose()
    assert stored == {1: "1440,60", 2: "120,30", 3: ""}


def test_rota_feed_urls(rota):
    out = rota("rota", "feed-urls")
    assert "whole rota https://warmline.example.org/calendar/" in " ".join(out.split())
    assert out.count("/calendar/") == 4


def test_removing_a_swaps_override_cancels_the_swap(rota):
    rota("swap", "reassign", "2", "--at", MONDAY_EVENING, "--to", "3")
    assert "swap 1" in rota("override", "list")
    assert rota("override", "remove", "1") == (
        "removed override 1; swap 1 is cancelled and the shift is back with who offered it\n"
    )
    on = rota("rota", "now", "--at", MONDAY_EVENING)
    assert "Alex Kim" in on and "Jo Diaz" not in on
    assert "cancelled" in rota("swap", "list", "--all")
    assert rota("override", "list") == "no overrides\n"


def test_a_plain_volunteer_cannot_take_a_supervisors_shift(rota):
    out = rota("swap", "reassign", "1", "--at", MONDAY_EVENING, "--to", "3", ok=False)
    assert out == (
        "error: Jo Diaz is not a supervisor (role volunteer), so cannot take a supervisor's "
        "shift; make them one first with: warmline volunteer edit 3 --role supervisor\n"
    )
    rota("volunteer", "edit", "+15551230003", "--role", "supervisor")
    assert rota("swap", "reassign", "1", "--at", MONDAY_EVENING, "--to", "3").startswith(
        "shift reassigned to Jo Diaz"
    )
    assert rota("volunteer", "edit", "3", "--role", "volunteer", ok=False) == (
        "error: Jo Diaz still supervises override 1; give those to another supervisor first\n"
    )


def test_shift_edit_changes_what_is_given_and_keeps_the_rest(run, clock):
    """`shift edit w1 --end 23:00` must not drop the shift's dates or people (it once turned a
    shift with --from/--until into "every week" and emptied it)."""
    run("volunteer", "add", "Sam Lee", "+15551230001", "--role", "supervisor")
    run("volunteer", "add", "Alex Kim", "+15551230002")
    run("volunteer", "add", "Jo Diaz", "+15551230003")
    run(
        "shift", "add", "--day", "mon", "--start", "18:00", "--end", "22:00",
        "--volunteer", "+15551230002", "--supervisor", "+15551230001",
        "--from", "2030-01-07", "--until", "2030-03-25",
    )  # fmt: skip
    before = run("shift", "list")
    assert "2030-01-07" in before and "2030-03-25" in before

    said = run("shift", "edit", "w1", "--end", "23:00")
    assert said.startswith("weekly shift w1 is now") and "23:00" in said
    after = run("shift", "list")
    w1 = next(line for line in after.splitlines() if line.startswith("w1"))
    assert "18:00" in w1 and "23:00" in w1 and "22:00" not in w1
    assert "2030-01-07" in w1 and "2030-03-25" in w1
    assert "Alex Kim" in w1 and "Sam Lee" in w1

    run("shift", "edit", "w1", "--volunteer", "+15551230003", "--until", "")
    w1 = next(line for line in run("shift", "list").splitlines() if line.startswith("w1"))
    assert "Jo Diaz" in w1 and "Alex Kim" not in w1 and "Sam Lee" in w1  # supervisors kept
    assert "2030-03-25" not in w1 and "2030-01-07" in w1

    assert "no weekly shift w9" in run("shift", "edit", "w9", "--end", "23:00", ok=False)


def test_shift_edit_changes_a_one_off_shift_in_place(run):
    """The dashboard edits one-off shifts; the CLI does too, keeping what is not given."""
    run("volunteer", "add", "Sam Lee", "+15551230001", "--role", "supervisor")
    run("volunteer", "add", "Alex Kim", "+15551230002")
    run(
        "shift", "add", "--date", "2030-01-08", "--start", "18:00", "--end", "22:00",
        "--volunteer", "+15551230002",
    )  # fmt: skip
    said = run("shift", "edit", "o1", "--end", "23:30")
    assert said.startswith("one-off shift o1 is now") and "23:30" in said
    o1 = next(line for line in run("shift", "list").splitlines() if line.startswith("o1"))
    assert "18:00" in o1 and "23:30" in o1 and "Alex Kim" in o1
    run("shift", "edit", "o1", "--supervisor", "+15551230001", "--date", "2030-01-09")
    o1 = next(line for line in run("shift", "list").splitlines() if line.startswith("o1"))
    assert "Sam Lee" in o1 and "Alex Kim" not in o1 and "01-09" in o1
    assert "--date is for one-off" in run("shift", "edit", "w1", "--date", "2030-01-09", ok=False)
    assert "not a --day" in run("shift", "edit", "o1", "--day", "mon", ok=False)
