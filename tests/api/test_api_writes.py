"""The API's writes: volunteers, shifts, overrides, swaps and escalations, through the services,
audited as the token, with refusals as problem details; on SQLite and PostgreSQL.

The test clock is Monday 23 November 2026, 18:00 in New York (the test line's timezone)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.api.conftest import bearer
from tests.api.test_api import is_problem
from warmline.db.models import AuditEntry

TUESDAY_EVENING = "2026-11-24T23:30:00Z"  # 18:30 in New York


def audit_log(wl: Any) -> list[tuple[str, str, str, str | None]]:
    with wl.db.unit_of_work() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(e.actor_kind, e.actor_name, e.action, e.target) for e in rows]


def test_volunteers_added_edited_deactivated_and_activated(client, tokens, wl) -> None:
    auth = bearer(tokens["coordinator"])
    new = {"name": "Sam Lee", "phone": "(202) 555-0177", "role": "supervisor", "languages": ["es"]}

    made = client.post("/api/v1/volunteers", json=new, headers=auth)

    assert made.status_code == 201, made.get_data(as_text=True)
    sam = made.get_json()
    assert (sam["phone"], sam["role"], sam["languages"], sam["active"]) == (
        "+12025550177", "supervisor", ["es"], True,
    )  # fmt: skip
    path = f"/api/v1/volunteers/{sam['id']}"
    edited = client.patch(path, json={"name": "Sam L.", "capacity": 3}, headers=auth)
    assert (edited.get_json()["name"], edited.get_json()["capacity"]) == ("Sam L.", 3)
    assert client.post(f"{path}/deactivate", headers=auth).get_json()["active"] is False
    assert (
        "already inactive"
        in is_problem(client.post(f"{path}/deactivate", headers=auth), 409)["detail"]
    )
    assert client.post(f"{path}/activate", headers=auth).get_json()["active"] is True
    assert client.get(path, headers=auth).get_json()["name"] == "Sam L."

    assert audit_log(wl) == [
        ("token", "coordinator tool", action, f"volunteer:{sam['id']}")
        for action in ("volunteer.add", "volunteer.edit", "volunteer.deactivate",
                       "volunteer.activate")
    ]  # fmt: skip


def test_volunteer_refusals_are_problems_without_numbers(client, tokens, people, wl) -> None:
    ann = people.volunteer("Ann")
    auth = bearer(tokens["coordinator"])

    taken = client.post("/api/v1/volunteers", json={"name": "Bo", "phone": ann.phone}, headers=auth)

    detail = is_problem(taken, 422)["detail"]
    assert "already has that number" in detail and ann.phone[2:] not in detail
    bad_number = {"name": "Bo", "phone": "555 0666 1"}
    bad = client.post("/api/v1/volunteers", json=bad_number, headers=auth)
    assert "0666" not in is_problem(bad, 422)["detail"]
    is_problem(client.patch(f"/api/v1/volunteers/{ann.id}", json={}, headers=auth), 422)
    is_problem(client.patch("/api/v1/volunteers/4242", json={"name": "X"}, headers=auth), 404)
    is_problem(client.post("/api/v1/volunteers", json={"name": "Bo"}, headers=auth), 422)
    viewer = bearer(tokens["viewer"])
    is_problem(client.post(f"/api/v1/volunteers/{ann.id}/deactivate", headers=viewer), 403)
    assert audit_log(wl) == []  # nothing refused was done, nor audited


def test_volunteers_list_is_paged_by_the_read_model(client, tokens, people) -> None:
    for name in ("Cy", "Ann", "Bo"):
        people.volunteer(name)
    auth = bearer(tokens["viewer"])
    page = client.get("/api/v1/volunteers?limit=2&offset=1&active=true", headers=auth).get_json()
    assert (page["total"], [v["name"] for v in page["items"]]) == (3, ["Bo", "Cy"])
    assert all("phone" not in v for v in page["items"])


def test_weekly_and_one_off_shifts(client, tokens, people, wl) -> None:
    bo = people.volunteer("Bo", on_shift=False)
    cy = people.volunteer("Cy", role="supervisor", on_shift=False)
    auth = bearer(tokens["coordinator"])
    weekly = {"day": "tue", "start": "18:00", "end": "22:00", "volunteers": [bo.id],
              "supervisors": [cy.id]}  # fmt: skip

    made = client.post("/api/v1/shifts", json=weekly, headers=auth)

    assert made.status_code == 201, made.get_data(as_text=True)
    [shift] = made.get_json()["items"]
    assert (shift["kind"], shift["day"], shift["start_time"], shift["end_time"]) == (
        "weekly", "tue", "18:00", "22:00",
    )  # fmt: skip
    assert {(p["name"], p["supervisor"]) for p in shift["people"]} == {("Bo", False), ("Cy", True)}
    ref = shift["id"]
    again = client.put(f"/api/v1/shifts/{ref}", json=weekly | {"end": "23:00"}, headers=auth)
    assert again.get_json()["end_time"] == "23:00" and again.get_json()["id"] == ref
    one_off = {"kind": "one_off", "date": "2026-11-25", "start": "09:00", "end": "12:00",
               "volunteers": [bo.id, cy.id]}  # fmt: skip
    made = client.post("/api/v1/shifts", json=one_off, headers=auth).get_json()["items"]
    assert [(s["kind"], s["date"], s["people"][0]["name"]) for s in made] == [
        ("one_off", "2026-11-25", "Bo"), ("one_off", "2026-11-25", "Cy"),
    ]  # fmt: skip
    assert made[0]["starts_at"] == "2026-11-25T14:00:00+00:00"
    listed = client.get("/api/v1/shifts?limit=2", headers=bearer(tokens["viewer"])).get_json()
    assert listed["total"] == 3 and [s["id"] for s in listed["items"]] == [ref, made[0]["id"]]
    ones = client.get("/api/v1/shifts?kind=one_off&offset=1", headers=auth).get_json()
    assert [s["id"] for s in ones["items"]] == [made[1]["id"]]

    put_one_off = client.put(f"/api/v1/shifts/{made[0]['id']}", json=weekly, headers=auth)
    assert "needs its date" in is_problem(put_one_off, 422)["detail"]
    as_put = {k: v for k, v in one_off.items() if k != "kind"}
    moved = as_put | {"end": "13:30", "volunteers": [], "supervisors": [cy.id]}
    both = client.put(f"/api/v1/shifts/{made[0]['id']}", json=as_put, headers=auth)
    assert "one person" in is_problem(both, 422)["detail"]
    edited = client.put(f"/api/v1/shifts/{made[0]['id']}", json=moved, headers=auth)
    assert edited.status_code == 200, edited.get_json()
    shown = edited.get_json()
    assert shown["id"] == made[0]["id"] and shown["people"][0]["name"] == "Cy"
    assert shown["people"][0]["supervisor"] is True and shown["ends_at"].startswith(
        "2026-11-25T18:30"
    )
    assert client.delete(f"/api/v1/shifts/{made[0]['id']}", headers=auth).status_code == 204
    is_problem(client.get(f"/api/v1/shifts/{made[0]['id']}", headers=auth), 404)
    is_problem(client.delete("/api/v1/shifts/x1", headers=auth), 404)
    over = one_off | {"date": "2026-11-20"}
    assert "already be over" in is_problem(client.post("/api/v1/shifts", json=over, headers=auth),
                                           422)["detail"]  # fmt: skip
    is_problem(client.post("/api/v1/shifts", json=weekly, headers=bearer(tokens["viewer"])), 403)
    actions = [action for _, _, action, _ in audit_log(wl)]
    assert actions == [
        "shift.add",
        "shift.edit",
        "shift.add",
        "shift.add",
        "shift.edit",
        "shift.remove",
    ]


def test_swaps_offered_taken_and_cancelled_and_overrides(client, tokens, people, wl) -> None:
    bo = people.volunteer("Bo", on_shift=False)
    cy = people.volunteer("Cy", on_shift=False)
    auth = bearer(tokens["coordinator"])
    client.post("/api/v1/shifts", headers=auth, json={
        "day": "tue", "start": "18:00", "end": "22:00", "volunteers": [bo.id]})  # fmt: skip

    offer = {"action": "offer", "volunteer_id": bo.id, "at": TUESDAY_EVENING}
    made = client.post("/api/v1/swaps", json=offer, headers=auth)

    assert made.status_code == 201, made.get_data(as_text=True)
    swap = made.get_json()
    assert (swap["status"], swap["offered_by_name"], swap["start"]) == (
        "open", "Bo", "2026-11-24T23:00:00+00:00",
    )  # fmt: skip
    listed = client.get("/api/v1/swaps?status=open", headers=bearer(tokens["viewer"])).get_json()
    assert [s["id"] for s in listed["items"]] == [swap["id"]]
    is_problem(client.post("/api/v1/swaps", json=offer, headers=auth), 422)  # offered already
    taken = client.post(f"/api/v1/swaps/{swap['id']}/take", json={"taker_id": cy.id}, headers=auth)
    assert taken.get_json()["status"] == "taken" and taken.get_json()["taken_by_name"] == "Cy"
    is_problem(client.post(f"/api/v1/swaps/{swap['id']}/cancel", headers=auth), 409)
    [override] = client.get("/api/v1/overrides", headers=auth).get_json()["items"]
    assert (override["kind"], override["volunteer_name"], override["replacement_name"]) == (
        "replace", "Bo", "Cy",
    )  # fmt: skip

    removed = client.delete(f"/api/v1/overrides/{override['id']}", headers=auth)

    assert removed.get_json() == {"override_id": override["id"], "cancelled_swap_id": swap["id"]}
    is_problem(client.delete(f"/api/v1/overrides/{override['id']}", headers=auth), 404)
    added = client.post("/api/v1/overrides", headers=auth, json={
        "kind": "add", "volunteer_id": cy.id, "start": "2026-11-26 08:00",
        "end": "2026-11-26 10:00", "reason": "covering"})  # fmt: skip
    assert added.status_code == 201 and added.get_json()["start"] == "2026-11-26T13:00:00+00:00"
    backwards = {"kind": "add", "volunteer_id": cy.id, "start": "2026-11-26 10:00",
                 "end": "2026-11-26 08:00"}  # fmt: skip
    is_problem(client.post("/api/v1/overrides", json=backwards, headers=auth), 422)
    second = client.post("/api/v1/swaps", json=offer, headers=auth).get_json()
    assert (
        client.post(f"/api/v1/swaps/{second['id']}/cancel", headers=auth).get_json()["status"]
        == "cancelled"
    )
    reassign = offer | {"action": "reassign"}
    assert (
        "to_id"
        in is_problem(client.post("/api/v1/swaps", json=reassign, headers=auth), 422)["detail"]
    )
    actions = [action for _, _, action, _ in audit_log(wl)]
    assert actions == ["shift.add", "swap.offer", "swap.take", "override.remove", "override.add",
                       "swap.offer", "swap.cancel"]  # fmt: skip


def test_escalations_listed_acknowledged_and_noted(client, tokens, twilio, people, wl) -> None:
    people.volunteer("Ann")
    twilio.sms("+12025550141", "I want to kill myself tonight")
    twilio.deliver()
    supervisor = bearer(tokens["supervisor"])
    is_problem(client.get("/api/v1/escalations", headers=bearer(tokens["viewer"])), 403)

    page = client.get("/api/v1/escalations?open=true&level=crisis", headers=supervisor).get_json()

    [esc] = page["items"]
    assert page["total"] == 1 and esc["alias"] and esc["acknowledged_at"] is None
    assert "555" not in client.get("/api/v1/escalations", headers=supervisor).get_data(as_text=True)
    path = f"/api/v1/escalations/{esc['id']}"
    done = client.post(f"{path}/acknowledge", headers=supervisor).get_json()
    assert done["changed"] is True and done["escalation"]["acknowledged_by"] == "supervisor tool"
    assert client.post(f"{path}/acknowledge", headers=supervisor).get_json()["changed"] is False
    open_now = client.get("/api/v1/escalations?open=true", headers=supervisor).get_json()
    assert open_now["total"] == 0
    noted = client.post(f"{path}/notes", json={"note": "called back, safe"}, headers=supervisor)
    assert noted.status_code == 201
    assert noted.get_json()["steps"][-1]["note"] == "called back, safe"
    is_problem(client.post(f"{path}/notes", json={"note": "   "}, headers=supervisor), 422)
    is_problem(client.post("/api/v1/escalations/999/acknowledge", headers=supervisor), 404)
    mine = [(kind, name, action) for kind, name, action, _ in audit_log(wl) if kind == "token"]
    assert mine == [("token", "supervisor tool", "escalation.acknowledge"),
                    ("token", "supervisor tool", "escalation.note")]  # fmt: skip
