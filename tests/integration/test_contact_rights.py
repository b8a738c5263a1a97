"""Erasure and export of a contact's data (SPEC §12), through the Twilio webhooks and the
stand-in, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from warmline.accounts.roles import PermissionDenied
from warmline.audit import Actor
from warmline.db.models import AuditEntry, Contact, Conversation, Escalation, Message, Outbound
from warmline.queries import reports
from warmline.recordings import delete_at_twilio
from warmline.services import contacts
from warmline.services.contacts import ContactError, ContactNotFound

CONTACT = "+12025550131"
OTHER = "+12025550132"
ACTOR = Actor("cli", "tester", "coordinator")


def relay_of(volunteer: Any, delivered: list[dict[str, str]]) -> str:
    return [m["From"] for m in delivered if m["To"] == volunteer.phone][-1]


def talk(twilio: Any, volunteer: Any, number: str = CONTACT) -> str:
    """A conversation: the contact writes, the volunteer answers, the contact thanks them."""
    twilio.sms(number, "I had an awful week at work")
    relay = relay_of(volunteer, twilio.deliver())
    twilio.sms(volunteer.phone, "I'm here, tell me more", to=relay)
    twilio.sms(number, "thanks for listening")
    twilio.deliver()
    return relay


def close_all(twilio: Any, volunteer: Any, relay: str) -> None:
    twilio.sms(volunteer.phone, "#end talked about work stress", to=relay)
    twilio.deliver()


def erase(wl: Any, ref: str | int, telephony: Any = None) -> contacts.Erasure:
    with wl.db.unit_of_work() as session:
        return contacts.erase_contact(
            session, wl.context, ACTOR, ref, wl.clock(), telephony or wl.sender
        )


def export(wl: Any, ref: str | int) -> dict[str, Any]:
    with wl.db.unit_of_work() as session:
        return contacts.export_contact(session, wl.context, ACTOR, ref, wl.clock())


def contact_row(wl: Any, contact_id: int) -> Contact:
    with wl.db.unit_of_work() as session:
        contact = session.get_one(Contact, contact_id)
        session.expunge(contact)
        return contact


def report_inputs(wl: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every column a report reads (conversations, messages, escalations), bodies aside."""
    with wl.db.unit_of_work() as session:
        convs = session.scalars(select(Conversation).order_by(Conversation.id)).all()
        messages = session.scalars(select(Message).order_by(Message.id)).all()
        escalations = session.scalars(select(Escalation).order_by(Escalation.id)).all()
        return {
            "conversations": [
                (c.id, c.contact_id, c.channel, c.status, c.volunteer_id, c.escalated,
                 c.queued_at, c.assigned_at, c.first_response_at, c.closed_at, c.close_reason,
                 c.created_at, c.outcome, c.duration_seconds, c.recording_seconds)
                for c in convs
            ],  # fmt: skip
            "messages": [
                (m.id, m.conversation_id, m.contact_id, m.volunteer_id, m.direction, m.author,
                 m.num_media, m.created_at)
                for m in messages
            ],  # fmt: skip
            "escalations": [
                (e.id, e.conversation_id, e.level, e.source, e.created_at, e.acknowledged_at)
                for e in escalations
            ],
        }


def add_voicemail(wl: Any, standin: Any, contact_id: int, *, status: str = "closed") -> int:
    """A voice conversation of the contact with a voicemail Twilio keeps; its id."""
    sid = standin.add_recording()
    now = wl.clock()
    with wl.db.unit_of_work() as session:
        conv = Conversation(
            contact_id=contact_id,
            channel="voice",
            status=status,
            call_sid="CA" + sid[2:],
            outcome="voicemail",
            recording_sid=sid,
            recording_url=f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{sid}",
            recording_seconds=14,
            queued_at=now,
            last_activity_at=now,
            closed_at=now if status == "closed" else None,
            created_at=now,
        )
        session.add(conv)
        session.flush()
        return conv.id


def test_erasure_deletes_bodies_and_number_and_a_new_text_starts_afresh(
    twilio, people, clock
) -> None:
    wl = twilio.wl
    ann = people.volunteer("Ann")
    close_all(twilio, ann, talk(twilio, ann))
    with wl.db.unit_of_work() as session:
        first = session.scalars(select(Contact)).one()
        first_id, alias = first.id, first.alias
    clock.advance(days=1)

    done = erase(wl, CONTACT)

    assert (done.contact_id, done.alias, done.already) == (first_id, alias, False)
    assert done.messages == 3
    with wl.db.unit_of_work() as session:
        assert session.scalars(select(Message.body).where(Message.body.is_not(None))).all() == []
        bodies = session.scalars(
            select(Outbound.body).where(
                Outbound.contact_id == first_id, Outbound.body.is_not(None)
            )
        ).all()
        assert bodies == []
        assert all(
            wl.vault.decrypt(o.to_encrypted) == ""
            for o in session.scalars(select(Outbound).where(Outbound.contact_id == first_id))
        )
    erased = contact_row(wl, first_id)
    assert erased.number_hash.startswith("erased:")
    assert wl.vault.decrypt(erased.number_encrypted) == ""
    assert not erased.reachable
    with pytest.raises(ContactNotFound):
        erase(wl, CONTACT)  # the number no longer finds anyone

    clock.advance(hours=1)
    twilio.sms(CONTACT, "hello again")
    delivered = twilio.deliver()
    with wl.db.unit_of_work() as session:
        again = session.scalars(select(Contact).where(Contact.id != first_id)).one()
        assert again.alias != alias
        assert again.number_hash == wl.vault.lookup_hash(CONTACT)
        conv = session.scalars(
            select(Conversation).where(Conversation.contact_id == again.id)
        ).one()
        assert conv.status == "assigned"
    greeting = twilio.texts_to(CONTACT, delivered)
    assert greeting, "the returning number is greeted as a new contact"
    assert any(again.alias in body for body in twilio.texts_to(ann.phone, delivered))


def test_report_figures_are_the_same_before_and_after_erasure(twilio, people, clock) -> None:
    wl = twilio.wl
    ann = people.volunteer("Ann")
    close_all(twilio, ann, talk(twilio, ann))
    close_all(twilio, ann, talk(twilio, ann, OTHER))
    with wl.db.unit_of_work() as session:
        contact_id = session.scalars(
            select(Contact.id).where(Contact.number_hash == wl.vault.lookup_hash(CONTACT))
        ).one()
    add_voicemail(wl, twilio.standin, contact_id)
    since, until = clock.now - dt.timedelta(days=7), clock.now + dt.timedelta(days=1)

    def figures() -> tuple[Any, ...]:
        with wl.db.unit_of_work() as session:
            return (
                reports.summary(session, wl.settings, since, until),
                reports.load_per_volunteer(session, since, until),
                reports.contacts_per_day(session, wl.settings, since, until),
            )

    before, inputs = figures(), report_inputs(wl)
    assert before[0].contacts == 3 and before[0].calls.voicemail == 1

    erase(wl, CONTACT)

    assert figures() == before
    assert report_inputs(wl) == inputs


def test_erasure_deletes_voicemails_ours_and_twilios(twilio, people) -> None:
    wl = twilio.wl
    ann = people.volunteer("Ann")
    close_all(twilio, ann, talk(twilio, ann))
    contact_id = export(wl, CONTACT)["contact"]["id"]
    conv_id = add_voicemail(wl, twilio.standin, contact_id)
    other = twilio.standin.add_recording()  # someone else's: untouched

    done = erase(wl, contact_id)

    assert (done.recordings, done.twilio_deleted, done.twilio_pending) == (1, 1, 0)
    assert twilio.standin.recordings() == {other}
    with wl.db.unit_of_work() as session:
        conv = session.get_one(Conversation, conv_id)
        assert (conv.recording_sid, conv.recording_url, conv.recording_seconds) == (None, None, 14)


def test_a_recording_twilio_could_not_delete_is_retried_by_housekeeping(twilio, people) -> None:
    wl = twilio.wl
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hi")
    contact_id = export(wl, CONTACT)["contact"]["id"]
    conv_id = add_voicemail(wl, twilio.standin, contact_id)
    twilio.standin.fail_next(status=503)

    done = erase(wl, CONTACT)

    assert (done.twilio_deleted, done.twilio_pending) == (0, 1)
    with wl.db.unit_of_work() as session:
        conv = session.get_one(Conversation, conv_id)
        assert conv.recording_url is None and conv.recording_sid is not None
    assert len(twilio.standin.recordings()) == 1
    assert delete_at_twilio(wl.db, wl.sender) == (1, 0)
    assert twilio.standin.recordings() == set()
    assert delete_at_twilio(wl.db, wl.sender) == (0, 0)  # nothing left to do
    # Erasing again is harmless and says so.
    assert erase(wl, contact_id).already


def test_erasing_an_open_conversation_closes_it_and_cancels_its_unsent_texts(
    twilio, people
) -> None:
    wl = twilio.wl
    ann = people.volunteer("Ann")
    twilio.sms(CONTACT, "please don't keep this")  # relay and greeting still in the outbox

    erase(wl, CONTACT)

    with wl.db.unit_of_work() as session:
        conv = session.scalars(select(Conversation)).one()
        assert (conv.status, conv.close_reason) == ("closed", "erased")
        texts = session.scalars(select(Outbound)).all()
        assert texts and all(t.status == "failed" and t.body is None for t in texts)
    assert twilio.deliver() == []
    # Ann is free again: the next contact reaches her.
    twilio.sms(OTHER, "hello")
    assert twilio.texts_to(ann.phone, twilio.deliver())


def test_export_gives_everything_kept_and_no_number(twilio, people, clock) -> None:
    wl = twilio.wl
    ann = people.volunteer("Ann")
    relay = talk(twilio, ann)
    close_all(twilio, ann, relay)
    contact_id = export(wl, CONTACT)["contact"]["id"]
    add_voicemail(wl, twilio.standin, contact_id)

    data = export(wl, "  " + CONTACT[2:5] + "-" + CONTACT[5:8] + "-" + CONTACT[8:])

    text = json.dumps(data)  # JSON-serialisable as it is
    for number in (CONTACT, CONTACT[2:], ann.phone, ann.phone[2:], relay):
        assert number not in text
    assert data["contact"]["alias"] and data["contact"]["erased"] is False
    sms, voice = data["conversations"]
    assert [(m["author"], m["body"]) for m in sms["messages"]] == [
        ("contact", "I had an awful week at work"),
        ("volunteer", "I'm here, tell me more"),
        ("contact", "thanks for listening"),
    ]
    assert sms["messages"][0]["at"] == clock.now.isoformat()
    assert sms["note"] == "talked about work stress"
    assert voice["voicemail"]["seconds"] == 14 and voice["voicemail"]["kept"] is True
    assert any(t["kind"] != "relay" for t in data["texts_from_the_line"])
    assert "Ann" not in text  # volunteers are not named to the contact

    erase(wl, contact_id)
    after = export(wl, contact_id)
    assert after["contact"]["erased"] is True
    bodies = [m["body"] for c in after["conversations"] for m in c["messages"]]
    assert bodies and set(bodies) == {None}
    assert after["conversations"][1]["voicemail"]["kept"] is False
    assert after["conversations"][0]["note"] is None


def test_both_are_audited_without_numbers(twilio, people) -> None:
    wl = twilio.wl
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hi")
    export(wl, CONTACT)
    erase(wl, CONTACT)
    with wl.db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.action, e.actor_name, e.actor_kind) for e in entries] == [
            ("contact.export", "tester", "cli"),
            ("contact.erase", "tester", "cli"),
        ]
        contact_id = session.scalars(select(Contact.id)).one()
        assert {e.target for e in entries} == {f"contact:{contact_id}"}
        assert all(CONTACT[2:] not in (e.detail or "") for e in entries)


def test_a_contact_is_found_by_id_number_or_alias_and_errors_name_no_number(
    twilio, people
) -> None:
    wl = twilio.wl
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hi")
    data = export(wl, CONTACT)
    contact_id, alias = data["contact"]["id"], data["contact"]["alias"]

    assert export(wl, alias.upper())["contact"]["id"] == contact_id
    assert export(wl, contact_id)["contact"]["id"] == contact_id
    for ref, error in [
        (OTHER, ContactNotFound),
        ("+1 202 555", ContactNotFound),
        ("Nobody Here", ContactNotFound),
        (contact_id + 1, ContactNotFound),
    ]:
        with pytest.raises(error) as raised:
            export(wl, ref)
        assert "555" not in str(raised.value)
    with wl.db.unit_of_work() as session:  # two contacts under one alias: only the id will do
        session.add(
            Contact(number_hash="x" * 64, number_encrypted=wl.vault.encrypt("anonymous"),
                    reachable=False, alias=alias, created_at=wl.clock())  # fmt: skip
        )
    with pytest.raises(ContactError, match="several contacts"):
        export(wl, alias)


def test_twilio_copies_are_deleted_only_for_the_erased_contact(twilio, people, clock) -> None:
    wl = twilio.wl
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hi")
    twilio.sms(OTHER, "hello")
    ids = {n: export(wl, n)["contact"]["id"] for n in (CONTACT, OTHER)}
    mine = add_voicemail(wl, twilio.standin, ids[CONTACT])
    theirs = add_voicemail(wl, twilio.standin, ids[OTHER])
    clock.advance(minutes=5)
    erase(wl, CONTACT)
    with wl.db.unit_of_work() as session:
        assert session.get_one(Conversation, mine).recording_sid is None
        kept = session.get_one(Conversation, theirs)
        assert kept.recording_sid in twilio.standin.recordings()
        assert kept.recording_url is not None


def test_only_a_coordinator_may_erase_or_export(twilio, people) -> None:
    wl = twilio.wl
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hi")
    supervisor = Actor("token", "crm", "supervisor")
    with wl.db.unit_of_work() as session, pytest.raises(PermissionDenied):
        contacts.erase_contact(session, wl.context, supervisor, CONTACT, wl.clock(), wl.sender)
    with wl.db.unit_of_work() as session, pytest.raises(PermissionDenied):
        contacts.export_contact(session, wl.context, supervisor, CONTACT, wl.clock())
    assert export(wl, CONTACT)["conversations"][0]["messages"][0]["body"] == "hi"
