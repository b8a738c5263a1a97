"""Notes about a contact, transcripts and volunteers' names (found in review; each test failed
before its fix): erasure takes the notes, an export gives them, a transcript is never cached and
a name cannot carry a phone number."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.dashboard import post_form, signed_in
from warmline.audit import Actor
from warmline.db.models import Contact, Conversation, Escalation
from warmline.escalation.policy import get_json
from warmline.queries import escalations as escalation_query
from warmline.services import contacts as contact_service
from warmline.services import escalations as escalation_service

CONTACT = "+15557770123"
NOTE = "She gave her name, Jo Harper, and says she lives on Elm Street"
COORDINATOR = Actor("user", "coordinator@warmline.example.org", "coordinator")


def _escalated(twilio, people, wl):
    people.volunteer("Sam Lee", role="supervisor", capacity=1)
    twilio.sms(CONTACT, "I want to kill myself tonight")
    twilio.deliver()
    with wl.db.unit_of_work() as session:
        esc = session.scalars(select(Escalation)).one()
        contact_id = session.scalars(
            select(Contact.id).join(Conversation).where(Conversation.id == esc.conversation_id)
        ).one()
        return esc.id, contact_id


def test_erasure_deletes_the_notes_coordinators_added_to_escalations(twilio, people, wl):
    """The module promises notes about the person go with erasure; the notes added from the
    dashboard and the API (kept in the escalation's steps, not its ``note`` column) stayed,
    shown to every supervisor on /escalations."""
    esc_id, contact_id = _escalated(twilio, people, wl)
    with wl.db.unit_of_work() as session:
        escalation_service.add_note(session, COORDINATOR, esc_id, NOTE, wl.clock())
    with wl.db.unit_of_work() as session:
        contact_service.erase_contact(
            session, wl.context, COORDINATOR, contact_id, wl.clock(), wl.sender
        )
    with wl.db.unit_of_work() as session:
        esc = session.get(Escalation, esc_id)
        assert "Jo Harper" not in (esc.actions or "")
        notes = [s for s in get_json(esc, "actions") if s["action"] == "note"]
        assert len(notes) == 1  # that a note was made, and when, stays
        page = escalation_query.recent(session, escalation_id=esc_id)
    assert all("Jo Harper" not in (s.note or "") for s in page.items[0].steps)


def test_the_export_gives_the_notes_written_about_the_contact_without_their_authors(
    twilio, people, wl
):
    esc_id, contact_id = _escalated(twilio, people, wl)
    with wl.db.unit_of_work() as session:
        escalation_service.add_note(session, COORDINATOR, esc_id, NOTE, wl.clock())
    with wl.db.unit_of_work() as session:
        data = contact_service.export_contact(
            session, wl.context, COORDINATOR, contact_id, wl.clock()
        )
    [escalation] = data["escalations"]
    assert [n["note"] for n in escalation["notes"]] == [NOTE]
    assert COORDINATOR.name not in str(data)


def test_the_erased_note_is_not_on_the_escalations_page(client, twilio, people, wl):
    esc_id, contact_id = _escalated(twilio, people, wl)
    signed_in(client, wl, "coordinator")
    post_form(client, f"/escalations/{esc_id}/note", {"note": NOTE}, page="/escalations")
    assert "Jo Harper" in client.get("/escalations").get_data(as_text=True)
    post_form(
        client, f"/contacts/{contact_id}/erase", {"confirm": "yes"}, f"/contacts/{contact_id}"
    )
    assert "Jo Harper" not in client.get("/escalations").get_data(as_text=True)


def test_a_shown_transcript_is_never_kept_by_a_browser_or_proxy(client, twilio, people, wl):
    """The page with a person's words must not stay in a cache (a shared computer's back
    button, a proxy), as the TOTP secret's page and the contact export already don't."""
    _escalated(twilio, people, wl)
    signed_in(client, wl, "coordinator")
    with wl.db.unit_of_work() as session:
        conv_id = session.scalars(select(Conversation.id)).one()
    path = f"/conversations/{conv_id}"
    response = post_form(client, path, {"reason": "safeguarding review"}, page=path)
    assert "kill myself" in response.get_data(as_text=True)
    assert "no-store" in response.headers.get("Cache-Control", "")


NAMED_BY_NUMBER = {"name": "Sam 202 555 0187", "phone": "+12025550111"}


def test_a_volunteer_name_holding_a_phone_number_is_refused_on_the_dashboard(client, wl):
    """A name is shown to every role (rota, live view, reports), so a number typed into it
    would reach supervisors and viewers; it also made the audit entry refuse, a 500."""
    signed_in(client, wl, "coordinator")
    response = post_form(client, "/volunteers", NAMED_BY_NUMBER, page="/volunteers")
    assert response.status_code == 400
    assert "phone number" in response.get_data(as_text=True)


def test_a_volunteer_name_holding_a_phone_number_is_refused_by_the_api(client, wl):
    from tests.api.conftest import bearer
    from warmline.accounts.tokens import add_token

    with wl.db.unit_of_work() as session:
        _, token = add_token(session, "tool", "coordinator", wl.clock())
    response = client.post("/api/v1/volunteers", json=NAMED_BY_NUMBER, headers=bearer(token))
    assert response.status_code == 422
    assert "0187" not in response.get_data(as_text=True)
