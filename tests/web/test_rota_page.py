"""``/rota``: the week grid for everyone who may see it, the forms for coordinators only."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from tests.web.dashboard_helpers import sign_in
from warmline.db.models import AuditEntry, OneOffShift, RotaOverride, WeeklySlot


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_week_shows_shifts_gaps_and_names_in_the_lines_time(wl, client, people):
    sam = people.volunteer("Sam Lee", on_shift=False, role="supervisor")
    people.shift(sam, "mon", "18:00", "22:00", supervisor=True)
    alex = people.volunteer("Alex Kim", on_shift=False)
    people.shift(alex, "tue", "09:00", "12:00")
    dash = sign_in(wl, client, "viewer")
    page = dash.get("/rota?week=2026-11-25").get_data(as_text=True)  # a Wednesday: its Monday
    assert "Week of Monday 23 November 2026" in page and "America/New_York" in page
    text = _text(page)
    assert "18:00 " in text and "★Sam Lee" in text.replace("★ ", "★")
    # Tuesday 09:00 has Alex but no supervisor; Wednesday 03:00 nobody at all.
    assert 'class="cell no_supervisor"' in page and 'class="cell uncovered"' in page
    assert "! no supervisor" in text and "× gap" in text
    assert "/rota?week=2026-11-16" in page and "/rota?week=2026-11-30" in page
    # A viewer sees the rota, not the forms.
    assert "Add a weekly shift" not in page and "Edit" not in text.split("Weekly shifts")[1]


def test_a_viewer_cannot_change_the_rota(wl, client, people):
    alex = people.volunteer("Alex Kim", on_shift=False)
    dash = sign_in(wl, client, "viewer")
    form = {
        "kind": "weekly",
        "day": "mon",
        "start": "18:00",
        "end": "22:00",
        "volunteers": str(alex.id),
    }
    assert dash.post("/rota/shifts", form).status_code == 403
    with wl.db.unit_of_work() as session:
        assert session.scalars(select(WeeklySlot)).first() is None


def test_without_sign_in_the_rota_redirects_to_login(client):
    response = client.get("/rota")
    assert response.status_code == 302 and "/login?next=/rota" in response.headers["Location"]


def test_a_coordinator_adds_edits_and_removes_a_weekly_shift(wl, client, people):
    alex = people.volunteer("Alex Kim", on_shift=False)
    sam = people.volunteer("Sam Lee", on_shift=False, role="supervisor")
    dash = sign_in(wl, client, "coordinator")
    response = dash.post(
        "/rota/shifts?week=2026-11-23",
        {
            "kind": "weekly",
            "day": "thu",
            "start": "18:00",
            "end": "22:00",
            "volunteers": str(alex.id),
            "supervisors": str(sam.id),
        },
    )
    assert response.status_code == 302
    # Back at the top of the week (the form posted to #weekly-h; "#top" keeps the browser from
    # carrying that fragment over, so the confirmation is in view).
    assert response.headers["Location"].endswith("/rota?week=2026-11-23#top")
    page = dash.get("/rota?week=2026-11-23").get_data(as_text=True)
    assert "Added shift w1: Thu 18:00 → 22:00, 4 h." in page
    edit = dash.get("/rota/shifts/1/edit").get_data(as_text=True)
    assert 'value="18:00"' in edit and 'value="thu" selected' in edit
    response = dash.post(
        "/rota/shifts/1/edit",
        {
            "day": "fri",
            "start": "19:00",
            "end": "23:00",
            "volunteers": str(alex.id),
            "supervisors": str(sam.id),
        },
    )
    assert response.status_code == 302
    assert "Weekly shift w1 is now Fri 19:00 → 23:00, 4 h." in dash.get("/rota").get_data(
        as_text=True
    )
    assert dash.post("/rota/shifts/w1/remove").status_code == 302
    with wl.db.unit_of_work() as session:
        assert session.scalars(select(WeeklySlot)).first() is None
        actions = [
            (e.action, e.actor_name)
            for e in session.scalars(select(AuditEntry))
            if e.action.startswith("shift.")
        ]
    assert actions == [
        (a, "coordinator@example.org") for a in ("shift.add", "shift.edit", "shift.remove")
    ]


def test_a_refused_shift_says_why_next_to_its_form_and_keeps_what_was_typed(wl, client, people):
    alex = people.volunteer("Alex Kim", on_shift=False)
    dash = sign_in(wl, client, "coordinator")
    response = dash.post(
        "/rota/shifts",
        {
            "kind": "weekly",
            "day": "thu",
            "start": "18:00",
            "end": "18:00",
            "volunteers": str(alex.id),
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "the shift starts and ends at 18:00" in page
    assert re.search(r"<details open>\s*<summary>Add a weekly shift", page)
    # The form posts to its own section, so the browser shows the refusal next to the form.
    assert re.search(r'action="/rota/shifts\?week=[0-9-]+#weekly-h"', page)
    assert 'id="weekly-h"' in page
    assert f'value="{alex.id}" checked' in page


def test_one_off_override_and_swap_forms(wl, client, people):
    sam = people.volunteer("Sam Lee", on_shift=False)
    alex = people.volunteer("Alex Kim", on_shift=False)
    people.shift(sam, "mon", "18:00", "22:00")
    dash = sign_in(wl, client, "coordinator")
    assert (
        dash.post(
            "/rota/shifts",
            {
                "kind": "one_off",
                "on": "2026-11-26",
                "start": "09:00",
                "end": "12:00",
                "volunteers": str(alex.id),
            },
        ).status_code
        == 302
    )
    assert (
        dash.post(
            "/rota/overrides",
            {
                "kind": "remove",
                "volunteer": str(sam.id),
                "start_date": "2026-12-07",
                "start_time": "18:00",
                "end_date": "2026-12-07",
                "end_time": "22:00",
                "reason": "holiday",
            },
        ).status_code
        == 302
    )
    assert (
        dash.post(
            "/rota/swaps",
            {
                "action": "reassign",
                "volunteer": str(sam.id),
                "date": "2026-11-30",
                "time": "19:00",
                "to": str(alex.id),
            },
        ).status_code
        == 302
    )
    page = dash.get("/rota?week=2026-11-30").get_data(as_text=True)
    text = _text(page)
    assert "Swap 1 saved." in text
    assert "Alex Kim instead of Sam Lee" in text and "Sam Lee off" in text and "holiday" in text
    assert "taken by Alex Kim" in text and "o1" in text
    assert dash.post("/rota/overrides/1/remove").status_code == 302
    assert dash.post("/rota/shifts/o1/remove").status_code == 302


def test_forms_without_the_csrf_token_are_refused(wl, client, people):
    alex = people.volunteer("Alex Kim", on_shift=False)
    dash = sign_in(wl, client, "coordinator")
    response = dash.post(
        "/rota/shifts",
        {
            "kind": "weekly",
            "day": "mon",
            "start": "18:00",
            "end": "22:00",
            "volunteers": str(alex.id),
        },
        token=False,
    )
    assert response.status_code == 400
    with wl.db.unit_of_work() as session:
        assert session.scalars(select(WeeklySlot)).first() is None


def test_a_coordinator_edits_a_one_off_shift_in_place(wl, client, people):
    alex = people.volunteer("Alex Kim", on_shift=False)
    sam = people.volunteer("Sam Lee", on_shift=False, role="supervisor")
    dash = sign_in(wl, client, "coordinator")
    one_off = {"kind": "one_off", "on": "2026-11-26", "start": "09:00", "end": "12:00"}
    assert dash.post("/rota/shifts", one_off | {"volunteers": str(alex.id)}).status_code == 302
    rota = dash.get("/rota?week=2026-11-23").get_data(as_text=True)
    assert "/rota/one-offs/1/edit?week=2026-11-23" in rota
    edit = dash.get("/rota/one-offs/1/edit?week=2026-11-23").get_data(as_text=True)
    assert 'value="2026-11-26"' in edit and 'value="09:00"' in edit
    assert f'<option value="{alex.id}" selected>' in edit
    assert 'aria-current="location">Rota<' in edit  # the menu shows the section
    # Sam as supervisor, an hour later: refused for a past date, then saved.
    change = {"on": "2026-11-20", "start": "10:00", "end": "13:00", "volunteer": str(sam.id)}
    refused = dash.post("/rota/one-offs/1/edit", change | {"supervisor": "yes"})
    assert refused.status_code == 400
    assert "would already be over" in refused.get_data(as_text=True)
    saved = dash.post(
        "/rota/one-offs/1/edit?week=2026-11-23",
        change | {"on": "2026-11-27", "supervisor": "yes"},
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith("?week=2026-11-23")
    with wl.db.unit_of_work() as session:
        shift = session.get(OneOffShift, 1)
        assert shift is not None and shift.volunteer_id == sam.id and shift.supervisor
        assert shift.start == dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and (entry.action, entry.target) == ("shift.edit", "shift:o1")
    # Alex is not a supervisor: refused, and the form keeps what was typed.
    refused = dash.post("/rota/one-offs/1/edit", change | {"on": "2026-11-27",
                        "volunteer": str(alex.id), "supervisor": "yes"})  # fmt: skip
    assert refused.status_code == 400
    assert "is not a supervisor" in refused.get_data(as_text=True)
    assert f'<option value="{alex.id}" selected>' in refused.get_data(as_text=True)


def test_a_coordinator_edits_an_override_but_not_one_made_by_a_swap(wl, client, people):
    sam = people.volunteer("Sam Lee", on_shift=False)
    alex = people.volunteer("Alex Kim", on_shift=False)
    people.shift(sam, "mon", "18:00", "22:00")
    dash = sign_in(wl, client, "coordinator")
    off = {"kind": "remove", "volunteer": str(sam.id), "start_date": "2026-12-07",
           "start_time": "18:00", "end_date": "2026-12-07", "end_time": "22:00",
           "reason": "holiday"}  # fmt: skip
    assert dash.post("/rota/overrides", off).status_code == 302
    swap = {"action": "reassign", "volunteer": str(sam.id), "date": "2026-11-30", "time": "19:00",
            "to": str(alex.id)}  # fmt: skip
    assert dash.post("/rota/swaps", swap).status_code == 302
    rota = dash.get("/rota?week=2026-11-30").get_data(as_text=True)
    assert "/rota/overrides/1/edit" in rota and "/rota/overrides/2/edit" not in rota
    edit = dash.get("/rota/overrides/1/edit").get_data(as_text=True)
    assert 'value="holiday"' in edit and '<option value="remove" selected>' in edit
    replace = off | {"kind": "replace", "replacement": str(alex.id), "end_time": "21:00"}
    assert dash.post("/rota/overrides/1/edit", replace).status_code == 302
    with wl.db.unit_of_work() as session:
        override = session.get(RotaOverride, 1)
        assert override is not None and override.kind == "replace"
        assert override.replacement_id == alex.id
        assert override.end == dt.datetime(2026, 12, 8, 2, 0, tzinfo=dt.UTC)  # 21:00 in New York
    text = _text(dash.get("/rota?week=2026-12-07").get_data(as_text=True))
    assert "Override 1 is saved." in text and "Alex Kim instead of Sam Lee" in text
    refused = dash.post("/rota/overrides/2/edit", replace)
    assert refused.status_code == 400 and "comes from swap 1" in refused.get_data(as_text=True)


def test_a_viewer_cannot_edit_a_one_off_or_an_override(wl, client, people):
    dash = sign_in(wl, client, "viewer")
    assert dash.get("/rota/one-offs/1/edit").status_code == 403
    assert dash.post("/rota/overrides/1/edit", {"kind": "remove"}).status_code == 403
