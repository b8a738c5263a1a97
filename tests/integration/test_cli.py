"""The coordinator's CLI (SPEC §11), against each database."""

from __future__ import annotations

import pytest


def test_volunteers_add_list_deactivate(cli):
    assert "added volunteer 1: Sam Lee (supervisor" in cli(
        "volunteer", "add", "Sam Lee", "+15551230001", "--role", "supervisor"
    )
    cli(
        "volunteer",
        "add",
        "Alex Kim",
        "+1 (555) 123-0002",
        "--capacity",
        "3",
        "--languages",
        "en,es",
    )
    listing = cli("volunteer", "list")
    assert "Sam Lee" in listing and "supervisor" in listing and "+15551230002" in listing
    assert "en,es" in listing
    assert "deactivated Alex Kim" in cli("volunteer", "deactivate", "+15551230002")
    assert "no" in cli("volunteer", "list").splitlines()[-2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("volunteer", "add", "Sam", "12"), "not a possible phone number"),
        (("volunteer", "add", "Kim", "+15551230009", "--capacity", "0"), "capacity"),
        (("volunteer", "deactivate", "+15559999999"), "no volunteer"),
        (
            (
                "shift",
                "add",
                "--day",
                "funday",
                "--start",
                "18:00",
                "--end",
                "22:00",
                "--volunteer",
                "+15551230001",
            ),
            "day must be one of",
        ),
        (
            (
                "shift",
                "add",
                "--day",
                "mon",
                "--start",
                "6pm",
                "--end",
                "22:00",
                "--volunteer",
                "+15551230001",
            ),
            "time must look like",
        ),
        (("shift", "add", "--day", "mon", "--start", "18:00", "--end", "22:00"), "at least one"),
        (("shift", "remove", "99"), "no shift 99"),
    ],
)
def test_mistakes_get_one_clear_line(cli, args, message):
    cli("volunteer", "add", "Sam", "+15551230001")
    output = cli(*args, code=2)
    assert message in output and output.startswith("error:")


def test_shifts_and_rota_now(cli):
    cli("volunteer", "add", "Sam Lee", "+15551230001", "--role", "supervisor")
    cli("volunteer", "add", "Alex Kim", "+15551230002")
    out = cli(
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
    assert out == "added weekly shift w1: Mon 18:00 → 22:00, 4 h\n"
    cli("shift", "add", "--day", "sat", "--start", "22:00", "--end", "06:00", "--volunteer", "2")
    cli(
        "shift",
        "add",
        "--date",
        "2026-12-24",
        "--start",
        "18:00",
        "--end",
        "23:00",
        "--volunteer",
        "+15551230001",
    )
    listing = cli("shift", "list")
    assert "Alex Kim, Sam Lee (sup)" in listing and "22:00  06:00" in listing
    now = cli("rota", "now", "--at", "2026-11-23 19:30")
    assert "Sam Lee" in now and "Alex Kim" in now and "supervisor" in now
    overnight = cli("rota", "now", "--at", "2026-11-29 02:00")  # Sunday morning, Saturday's shift
    assert "Alex Kim" in overnight and "Sam Lee" not in overnight
    assert "nobody" in cli("rota", "now", "--at", "2026-11-24 12:00")
    assert cli("shift", "remove", "1", code=2) == (
        "error: shift 1 is ambiguous: say w1 (weekly, Mon 18:00 → 22:00, 4 h) "
        "or o1 (one-off, Thu 2026-12-24 18:00 → 23:00, 5 h)\n"
    )
    assert cli("shift", "remove", "w1") == "removed weekly shift w1: Mon 18:00 → 22:00, 4 h\n"
    assert "nobody" in cli("rota", "now", "--at", "2026-11-23 19:30")
    assert "Sam Lee" in cli("rota", "now", "--at", "2026-12-24 19:00")
    assert cli("shift", "remove", "1") == (  # unambiguous now: only the one-off is left
        "removed one-off shift o1: Thu 2026-12-24 18:00 → 23:00, 5 h\n"
    )
    assert "nobody" in cli("rota", "now", "--at", "2026-12-24 19:00")
    assert "w2" in cli("shift", "list") and "o1" not in cli("shift", "list")


def test_override_replaces_a_volunteer_for_a_period(cli):
    cli("volunteer", "add", "Sam Lee", "+15551230001")
    cli("volunteer", "add", "Alex Kim", "+15551230002")
    cli(
        "shift",
        "add",
        "--day",
        "mon",
        "--start",
        "18:00",
        "--end",
        "22:00",
        "--volunteer",
        "+15551230001",
    )
    out = cli(
        "override",
        "add",
        "replace",
        "--volunteer",
        "+15551230001",
        "--with",
        "+15551230002",
        "--start",
        "2026-11-23 19:00",
        "--end",
        "2026-11-23 21:00",
    )
    assert "added override 1: replace" in out
    assert "Sam Lee" in cli("rota", "now", "--at", "2026-11-23 18:30")
    during = cli("rota", "now", "--at", "2026-11-23 19:30")
    assert "Alex Kim" in during and "Sam Lee" not in during
    assert "Sam Lee" in cli("rota", "now", "--at", "2026-11-30 19:30")  # the next week as usual
    assert "--with is required" in cli(
        "override",
        "add",
        "replace",
        "--volunteer",
        "1",
        "--start",
        "2026-11-23 19:00",
        "--end",
        "2026-11-23 21:00",
        code=2,
    )


def test_db_upgrade_creates_a_new_database_and_is_idempotent(cli, tmp_path, monkeypatch):
    assert "up to date" in cli("db", "upgrade")  # the already migrated test database
    path = tmp_path / "new" / "warmline.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    assert "up to date" in cli("db", "upgrade")
    assert path.exists()
    cli("volunteer", "add", "Sam Lee", "+15551230001")
    assert "Sam Lee" in cli("volunteer", "list")
