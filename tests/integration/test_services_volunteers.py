"""Volunteer services (SPEC §11): each change is made by the domain rules and audited in the same
unit of work; the CSV import previews without writing and reports errors per row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from warmline.audit import Actor
from warmline.db.models import AuditEntry, Volunteer
from warmline.people import AdminError
from warmline.services import volunteer_csv, volunteers

COORDINATOR = Actor("user", "coord@example.org", "coordinator")


def _audit(wl) -> list[tuple[str, str | None, str]]:
    with wl.db.unit_of_work() as session:
        return [
            (e.action, e.target, e.detail)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_add_edit_deactivate_activate_are_audited_without_numbers(wl, clock):
    with wl.db.unit_of_work() as session:
        sam = volunteers.add(
            session, COORDINATOR, wl.settings, clock.now, name="Sam Lee", number="+15555550101"
        )
        vid = sam.id
    with wl.db.unit_of_work() as session:
        volunteers.edit(
            session,
            COORDINATOR,
            wl.settings,
            clock.now,
            str(vid),
            number="+15555550102",
            capacity=3,
            role="supervisor",
        )
        volunteers.deactivate(session, COORDINATOR, wl.settings, clock.now, str(vid))
        volunteers.activate(session, COORDINATOR, wl.settings, clock.now, str(vid))
    entries = _audit(wl)
    assert [a for a, _, _ in entries] == [
        "volunteer.add",
        "volunteer.edit",
        "volunteer.deactivate",
        "volunteer.activate",
    ]
    assert {t for _, t, _ in entries} == {f"volunteer:{vid}"}
    assert entries[1][2] == "phone changed; role volunteer → supervisor; capacity 2 → 3"
    assert not any("555" in d for _, _, d in entries)
    with wl.db.unit_of_work() as session:
        actor = session.scalars(select(AuditEntry.actor_name)).first()
    assert actor == "coord@example.org"


def test_a_refused_change_records_nothing(wl, clock):
    with pytest.raises(AdminError, match="already has that number"):
        with wl.db.unit_of_work() as session:
            volunteers.add(
                session, COORDINATOR, wl.settings, clock.now, name="A", number="+15555550101"
            )
            volunteers.add(
                session, COORDINATOR, wl.settings, clock.now, name="B", number="+15555550101"
            )
    assert _audit(wl) == []
    with pytest.raises(AdminError, match="nothing to change"):
        with wl.db.unit_of_work() as session:
            volunteers.edit(session, COORDINATOR, wl.settings, clock.now, "1")


GOOD_AND_BAD = (
    "Name,Phone,Role,Capacity,Languages\r\n"
    "Robin Park,+15555550111,volunteer,2,en\r\n"
    "Casey Moss,not a number,volunteer,2,en\r\n"
    'Dana Wu,(555) 555-0113,supervisor,,"en,es"\r\n'
    "Eli Fox,+15555550111,volunteer,1,\r\n"
    "Fran Ng,+15555550115,chief,2,\r\n"
)


def test_preview_reports_each_bad_row_and_writes_nothing(wl, people, clock):
    with wl.db.unit_of_work() as session:
        preview = volunteer_csv.preview(session, wl.settings, GOOD_AND_BAD, clock.now)
        assert [(r.line, r.error is None) for r in preview.rows] == [
            (2, True),
            (3, False),
            (4, True),
            (5, False),
            (6, False),
        ]
        errors = {r.line: r.error for r in preview.bad}
        assert "not a phone number" in errors[3]
        assert errors[5] == "the same phone number as line 2"
        assert "role must be one of" in errors[6]
    with wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Volunteer)) == 0
    assert _audit(wl) == []


def test_preview_sees_numbers_already_in_the_database(wl, people, clock):
    people.volunteer("Robin Old", phone="+15555550111", on_shift=False)
    with wl.db.unit_of_work() as session:
        preview = volunteer_csv.preview(session, wl.settings, GOOD_AND_BAD, clock.now)
    assert "Robin Old (volunteer 1) already has that number" in (preview.rows[0].error or "")


def test_commit_refuses_a_file_with_bad_rows_unless_told_to_skip_them(wl, clock):
    with pytest.raises(AdminError, match="nothing imported: line 3: .*; line 5: the same"):
        with wl.db.unit_of_work() as session:
            volunteer_csv.commit(session, COORDINATOR, wl.settings, GOOD_AND_BAD, clock.now)
    with wl.db.unit_of_work() as session:
        added, preview = volunteer_csv.commit(
            session, COORDINATOR, wl.settings, GOOD_AND_BAD, clock.now, skip_bad=True
        )
        assert [(v.name, v.phone, v.role, v.capacity, v.languages) for v in added] == [
            ("Robin Park", "+15555550111", "volunteer", 2, "en"),
            ("Dana Wu", "+15555550113", "supervisor", 2, "en,es"),
        ]
        assert len(preview.bad) == 3
    actions = [a for a, _, _ in _audit(wl)]
    assert actions == ["volunteer.add", "volunteer.add", "volunteer.import"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("name,phone,capacty\r\n", "unknown column"),
        ("name,role\r\nSam,volunteer\r\n", "no phone column"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(wl, clock, text, message):
    with wl.db.unit_of_work() as session, pytest.raises(AdminError, match=message):
        volunteer_csv.preview(session, wl.settings, text, clock.now)


def test_export_imports_into_another_line(wl, people, clock):
    people.volunteer("Sam Lee", phone="+15555550121", role="supervisor", on_shift=False)
    people.volunteer("Jo, the second", phone="+15555550122", languages="en,es", on_shift=False)
    with wl.db.unit_of_work() as session:
        volunteers.deactivate(session, COORDINATOR, wl.settings, clock.now, "2")
        text = volunteer_csv.export(session, COORDINATOR, clock.now)
    assert text.splitlines()[0] == "name,phone,role,capacity,languages,active"
    assert '"Jo, the second",+15555550122,volunteer,2,"en,es",no' in text.splitlines()
    with wl.db.unit_of_work() as session:
        for v in session.scalars(select(Volunteer)):
            v.phone = v.phone.replace("55501", "55502")  # the other line has other people
    with wl.db.unit_of_work() as session:
        added, _ = volunteer_csv.commit(session, COORDINATOR, wl.settings, text, clock.now)
        assert [(v.name, v.active) for v in added] == [("Jo, the second", False), ("Sam Lee", True)]
    assert "volunteer.export" in [a for a, _, _ in _audit(wl)]


def test_cli_changes_are_audited_as_the_cli(cli, wl, tmp_path):
    cli("volunteer", "add", "Sam Lee", "+15555550131", "--role", "supervisor")
    cli("shift", "add", "--day", "mon", "--start", "18:00", "--end", "22:00", "--supervisor", "1")
    out = cli(
        "shift",
        "edit",
        "w1",
        "--day",
        "tue",
        "--start",
        "18:00",
        "--end",
        "23:00",
        "--supervisor",
        "1",
    )
    assert out == "weekly shift w1 is now Tue 18:00 → 23:00, 5 h\n"
    file = tmp_path / "people.csv"
    file.write_text("name,phone\nRobin Park,+15555550132\nCasey Moss,555\n", encoding="utf-8")
    out = cli("volunteer", "import", str(file), code=2)
    assert "nothing imported: line 3:" in out
    assert cli("volunteer", "import", str(file), "--dry-run") == (
        "line 3: '555' is not a possible phone number\n"
        "1 row(s) would be added, 1 bad\n"
    )
    out = cli("volunteer", "import", str(file), "--skip-bad")
    assert out.endswith("added 1 volunteer(s): Robin Park\n")
    assert cli("volunteer", "export").splitlines()[1:] == [
        "Robin Park,+15555550132,volunteer,2,,yes",
        "Sam Lee,+15555550131,supervisor,2,,yes",
    ]
    with wl.db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert {(e.actor_kind, e.actor_role) for e in entries} == {("cli", "coordinator")}
        assert [e.action for e in entries] == [
            "volunteer.add",
            "shift.add",
            "shift.edit",
            "volunteer.add",
            "volunteer.import",
            "volunteer.export",
        ]
