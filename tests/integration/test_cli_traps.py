"""A CLI without traps (issue 11, SPEC §11): every mistake is one ``error:`` line with exit
status 2, nothing half-saved; what was understood is said back. The test clock is Monday
2026-11-23 18:00 in New York (the ``cli`` fixture injects it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from warmline.cli import database_problem
from warmline.db.models import Volunteer
from warmline.people import AdminError
from warmline.scheduling import editing

SAM, ALEX, JO = "+15551230001", "+15551230002", "+15551230003"
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def team(cli):
    cli("volunteer", "add", "Sam Lee", SAM, "--role", "supervisor")
    cli("volunteer", "add", "Alex Kim", ALEX)
    cli("volunteer", "add", "Jo Diaz", JO)
    return cli


def weekly(*extra: str, day: str = "mon", start: str = "18:00", end: str = "22:00"):
    return ("shift", "add", "--day", day, "--start", start, "--end", end, *extra)


def one_off(on: str, *extra: str, start: str = "18:00", end: str = "22:00"):
    return ("shift", "add", "--date", on, "--start", start, "--end", end, *extra)


def error_line(output: str) -> str:
    assert output.startswith("error: ") and output.count("\n") == 1, output
    return output


def test_a_person_cannot_be_both_volunteer_and_supervisor_of_a_shift(team):
    out = team(*weekly("--volunteer", SAM, "--supervisor", SAM), code=2)
    assert error_line(out) == (
        "error: Sam Lee is named twice: a person is on a shift once, "
        "either as --volunteer or as --supervisor\n"
    )
    error_line(team(*one_off("2026-12-24", "--volunteer", "1", "--supervisor", SAM), code=2))
    assert team("shift", "list") == "no shifts\n"


def test_only_a_supervisor_can_supervise(team):
    refusal = (
        "error: Alex Kim is not a supervisor (role volunteer), so cannot supervise a shift; "
        "make them one first with: warmline volunteer edit 2 --role supervisor\n"
    )
    assert team(*weekly("--supervisor", ALEX), code=2) == refusal
    assert team(*one_off("2026-12-24", "--supervisor", "2"), code=2) == refusal
    out = team(
        "override",
        "add",
        "add",
        "--volunteer",
        ALEX,
        "--supervisor",
        "--start",
        "2026-11-24 18:00",
        "--end",
        "2026-11-24 20:00",
        code=2,
    )
    assert "Alex Kim is not a supervisor" in error_line(out)
    assert team("shift", "list") == "no shifts\n"
    assert team("override", "list") == "no overrides\n"
    team("volunteer", "edit", ALEX, "--role", "supervisor")
    assert team(*weekly("--supervisor", ALEX)).startswith("added weekly shift w1")


def test_a_replacement_for_a_supervisor_must_be_a_supervisor(team):
    team(*weekly("--supervisor", SAM, "--volunteer", JO))
    span = ("--start", "2026-11-30 18:00", "--end", "2026-11-30 22:00")
    out = team("override", "add", "replace", "--volunteer", SAM, "--with", ALEX, *span, code=2)
    assert "Alex Kim is not a supervisor" in error_line(out) and "replace Sam Lee" in out
    # Jo's own time is not a supervisor's: anyone may replace them.
    assert team("override", "add", "replace", "--volunteer", JO, "--with", ALEX, *span) == (
        "added override 1: replace Mon 2026-11-30 18:00 → 22:00, 4 h\n"
    )


def test_a_shift_is_said_back_as_understood(team):
    assert team(*weekly("--volunteer", ALEX, day="sat", start="22:00", end="06:00")) == (
        "added weekly shift w1: Sat 22:00 → Sun 06:00 (overnight), 8 h\n"
    )
    assert team(*weekly("--volunteer", ALEX, day="sun", start="00:00", end="00:00")) == (
        "added weekly shift w2: Sun 00:00 → Mon 00:00 (whole day), 24 h\n"
    )
    assert (
        team(
            *weekly("--volunteer", JO, "--from", "2026-12-01", "--until", "2027-01-31", end="21:30")
        )
        == "added weekly shift w3: Mon 18:00 → 21:30, 3 h 30 min, 2026-12-01 to 2027-01-31\n"
    )
    assert team(*one_off("2026-12-24", "--volunteer", ALEX, "--supervisor", SAM, end="02:00")) == (
        "added one-off shifts o1, o2: Thu 2026-12-24 18:00 → Fri 2026-12-25 02:00, 8 h\n"
    )
    listing = team("shift", "list")
    assert "w1" in listing and "o2" in listing and "Sam Lee (sup)" in listing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (weekly("--volunteer", "2", start="18:00", end="18:00"), "starts and ends at 18:00"),
        (one_off("2026-12-24", "--volunteer", "2", start="09:00", end="9:00"), "ends at 09:00"),
        (one_off("2026-11-20", "--volunteer", "2"), "would already be over"),
        (
            one_off("2026-11-23", "--volunteer", "2", start="09:00", end="17:00"),
            "(Mon 2026-11-23 09:00 → 17:00, 8 h) would already be over",
        ),
        (weekly("--volunteer", "2", "--until", "2026-11-01"), "2026-11-01 has passed"),
        (weekly("--volunteer", "2", "--from", "2026-12-01", "--until", "2026-12-06"), "no mon"),
        (weekly("--volunteer", "2", "--from", "2027-01-09", "--until", "2027-01-02"), "before"),
        (one_off("2026-12-24", "--volunteer", "2", "--until", "2026-12-31"), "weekly shifts"),
        (weekly("--volunteer", "555-0666"), "not a whole phone number"),
        (("shift", "remove", "x1"), "a shift id looks like w3 (weekly) or o3 (one-off)"),
        (("shift", "remove", "o7"), "no one-off shift o7"),
        (
            (
                "override",
                "add",
                "remove",
                "--volunteer",
                "2",
                "--start",
                "2026-11-20 18:00",
                "--end",
                "2026-11-20 22:00",
            ),
            "is already over",
        ),
        (
            (
                "override",
                "add",
                "remove",
                "--volunteer",
                "2",
                "--start",
                "2026-11-25 18:00",
                "--end",
                "2026-11-25 18:00",
            ),
            "the end must be after the start",
        ),
        (
            (
                "override",
                "add",
                "replace",
                "--volunteer",
                "2",
                "--with",
                ALEX,
                "--start",
                "2026-11-25 18:00",
                "--end",
                "2026-11-25 20:00",
            ),
            "cannot replace themselves",
        ),
        (("override", "remove", "5"), "no override 5"),
        (("swap", "take", "abc", "2"), "'abc' is not a valid integer"),
        (("shift", "add", "--day", "mon", "--end", "22:00"), "Missing option '--start'"),
    ],
)
def test_mistakes_are_one_line_and_save_nothing(team, args, message):
    out = error_line(team(*args, code=2))
    assert message in out
    assert team("shift", "list") == "no shifts\n" and team("override", "list") == "no overrides\n"


def test_identical_shifts_are_refused_as_duplicates(team):
    team(*weekly("--volunteer", ALEX, "--supervisor", SAM))
    assert team(*weekly("--volunteer", JO, "--volunteer", ALEX), code=2) == (
        "error: Alex Kim is already on that weekly shift (w1)\n"
    )
    team(*weekly("--volunteer", JO))  # someone else at the same time is another shift
    team(*weekly("--volunteer", ALEX, "--until", "2027-06-30"))  # other dates: another shift
    team(*one_off("2026-12-24", "--volunteer", ALEX))
    assert team(*one_off("2026-12-24", "--volunteer", ALEX), code=2) == (
        "error: Alex Kim already has that one-off shift (o1)\n"
    )
    assert [line.split()[0] for line in team("shift", "list").splitlines()[2:]] == [
        "w1",
        "w2",
        "w3",
        "o1",
    ]


def test_volunteer_edit_and_activate(team):
    assert team("volunteer", "deactivate", ALEX).startswith("deactivated Alex Kim")
    assert (
        team(
            "volunteer",
            "edit",
            "2",
            "--name",
            "Alex King",
            "--phone",
            "(555) 123-0009",
            "--capacity",
            "3",
            "--languages",
            "en, ES",
        )
        == "volunteer 2 is now Alex King (volunteer, capacity 3, languages en,es, inactive)\n"
    )
    assert team("volunteer", "activate", "5551230009") == (
        "activated Alex King (volunteer, capacity 3, languages en,es)\n"
    )
    row = team("volunteer", "list").splitlines()[2].split()
    assert row == ["2", "Alex", "King", "+15551230009", "volunteer", "yes", "no", "3", "en,es"]
    assert team("volunteer", "activate", "2", code=2) == "error: Alex King is already active\n"
    assert team("volunteer", "edit", "2", "--phone", SAM, code=2) == (
        "error: Sam Lee (volunteer 1) already has that number\n"
    )
    assert "nothing to change" in error_line(team("volunteer", "edit", "2", code=2))
    assert team("volunteer", "edit", "9", "--name", "X", code=2) == "error: no volunteer 9\n"
    assert "name must not be empty" in team("volunteer", "edit", "2", "--name", " ", code=2)
    assert "capacity" in team("volunteer", "edit", "2", "--capacity", "0", code=2)


def test_a_supervisor_on_shifts_is_not_demoted_until_those_are_moved(team):
    team(*weekly("--supervisor", SAM, "--volunteer", ALEX))
    team(*one_off("2026-12-24", "--supervisor", SAM))
    team(*one_off("2026-11-20", "--supervisor", SAM), code=2)  # past: never saved
    assert team("volunteer", "edit", SAM, "--role", "volunteer", code=2) == (
        "error: Sam Lee still supervises w1, o1; give those to another supervisor first\n"
    )
    team("shift", "remove", "w1")
    team("shift", "remove", "o1")
    assert team("volunteer", "edit", SAM, "--role", "volunteer") == (
        "volunteer 1 is now Sam Lee (volunteer, capacity 2)\n"
    )


def test_override_list_and_remove(team):
    team(*weekly("--volunteer", ALEX))
    team(
        "override",
        "add",
        "replace",
        "--volunteer",
        ALEX,
        "--with",
        JO,
        "--start",
        "2026-11-30 18:00",
        "--end",
        "2026-11-30 22:00",
        "--reason",
        "holiday",
    )
    team(
        "override",
        "add",
        "add",
        "--volunteer",
        SAM,
        "--supervisor",
        "--start",
        "2026-11-30 18:00",
        "--end",
        "2026-11-30 20:00",
    )
    rows = [line.split() for line in team("override", "list").splitlines()[2:]]
    assert rows == [
        [
            "1",
            "replace",
            "Alex",
            "Kim",
            "Jo",
            "Diaz",
            "Mon",
            "2026-11-30",
            "18:00",
            "Mon",
            "2026-11-30",
            "22:00",
            "holiday",
        ],
        [
            "2",
            "add",
            "(sup)",
            "Sam",
            "Lee",
            "-",
            "Mon",
            "2026-11-30",
            "18:00",
            "Mon",
            "2026-11-30",
            "20:00",
            "-",
        ],
    ]
    during = team("rota", "now", "--at", "2026-11-30 19:00")
    assert "Jo Diaz" in during and "Alex Kim" not in during
    assert team("override", "remove", "1") == "removed override 1\n"
    during = team("rota", "now", "--at", "2026-11-30 19:00")
    assert "Alex Kim" in during and "Jo Diaz" not in during
    assert [line.split()[0] for line in team("override", "list").splitlines()[2:]] == ["2"]


def test_numbers_in_the_lines_national_format(team):
    assert team("volunteer", "add", "Kim", "5551230009").startswith("added volunteer 4: Kim")
    assert "+15551230009" in team("volunteer", "list")
    assert team(*weekly("--volunteer", "555-123-0009")).startswith("added weekly shift w1")
    assert team("volunteer", "add", "Lee", "555-0666", code=2) == (
        "error: '555-0666' is not a whole phone number (area code missing?)\n"
    )


def test_an_empty_database_is_one_line_not_a_traceback(team, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    for args in (("volunteer", "list"), ("shift", "list"), weekly("--volunteer", "1")):
        assert team(*args, code=2) == (
            "error: the database has no tables yet: run `warmline db upgrade` first\n"
        )


def test_a_database_refusal_is_one_line_without_the_number(database_url):
    """The safety net behind validation: a real unique violation from each database."""
    engine = create_engine(database_url)
    row = {
        "name": "Sam",
        "phone": SAM,
        "role": "volunteer",
        "active": True,
        "paused": False,
        "capacity": 2,
        "languages": "",
        "reminder_minutes": "",
        "created_at": dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
    }
    with Session(engine) as session:
        session.execute(insert(Volunteer), [row | {"calendar_token": "a"}])
        with pytest.raises(IntegrityError) as caught:
            session.execute(insert(Volunteer), [row | {"calendar_token": "b"}])
    engine.dispose()
    said = database_problem(caught.value)
    assert said.startswith("the database refused that change, nothing was saved (")
    assert "\n" not in said and "5551230001" not in said and "phone" in said


def test_block_checks_the_number_and_lists_its_last_four_digits(cli, clock):
    assert cli("block", "add", "555-0666", code=2) == (
        "error: '555-0666' is not a whole phone number (area code missing?)\n"
    )
    before = clock().astimezone(NEW_YORK).date()  # the command reads the test's clock
    first = cli("block", "add", "5551230009")  # national format, the line's country
    cli("block", "add", "+12025550131")
    alias = first.removeprefix("blocked (").removesuffix(")\n")
    assert first == f"blocked ({alias})\n" and "0009" not in first
    assert cli("block", "add", "+1 555 123 0009") == f"already blocked ({alias})\n"
    listing = cli("block", "list")
    assert "5551230009" not in listing and "2025550131" not in listing
    lines = listing.splitlines()
    assert lines[0].split() == ["number", "alias", "blocked", "on"]
    rows = [line.split() for line in lines[2:]]
    assert [r[0] for r in rows] == ["…0009", "…0131"]  # longest blocked first
    assert " ".join(rows[0][1:-1]) == alias
    assert {r[-1] for r in rows} == {str(before)}
    assert cli("block", "remove", "(555) 123-0009") == "unblocked\n"
    assert [line.split()[0] for line in cli("block", "list").splitlines()[2:]] == ["…0131"]
    assert "not a whole phone number" in error_line(cli("block", "remove", "555-0666", code=2))


def test_the_rota_services_enforce_the_roles_not_only_the_cli(wl, people, clock):
    """The dashboard and the API will call these services directly."""
    alex = people.volunteer("Alex", on_shift=False)
    tz = wl.settings.line.timezone
    for add in (
        lambda s: editing.add_weekly_slot(
            s,
            day_name="tue",
            start="18:00",
            end="22:00",
            volunteers=[],
            supervisors=[alex.phone],
            now=clock.now,
        ),
        lambda s: editing.add_one_off(
            s,
            tz,
            on="2026-11-24",
            start="18:00",
            end="22:00",
            volunteers=[],
            supervisors=[alex.phone],
            now=clock.now,
        ),
        lambda s: editing.add_override(
            s,
            tz,
            kind="add",
            volunteer=alex.phone,
            start="2026-11-24 18:00",
            end="2026-11-24 22:00",
            now=clock.now,
            supervisor=True,
        ),
    ):
        with wl.db.unit_of_work() as session, pytest.raises(AdminError, match="not a supervisor"):
            add(session)


def test_help_is_still_help(cli):
    out = cli("shift", "remove", "--help")
    assert out.startswith("Usage: ") and "shift remove [OPTIONS] ID" in out and "w3" in out
