"""Texting end to end through signed webhooks, on SQLite and PostgreSQL (SPEC §4-§6)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from warmline.db.models import Contact, Conversation, Message, Outbound

CONTACT = "+12025550101"
OTHER = "+12025550102"


def test_contact_text_reaches_on_shift_volunteer_under_alias(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi, is anyone there?")
    delivered = twilio.deliver()
    to_contact = twilio.texts_to(CONTACT, delivered)
    to_sam = twilio.texts_to(sam.phone, delivered)
    assert len(to_contact) == 1 and "peer volunteer" in to_contact[0]  # the greeting
    assert len(to_sam) == 2  # how to answer, then the message itself
    assert "Reply to this number" in to_sam[0]
    alias = to_sam[1].split("]")[0].strip("[")
    assert to_sam[1] == f"[{alias}] hi, is anyone there?"
    assert CONTACT not in " ".join(to_sam) and "2025550101" not in " ".join(to_sam)
    relay = next(m["From"] for m in delivered if m["To"] == sam.phone)
    assert relay in twilio.wl.settings.line.relay_numbers


def test_volunteer_reply_reaches_contact_from_line_number(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    delivered = twilio.deliver()
    relay = next(m["From"] for m in delivered if m["To"] == sam.phone)
    twilio.sms(sam.phone, "Hi, I'm here. What's on your mind? 🌙", to=relay)
    delivered = twilio.deliver()
    assert [(m["To"], m["From"], m["Body"]) for m in delivered] == [
        (CONTACT, twilio.wl.settings.line.public_number, "Hi, I'm here. What's on your mind? 🌙")
    ]


def test_two_volunteers_two_relays_each_reply_reaches_the_right_contact(twilio, people):
    a, b = people.volunteer("A", capacity=2), people.volunteer("B", capacity=2)
    contacts = [f"+120255501{n:02d}" for n in range(10, 14)]
    for c in contacts:
        twilio.sms(c, f"hello from {c[-2:]}")
    delivered = twilio.deliver()
    # Each volunteer holds two conversations, each on a different relay number.
    bindings = {}
    for m in delivered:
        if m["To"] in (a.phone, b.phone) and m["Body"].startswith("["):
            sender = m["Body"].split("hello from ")[1]
            bindings[sender] = (m["To"], m["From"])
    assert len(bindings) == 4
    for volunteer in (a, b):
        relays = [r for v, r in bindings.values() if v == volunteer.phone]
        assert sorted(relays) == sorted(twilio.wl.settings.line.relay_numbers)
    for tail, (volunteer_phone, relay) in bindings.items():
        twilio.sms(volunteer_phone, f"reply for {tail}", to=relay)
    delivered = twilio.deliver()
    assert sorted((m["To"][-2:], m["Body"]) for m in delivered) == sorted(
        (tail, f"reply for {tail}") for tail in bindings
    )


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop! ", "unsubscribe", "QUIT", "OptOut"])
def test_stop_opts_out_and_closes_the_conversation(twilio, people, word):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    twilio.sms(CONTACT, word)
    delivered = twilio.deliver()
    assert twilio.texts_to(CONTACT, delivered) == []
    assert any("opted out" in body for body in twilio.texts_to(sam.phone, delivered))
    twilio.sms(CONTACT, "are you there?")
    assert twilio.texts_to(CONTACT, twilio.deliver()) == []
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Contact.opted_out)) is True
        assert session.scalar(select(Conversation.status)) == "closed"
        assert (
            session.scalar(select(func.count(Message.id)).where(Message.author == "contact")) == 3
        )


def test_start_opts_back_in_and_yes_is_otherwise_a_reply(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "STOP")
    twilio.sms(CONTACT, "start")
    delivered = twilio.deliver()
    assert any("Welcome back" in b for b in twilio.texts_to(CONTACT, delivered))
    twilio.sms(OTHER, "hi")
    twilio.sms(OTHER, "yes")
    delivered = twilio.deliver()
    assert any(b.endswith("] yes") for b in twilio.texts_to(sam.phone, delivered))


def test_help_gets_help_text_and_still_reaches_a_volunteer(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "HELP")
    delivered = twilio.deliver()
    to_contact = twilio.texts_to(CONTACT, delivered)
    assert any("988" in b and "Riverside Warmline" in b for b in to_contact)
    assert any(b.endswith("] HELP") for b in twilio.texts_to(sam.phone, delivered))


def test_stop_inside_a_longer_message_is_an_ordinary_message(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "please stop texting me so fast")
    delivered = twilio.deliver()
    assert any(
        b.endswith("] please stop texting me so fast")
        for b in twilio.texts_to(sam.phone, delivered)
    )
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Contact.opted_out)) is False


def test_duplicate_message_sid_is_acted_on_once(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi", sid="SM" + "d" * 32)
    twilio.sms(CONTACT, "hi", sid="SM" + "d" * 32)
    delivered = twilio.deliver()
    assert len(twilio.texts_to(sam.phone, delivered)) == 2  # intro + one relay
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Message.id))) == 1


def test_bad_signature_is_refused(twilio, people):
    form = {"MessageSid": "SM" + "a" * 32, "From": CONTACT, "To": "+15550100000", "Body": "hi"}
    response = twilio.post("/twilio/sms", form, signature="bm90IGEgc2lnbmF0dXJl")
    assert response.status_code == 403
    response = twilio.client.post("/twilio/sms", data=form)
    assert response.status_code == 403
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Message.id))) == 0


@pytest.mark.parametrize("missing", ["From", "To", "MessageSid"])
def test_missing_required_field_is_a_400_with_reason(twilio, missing):
    form = {"MessageSid": "SM" + "b" * 32, "From": CONTACT, "To": "+15550100000", "Body": "hi"}
    del form[missing]
    response = twilio.post("/twilio/sms", form)
    assert response.status_code == 400
    assert missing in response.get_data(as_text=True)


def test_unknown_fields_are_tolerated(twilio, people):
    people.volunteer("Sam")
    twilio.sms(CONTACT, "hi", FromCountry="US", SomethingNew="x", ApiVersion="2010-04-01")
    assert len(twilio.deliver()) == 3


def test_mms_is_not_forwarded_the_volunteer_is_told(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "look", NumMedia="1", MediaUrl0="https://example.com/x.jpg")
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    assert any("sent a picture" in b for b in to_sam)
    assert any(b.endswith("] look") for b in to_sam)
    assert not any("example.com" in b for b in to_sam)


@pytest.mark.parametrize(
    "body",
    [
        "مرحبا، أنا وحيد الليلة",
        "Ça va? J'ai besoin de parler 😢👋🏽",
        "x" * 5000,
    ],
)
def test_any_text_is_relayed_unchanged(twilio, people, body):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, body)
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    relayed = "".join(b for b in to_sam[1:])
    prefix = to_sam[1].split("] ")[0] + "] "
    assert relayed.replace(prefix, "", 1).replace(" ", "") == body.replace(" ", "")
    assert all(len(b) <= 1600 for b in to_sam)


@pytest.mark.parametrize("sender", ["anonymous", "12345", "client:alice", "+1", "  "])
def test_odd_from_values_lose_nothing(twilio, people, sender):
    sam = people.volunteer("Sam")
    form = {"MessageSid": "SM" + "e" * 32, "From": sender, "To": "+15550100000", "Body": "hey"}
    response = twilio.post("/twilio/sms", form)
    if not sender.strip():
        assert response.status_code == 400
        return
    assert response.status_code == 200
    delivered = twilio.deliver()
    assert any(b.endswith("] hey") for b in twilio.texts_to(sam.phone, delivered))
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Message.id))) == 1
        failed = session.scalars(select(Outbound).where(Outbound.status == "failed")).all()
        assert {o.error for o in failed} <= {None}


@pytest.mark.parametrize(
    ("path", "form", "reason"),
    [
        (
            "/twilio/sms",
            {"MessageSid": "SM" + "x" * 100, "From": CONTACT, "To": "+15550100000"},
            "not a Twilio SID",
        ),
        (
            "/twilio/sms",
            {"MessageSid": "SM1'; drop table", "From": CONTACT, "To": "+15550100000"},
            "not a Twilio SID",
        ),
        ("/twilio/sms/status", {"MessageStatus": "sent"}, "MessageSid"),
        ("/twilio/sms/status", {"MessageSid": "SM" + "1" * 32}, "MessageStatus"),
    ],
)
def test_malformed_webhooks_get_a_400_with_reason(twilio, path, form, reason):
    response = twilio.post(path, form)
    assert response.status_code == 400 and reason in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "extra",
    [{"NumMedia": "lots"}, {"NumMedia": "-3"}, {"Body": ""}, {"Body": "\x00\u202e\ufeff"}],
)
def test_odd_field_values_do_not_break_the_webhook(twilio, people, extra):
    people.volunteer("Sam")
    twilio.sms(CONTACT, "hi", **extra)


def test_odd_status_values_are_harmless(twilio):
    twilio.sms(CONTACT, "hi")
    sid = twilio.deliver()[0]["Sid"]
    for status, code in (("weird", ""), ("failed", "99999999999999"), ("DELIVERED", "x")):
        form = {"MessageSid": sid, "MessageStatus": status, "ErrorCode": code}
        assert twilio.post("/twilio/sms/status", form).status_code == 204
