"""A contact writing again in an open conversation takes the short way (``routing.arrival``),
which relays by the same rule and writes as the general way (``routing.relay``); the spy only
tells the tests that they did go the short way. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from warmline.db.models import Conversation, Message, Outbound, Timer
from warmline.routing import inbound
from warmline.worker.jobs import fire_timers

X, Y = "+12025550121", "+12025550122"


@pytest.fixture
def short_way(monkeypatch) -> list[str]:
    """The bodies of the texts that took the short way (so the tests know they tested it)."""
    taken: list[str] = []
    real = inbound.relay_plain

    def spy(session, ctx, arrival, body, now):
        taken.append(body)
        real(session, ctx, arrival, body, now)

    monkeypatch.setattr(inbound, "relay_plain", spy)
    return taken


def relay_of(volunteer, delivered) -> str:
    return [m["From"] for m in delivered if m["To"] == volunteer.phone][-1]


def response_timer(twilio) -> tuple[object, object]:
    """(when the conversation started waiting for a reply, when its response timer is due)."""
    with twilio.wl.db.unit_of_work() as session:
        conv = session.scalars(select(Conversation)).one()
        timer = session.scalars(
            select(Timer).where(Timer.key == f"response:{conv.id}", Timer.done_at.is_(None))
        ).first()
        return conv.awaiting_reply_since, timer.due_at if timer else None


def test_writing_again_after_a_reply_is_relayed_and_restarts_the_response_clock(
    twilio, people, clock, short_way
):
    ann = people.volunteer("Ann")
    twilio.sms(X, "hello?")
    relay = relay_of(ann, twilio.deliver())
    twilio.sms(ann.phone, "Hi, I'm Ann", to=relay)
    twilio.deliver()
    assert response_timer(twilio) == (None, None)  # the reply stopped the clock
    clock.advance(minutes=3)
    twilio.sms(X, "thanks, it's been a long day")
    delivered = twilio.deliver()
    assert twilio.relayed_to(ann.phone, delivered) == ["thanks, it's been a long day"]
    assert relay_of(ann, delivered) == relay  # on the same relay number
    minutes = twilio.wl.settings.timeouts.response_minutes
    started = clock.now
    assert response_timer(twilio) == (
        started,
        started + dt.timedelta(minutes=minutes),
    )
    clock.advance(minutes=1)
    twilio.sms(X, "are you there?")  # a running clock is not restarted
    assert twilio.relayed_to(ann.phone, twilio.deliver()) == ["are you there?"]
    assert response_timer(twilio)[0] == started
    clock.advance(minutes=minutes - 1)
    fire_timers(twilio.wl, clock.now)
    assert any("waited" in b for b in twilio.texts_to(ann.phone, twilio.deliver()))
    assert short_way == ["thanks, it's been a long day", "are you there?"]
    # The outbox rows of the short way are those of the general way (the first text's relay).
    with twilio.wl.db.unit_of_work() as session:
        relays = session.scalars(
            select(Outbound).where(Outbound.volunteer_id == ann.id, Outbound.body.like("[%"))
        ).all()
        columns = ("kind", "volunteer_id", "contact_id", "conversation_id", "from_number")
        columns += ("to_encrypted", "dedupe_key")
        shapes = {tuple(getattr(r, c) for c in columns) for r in relays}
    assert len(relays) == 3 and len(shapes) == 1


def test_a_waiting_contact_writing_again_is_kept_for_the_volunteer_who_takes_them(
    twilio, people, short_way
):
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(X, "first")
    relay = relay_of(sam, twilio.deliver())
    twilio.sms(Y, "me too")
    twilio.deliver()
    twilio.sms(Y, "still waiting")
    assert twilio.relayed_to(sam.phone, twilio.deliver()) == []  # queued: nothing relayed yet
    twilio.sms(sam.phone, "#end", to=relay)
    assert twilio.relayed_to(sam.phone, twilio.deliver()) == ["me too", "still waiting"]
    with twilio.wl.db.unit_of_work() as session:
        bodies = session.scalars(
            select(Message.body).where(Message.author == "contact").order_by(Message.id)
        ).all()
    assert bodies == ["first", "me too", "still waiting"]
    assert short_way == ["still waiting"]


def test_a_long_text_is_relayed_whole_in_parts(twilio, people, short_way):
    ann = people.volunteer("Ann")
    twilio.sms(X, "hello")
    twilio.deliver()
    long = " ".join(f"word{i}" for i in range(700))  # about 5,500 characters
    twilio.sms(X, long)
    parts = [b for b in twilio.texts_to(ann.phone, twilio.deliver())]
    assert len(parts) > 1 and all(len(p) <= 1600 for p in parts)
    alias = parts[0].split("]")[0] + "]"
    assert " ".join(parts) == f"{alias} {long}"
    assert short_way == [long]
