"""The JSON API: bearer tokens, roles, problem details, pagination and the resources, on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from tests.api.conftest import bearer
from warmline.accounts.tokens import revoke_token
from warmline.db.models import AuditEntry, Contact, Message

CONTACT = "+12025550151"
PROBLEM = "application/problem+json"


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert {"type", "title", "status", "detail"} <= body.keys() and body["status"] == status
    return body


def test_the_document_validates_and_lists_every_resource(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    paths = document["paths"]
    for path in ("/api/v1/rota/now", "/api/v1/rota/week", "/api/v1/rota/gaps",
                 "/api/v1/reports/summary", "/api/v1/volunteers", "/api/v1/conversations",
                 "/api/v1/audit", "/api/v1/contacts/{contact_id}",
                 "/api/v1/contacts/{contact_id}/export", "/api/v1/shifts", "/api/v1/overrides",
                 "/api/v1/swaps", "/api/v1/escalations",
                 "/api/v1/escalations/{escalation_id}/acknowledge"):  # fmt: skip
        assert path in paths, path
    erase = paths["/api/v1/contacts/{contact_id}"]["delete"]["responses"]
    assert {"200", "401", "403", "404"} <= erase.keys()
    assert "422" in paths["/api/v1/conversations"]["get"]["responses"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = [op for item in paths.values() for k, op in item.items() if k != "parameters"]
    assert all("default" not in op["responses"] for op in operations)


def test_the_docs_page_loads_its_scripts_from_the_package_not_a_cdn(client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 3 and all('src="/api/v1/docs/static/' in s for s in scripts)
    assert "<script>" not in html and "http" not in html  # no inline script, no other origin
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 4
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.get_data()) > 100, asset
        served.close()
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    license_file = client.get("/api/v1/docs/static/swagger-ui/LICENSE")
    assert "Apache License" in license_file.get_data(as_text=True)
    license_file.close()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer wl_not-a-token", "Basic dXNlcjpwYXNz", "bearer  "],
)
def test_no_valid_token_is_401_with_a_bearer_challenge(client, header) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/rota/now", headers=headers)
    is_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(client, wl, tokens) -> None:
    assert client.get("/api/v1/rota/now", headers=bearer(tokens["viewer"])).status_code == 200
    with wl.db.unit_of_work() as session:
        revoke_token(session, "viewer tool", wl.clock())
    is_problem(client.get("/api/v1/rota/now", headers=bearer(tokens["viewer"])), 401)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/rota/now", {"coordinator", "supervisor", "viewer"}),
        ("/api/v1/rota/week", {"coordinator", "viewer"}),
        ("/api/v1/reports/summary", {"coordinator", "viewer"}),
        ("/api/v1/conversations", {"coordinator", "supervisor"}),
        ("/api/v1/audit", {"coordinator"}),
        ("/api/v1/volunteers", {"coordinator", "viewer"}),
    ],
)
def test_roles(client, tokens, path, allowed) -> None:
    for role, token in tokens.items():
        response = client.get(path, headers=bearer(token))
        if role in allowed:
            assert response.status_code == 200, (role, response.get_data(as_text=True))
        else:
            assert "may not" in is_problem(response, 403)["detail"]


def test_volunteer_numbers_only_for_coordinators(client, tokens, people) -> None:
    sam = people.volunteer("Sam")
    coordinator = client.get("/api/v1/volunteers", headers=bearer(tokens["coordinator"]))
    viewer = client.get("/api/v1/volunteers", headers=bearer(tokens["viewer"]))
    assert coordinator.get_json()["items"][0]["phone"] == sam.phone
    assert "phone" not in viewer.get_json()["items"][0]
    assert sam.phone not in viewer.get_data(as_text=True)
    one = client.get(f"/api/v1/volunteers/{sam.id}", headers=bearer(tokens["viewer"]))
    assert one.get_json()["name"] == "Sam" and "phone" not in one.get_json()
    is_problem(client.get("/api/v1/volunteers/999", headers=bearer(tokens["viewer"])), 404)


def test_lists_page_and_filter_by_date(client, tokens, people, clock) -> None:
    for n in range(5):
        people.volunteer(f"V{n}")
        clock.advance(days=1)
    auth = bearer(tokens["coordinator"])
    page = client.get("/api/v1/volunteers?limit=2&offset=1", headers=auth).get_json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [v["name"] for v in page["items"]] == ["V1", "V2"]
    since = (clock.now.replace(microsecond=0)).isoformat().replace("+00:00", "Z")
    assert client.get(f"/api/v1/volunteers?since={since}", headers=auth).get_json()["total"] == 0
    body = is_problem(client.get("/api/v1/volunteers?limit=0&since=yesterday", headers=auth), 422)
    assert {"limit", "since"} <= body["errors"]["query"].keys()


def test_conversations_carry_alias_and_contact_id_never_a_number(
    client, tokens, twilio, people
) -> None:
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hello")
    response = client.get("/api/v1/conversations", headers=bearer(tokens["supervisor"]))
    [row] = response.get_json()["items"]
    assert row["alias"] and row["contact_id"]
    assert CONTACT[2:] not in response.get_data(as_text=True)
    now = client.get("/api/v1/rota/now", headers=bearer(tokens["supervisor"])).get_json()
    assert now["conversations"][0]["alias"] == row["alias"]
    assert CONTACT[2:] not in json.dumps(now)


def test_erasure_and_export_through_the_api(client, tokens, twilio, people, wl) -> None:
    people.volunteer("Ann")
    twilio.sms(CONTACT, "please forget me")
    with wl.db.unit_of_work() as session:
        contact_id = session.scalars(select(Contact.id)).one()
    path = f"/api/v1/contacts/{contact_id}"
    is_problem(client.delete(path, headers=bearer(tokens["supervisor"])), 403)
    exported = client.get(f"{path}/export", headers=bearer(tokens["coordinator"]))
    assert exported.status_code == 200
    body = exported.get_json()
    assert body["conversations"][0]["messages"][0]["body"] == "please forget me"
    assert CONTACT[2:] not in exported.get_data(as_text=True)

    erased = client.delete(path, headers=bearer(tokens["coordinator"]))

    assert erased.status_code == 200 and erased.get_json()["messages"] == 1
    with wl.db.unit_of_work() as session:
        assert session.scalars(select(Message.body)).all() == [None]
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["contact.export", "contact.erase"]
    audit = client.get("/api/v1/audit?action=contact", headers=bearer(tokens["coordinator"]))
    assert [e["actor_name"] for e in audit.get_json()["items"]] == ["coordinator tool"] * 2
    is_problem(client.delete("/api/v1/contacts/999", headers=bearer(tokens["coordinator"])), 404)


def test_unknown_paths_and_methods_are_problems_too(client, tokens) -> None:
    is_problem(client.get("/api/v1/nothing-here", headers=bearer(tokens["viewer"])), 404)
    wrong = client.post("/api/v1/rota/now", headers=bearer(tokens["viewer"]))
    is_problem(wrong, 405)
    assert "GET" in wrong.headers["Allow"]
    # The rest of the app keeps its own error pages.
    assert client.get("/nothing-here").mimetype != PROBLEM


def test_the_dashboard_csrf_does_not_guard_the_api(app, client, tokens, twilio, people, wl) -> None:
    if "csrf" not in app.extensions:
        pytest.skip("no CSRF protection installed in this app")
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hi")
    with wl.db.unit_of_work() as session:
        contact_id = session.scalars(select(Contact.id)).one()
    path = f"/api/v1/contacts/{contact_id}"
    response = client.delete(path, headers=bearer(tokens["coordinator"]))
    assert response.status_code == 200


def test_every_write_is_documented_with_its_refusals(client, tokens) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        ("/api/v1/volunteers", "post"): {"201", "400", "401", "403", "422"},
        ("/api/v1/volunteers/{volunteer_id}", "patch"): {"200", "400", "404", "422"},
        ("/api/v1/volunteers/{volunteer_id}/deactivate", "post"): {"200", "404", "409"},
        ("/api/v1/shifts", "post"): {"201", "400", "403", "422"},
        ("/api/v1/shifts/{shift_id}", "put"): {"200", "400", "404", "422"},
        ("/api/v1/shifts/{shift_id}", "delete"): {"204", "404", "422"},
        ("/api/v1/overrides", "post"): {"201", "400", "422"},
        ("/api/v1/overrides/{override_id}", "delete"): {"200", "404", "422"},
        ("/api/v1/swaps", "post"): {"201", "400", "422"},
        ("/api/v1/swaps/{swap_id}/take", "post"): {"200", "400", "404", "422"},
        ("/api/v1/swaps/{swap_id}/cancel", "post"): {"200", "404", "409"},
        ("/api/v1/escalations", "get"): {"200", "401", "403", "422"},
        ("/api/v1/escalations/{escalation_id}/acknowledge", "post"): {"200", "403", "404"},
        ("/api/v1/escalations/{escalation_id}/notes", "post"): {"201", "400", "404", "422"},
        ("/api/v1/contacts/{contact_id}", "delete"): {"200", "404"},
    }
    for (path, method), statuses in expected.items():
        assert statuses <= paths[path][method]["responses"].keys(), (path, method)
    body = is_problem(
        client.post(
            "/api/v1/volunteers",
            data="{not json",
            headers=bearer(tokens["coordinator"]) | {"Content-Type": "application/json"},
        ),
        400,
    )
    assert body["detail"]
