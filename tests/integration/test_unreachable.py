"""A volunteer who cannot be reached loses the conversation to another (SPEC §12), both when
Twilio refuses the send for good and when the status callback says it never arrived."""

from __future__ import annotations

from sqlalchemy import select

from warmline.db.models import Conversation, Outbound, Volunteer

X = "+12025550121"


def holder(twilio) -> int | None:
    with twilio.wl.db.unit_of_work() as session:
        return session.scalar(
            select(Conversation.volunteer_id).where(Conversation.status != "closed")
        )


def paused(twilio, volunteer) -> bool:
    with twilio.wl.db.unit_of_work() as session:
        return session.get_one(Volunteer, volunteer.id).paused


def test_a_send_twilio_refuses_for_good_hands_the_conversation_over(twilio, people, twilio_standin):
    ann, bob = people.volunteer("Ann"), people.volunteer("Bob")
    twilio.sms(X, "hello")
    twilio.deliver()
    assert holder(twilio) == ann.id
    twilio.sms(X, "are you there?")  # the texts due: its relay to Ann, then the next one's
    twilio.sms(X, "hello??")
    twilio_standin.fail_next(status=400, code=21211, message="Invalid 'To' Phone Number")
    delivered = twilio.deliver()
    to_bob = twilio.texts_to(bob.phone, delivered)
    assert "Reply to this number" in to_bob[0]
    assert [b.split("] ", 1)[1] for b in to_bob[1:]] == ["hello", "are you there?", "hello??"]
    assert not any("hello??" in b for b in twilio.texts_to(ann.phone, delivered))
    assert holder(twilio) == bob.id
    assert paused(twilio, ann) and not paused(twilio, bob)
    with twilio.wl.db.unit_of_work() as session:
        failed = session.scalars(
            select(Outbound).where(Outbound.status == "failed").order_by(Outbound.id)
        ).all()
        assert [(f.volunteer_id, f.error_code, f.attempts) for f in failed] == [
            (ann.id, 21211, 1),
            (ann.id, None, 0),  # not sent: handed over first
        ]


def test_an_undelivered_status_callback_hands_the_conversation_over(twilio, people):
    ann, bob = people.volunteer("Ann"), people.volunteer("Bob")
    twilio.sms(X, "hello")
    delivered = twilio.deliver()
    relay_sid = next(m["Sid"] for m in delivered if m["To"] == ann.phone and "] hello" in m["Body"])
    response = twilio.post(
        "/twilio/sms/status",
        {"MessageSid": relay_sid, "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )
    assert response.status_code == 204
    delivered = twilio.deliver()
    assert [b for b in twilio.texts_to(bob.phone, delivered) if b.startswith("[")][0].endswith(
        "] hello"
    )
    assert any("could not deliver" in b for b in twilio.texts_to(ann.phone, delivered))
    assert holder(twilio) == bob.id
    assert paused(twilio, ann)
    # Twilio repeats callbacks: the second one changes nothing.
    twilio.post(
        "/twilio/sms/status",
        {"MessageSid": relay_sid, "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )
    assert holder(twilio) == bob.id and twilio.deliver() == []


def test_a_failed_callback_for_a_conversation_already_handed_on_does_nothing(twilio, people):
    ann, bob = people.volunteer("Ann"), people.volunteer("Bob")
    twilio.sms(X, "hello")
    delivered = twilio.deliver()
    relay = next(m["From"] for m in delivered if m["To"] == ann.phone)
    sid = next(m["Sid"] for m in delivered if m["To"] == ann.phone)
    twilio.sms(ann.phone, "#pass", to=relay)
    twilio.deliver()
    twilio.post("/twilio/sms/status", {"MessageSid": sid, "MessageStatus": "failed"})
    assert holder(twilio) == bob.id
    assert not paused(twilio, ann)


def test_an_unreachable_volunteer_with_nobody_else_leaves_the_contact_first_in_line(
    twilio, people, twilio_standin
):
    ann = people.volunteer("Ann")
    twilio.sms(X, "hello")
    twilio.deliver()
    twilio.sms(X, "hello?")
    twilio_standin.fail_next(status=400, code=21211)
    twilio.deliver()
    with twilio.wl.db.unit_of_work() as session:
        conv = session.scalars(select(Conversation)).one()
        assert (conv.status, conv.front_of_queue) == ("queued", True)
    twilio.sms(ann.phone, "#on")  # Ann passed it on by failing: she never gets it back
    assert holder(twilio) is None
