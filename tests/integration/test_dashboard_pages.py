"""The dashboard's pages, through the Flask test client: what each shows, what each changes (and
audits), and that no contact's number ever reaches a page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support.dashboard import csrf_token, log_in, make_user, post_form, signed_in
from warmline.accounts import totp, users
from warmline.audit import entries
from warmline.db.models import Contact, Conversation, Escalation

CONTACT = "+15557770123"
WAITING = "+15557770456"


@pytest.fixture
def line(twilio, people, wl):
    """A supervisor and a volunteer on shift; one contact in a conversation who wrote words of
    crisis (an escalation), and one more waiting in the queue."""
    sam = people.volunteer("Sam Lee", role="supervisor", capacity=1)
    alex = people.volunteer("Alex Kim", capacity=1)
    twilio.sms(CONTACT, "I want to kill myself tonight")
    twilio.sms("+15557770789", "hello, is anyone there")
    twilio.sms(WAITING, "hello?")
    twilio.deliver()
    with wl.db.unit_of_work() as session:
        alias = session.scalars(
            select(Contact.alias).join(Conversation).where(Conversation.escalated.is_(True))
        ).one()
        esc_id = session.scalars(select(Escalation.id)).one()
        holder = session.scalars(
            select(Conversation.volunteer_id).where(Conversation.escalated.is_(True))
        ).one()
    volunteer = sam if holder == sam.id else alex
    return {"alias": alias, "escalation": esc_id, "volunteer": volunteer}


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def digits_absent(html: str, number: str) -> None:
    digits = re.sub(r"\D", "", html)
    assert number.lstrip("+") not in digits
    assert number[-10:] not in digits
    assert number[-7:] not in digits


def test_the_live_view_shows_the_line_by_alias(client, wl, line):
    signed_in(client, wl)
    html = page(client, "/")
    assert "Sam Lee" in html and "supervisor" in html
    assert "Alex Kim" in html
    assert line["alias"] in html
    assert "Waiting" in html and "Open conversations" in html
    assert f"/escalations/{line['escalation']}/acknowledge" in html
    live = page(client, "/now/live")
    assert live.lstrip().startswith('<div id="live"')
    assert 'hx-trigger="every 5s"' in live
    assert "<html" not in live


def test_a_viewer_sees_the_live_view_without_an_acknowledge_button(client, wl, line):
    signed_in(client, wl, "viewer")
    html = page(client, "/")
    assert line["alias"] in html
    assert "/acknowledge" not in html
    response = post_form(client, f"/escalations/{line['escalation']}/acknowledge", {})
    assert response.status_code == 403


def test_acknowledging_on_the_dashboard_is_the_same_as_ack_by_text(client, wl, twilio, line):
    signed_in(client, wl, "supervisor")
    esc = line["escalation"]
    response = post_form(client, f"/escalations/{esc}/acknowledge", {"next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    html = page(client, "/")
    assert f"Escalation #{esc} ({line['alias']}) acknowledged." in html.replace("&#39;", "'")
    with wl.db.unit_of_work() as session:
        found = session.get(Escalation, esc)
        assert found is not None and found.acknowledged_at == wl.clock()
        rows, _ = entries(session, action="escalation.acknowledge")
    assert [(r.actor_name, r.target) for r in rows] == [
        ("supervisor@warmline.example.org", f"escalation:{esc}")
    ]
    told = twilio.texts_to(line["volunteer"].phone, twilio.deliver())
    assert told == [
        f"A coordinator acknowledged escalation #{esc} ({line['alias']}) and is following up."
    ]
    # A second time changes nothing and says so.
    post_form(client, f"/escalations/{esc}/acknowledge", {})
    assert "was already acknowledged" in page(client, "/escalations")


def test_a_note_on_an_escalation_is_shown_and_audited_without_its_text(client, wl, line):
    signed_in(client, wl)
    esc = line["escalation"]
    response = post_form(
        client,
        f"/escalations/{esc}/note",
        {"note": "Called the contact back; safe with family"},
        "/escalations",
    )
    assert response.status_code == 302
    html = page(client, "/escalations")
    assert "Called the contact back; safe with family" in html
    with wl.db.unit_of_work() as session:
        rows, _ = entries(session, action="escalation.note")
    assert len(rows) == 1 and "safe with family" not in rows[0].detail
    assert (
        post_form(client, f"/escalations/{esc}/note", {"note": " "}, "/escalations").status_code
        == 302
    )
    assert "Write the note first" in page(client, "/escalations")


def test_open_escalations_filter(client, wl, line):
    signed_in(client, wl)
    assert f"#{line['escalation']}" in page(client, "/escalations?show=open")
    post_form(client, f"/escalations/{line['escalation']}/acknowledge", {})
    assert "Every escalation has been acknowledged." in page(client, "/escalations?show=open")


def test_conversations_list_metadata_and_filters(client, wl, line):
    signed_in(client, wl, "supervisor")
    html = page(client, "/conversations")
    assert line["alias"] in html
    assert "3 conversations" in html
    assert "kill myself" not in html
    assert "/conversations/" not in html.split("<tbody>")[1]  # no transcript links for supervisors
    assert "1 conversation<" in page(client, "/conversations?escalated=yes")
    assert "2 conversations" in page(client, "/conversations?escalated=no")
    assert "0 conversations" in page(client, "/conversations?since=2030-01-01")


def test_a_transcript_needs_a_coordinator_and_a_reason_and_is_audited(client, wl, line):
    with wl.db.unit_of_work() as session:
        conv_id = session.scalars(
            select(Conversation.id).where(Conversation.escalated.is_(True))
        ).one()
    path = f"/conversations/{conv_id}"
    signed_in(client, wl, "supervisor")
    assert client.get(path).status_code == 403
    post_form(client, "/logout", {})

    signed_in(client, wl, "coordinator")
    asked = page(client, path)
    assert "Why do you need to read this conversation?" in asked
    assert "kill myself" not in asked
    token = csrf_token(client, path)
    refused = client.post(path, data={"reason": "", "csrf_token": token})
    assert "kill myself" not in refused.get_data(as_text=True)
    shown = client.post(path, data={"reason": "Following up escalation", "csrf_token": token})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "I want to kill myself tonight" in html
    digits_absent(html, CONTACT)
    with wl.db.unit_of_work() as session:
        rows, _ = entries(session, action="transcript.view")
    assert [(r.target, r.detail) for r in rows] == [
        (f"conversation:{conv_id}", "Following up escalation")
    ]


def test_a_reason_with_a_phone_number_is_refused(client, wl, line):
    signed_in(client, wl)
    token = csrf_token(client, "/conversations/1")
    response = client.post(
        "/conversations/1", data={"reason": f"caller {CONTACT}", "csrf_token": token}
    )
    assert response.status_code == 302
    assert "without a phone number" in page(client, "/conversations/1")


def test_users_add_deactivate_activate_and_reset_are_audited(client, wl):
    signed_in(client, wl)
    token = csrf_token(client, "/users")
    response = client.post(
        "/users",
        data={"email": "new@warmline.example.org", "role": "supervisor",
              "password": "a long first password", "csrf_token": token},
    )  # fmt: skip
    assert response.status_code == 302
    html = page(client, "/users")
    assert "new@warmline.example.org can now log in as supervisor." in html
    short = client.post(
        "/users",
        data={
            "email": "x@warmline.example.org",
            "role": "viewer",
            "password": "short",
            "csrf_token": token,
        },
    )
    assert short.status_code == 400
    base = "/users/new@warmline.example.org"
    assert post_form(client, f"{base}/deactivate", {"confirm": "yes"}, "/users").status_code == 302
    assert "deactivated" in page(client, "/users")
    assert post_form(client, f"{base}/activate", {}, "/users").status_code == 302
    assert (
        post_form(
            client, f"{base}/password", {"password": "another long password"}, "/users"
        ).status_code
        == 302
    )
    # The last coordinator cannot deactivate themselves.
    post_form(
        client, "/users/coordinator@warmline.example.org/deactivate", {"confirm": "yes"}, "/users"
    )
    assert "last active coordinator" in page(client, "/users")
    with wl.db.unit_of_work() as session:
        rows, _ = entries(session, action="user")
    assert [r.action for r in rows] == [
        "user.reset_password",
        "user.activate",
        "user.deactivate",
        "user.add",
        "user.login",
    ]
    audit = page(client, "/audit")
    assert "user.reset_password" in audit and "new@warmline.example.org" in audit


def test_deactivating_an_account_asks_first(client, wl):
    signed_in(client, wl)
    make_user(wl, "viewer")
    base = "/users/viewer@warmline.example.org"
    users_page = page(client, "/users")
    assert f'href="{base}/deactivate"' in users_page  # a link to the question, not a POST
    question = page(client, f"{base}/deactivate")
    assert "Deactivate viewer@warmline.example.org?" in question
    assert 'name="confirm" value="yes"' in question and 'href="/users#accounts">Cancel' in question
    # A POST that did not come from the question's button only leads to the question.
    response = post_form(client, f"{base}/deactivate", {}, "/users")
    assert response.status_code == 302 and response.headers["Location"] == f"{base}/deactivate"
    with wl.db.unit_of_work() as session:
        assert users.get_user(session, "viewer@warmline.example.org").active
    response = post_form(client, f"{base}/deactivate", {"confirm": "yes"}, "/users")
    assert response.headers["Location"] == "/users"
    assert "viewer@warmline.example.org is deactivated." in page(client, "/users")
    with wl.db.unit_of_work() as session:
        assert not users.get_user(session, "viewer@warmline.example.org").active
    assert client.get("/users/nobody@warmline.example.org/deactivate").status_code == 404


def test_two_step_sign_in_is_turned_on_from_the_users_page_and_works(app, client, wl, clock):
    signed_in(client, wl)
    viewer = make_user(wl, "viewer")
    base = "/users/viewer@warmline.example.org"
    assert f'action="{base}/totp-on"' in page(client, "/users")
    response = post_form(client, f"{base}/totp-on", {}, "/users")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    shown = response.get_data(as_text=True)
    uri = re.search(r'value="(otpauth://totp/[^"]+)"', shown)
    assert uri is not None and "viewer%40warmline.example.org" in uri.group(1)
    secret = re.search(r"secret=([A-Z2-7]+)", uri.group(1))
    assert secret is not None
    assert " ".join(re.findall(".{1,4}", secret.group(1))) in shown  # the key, in groups of 4
    # Shown once: the users page never shows it again.
    assert secret.group(1)[:8] not in page(client, "/users")
    # The viewer now needs a code from an app holding that secret.
    other = app.test_client()
    assert log_in(other, viewer).headers["Location"].startswith("/login/code")
    code = totp.code_at(secret.group(1), clock())
    token = csrf_token(other, "/login/code")
    assert other.post("/login/code", data={"code": code, "csrf_token": token}).status_code == 302
    # Turning it off asks first, then the password alone signs in.
    assert "Turn off two-step sign-in for viewer@" in page(client, f"{base}/totp-off")
    post_form(client, f"{base}/totp-off", {"confirm": "yes"}, "/users")
    assert log_in(app.test_client(), viewer).headers["Location"] == "/"
    with wl.db.unit_of_work() as session:
        rows, _ = entries(session, action="user")
    rows = [r for r in rows if r.action.startswith("user.totp")]
    assert [r.action for r in rows] == ["user.totp_disable", "user.totp_enable"]
    assert all(secret.group(1) not in r.detail for r in rows)


def test_a_refused_new_account_shows_its_error_where_the_form_is(client, wl):
    signed_in(client, wl)
    token = csrf_token(client, "/users")
    form = {"email": "x@warmline.example.org", "role": "viewer", "password": "short"}
    response = client.post("/users", data=form | {"csrf_token": token})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'action="/users#add"' in html and 'id="add"' in html
    assert "The account was not added" in html


def test_the_audit_log_filters_and_pages(client, wl):
    signed_in(client, wl)
    for _ in range(3):
        post_form(client, "/users", {"email": "", "role": "viewer", "password": ""}, "/users")
    html = page(client, "/audit?action=user.login")
    assert "1 entry" in html
    assert "0 entries" in page(client, "/audit?actor=nobody@example.org")


def test_no_page_shows_a_contacts_number(client, wl, line):
    signed_in(client, wl)
    with wl.db.unit_of_work() as session:
        conv_id = session.scalars(select(Conversation.id)).first()
    for path in ("/", "/now/live", "/escalations", "/conversations", "/audit", "/users"):
        html = page(client, path)
        digits_absent(html, CONTACT)
        digits_absent(html, WAITING)
    token = csrf_token(client, f"/conversations/{conv_id}")
    shown = client.post(
        f"/conversations/{conv_id}", data={"reason": "quality review", "csrf_token": token}
    )
    digits_absent(shown.get_data(as_text=True), CONTACT)
