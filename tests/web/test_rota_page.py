"""``/rota``: the week grid for everyone who may see it, the forms for coordinators only."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.web.dashboard_helpers import sign_in
from warmline.db.models import AuditEntry, WeeklySlot


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
    assert response.headers["Location"].endswith("/rota?week=2026-11-23")
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
