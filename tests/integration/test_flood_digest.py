"""A flood from one contact reaches the volunteer as digests, not hundreds of texts, and loses
nothing (issue 13), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from warmline import outbox
from warmline.db.models import Message, Outbound

CONTACT = "+12025550142"
FLOOD = 200


def test_a_flood_reaches_the_volunteer_as_digests_and_loses_nothing(twilio, people, clock):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    received = twilio.texts_to(sam.phone, twilio.deliver())
    for n in range(FLOOD):  # 200 texts in one minute, the worker ticking as it does
        twilio.sms(CONTACT, f"flood {n}")
        clock.advance(seconds=0.3)
        received += twilio.texts_to(sam.phone, twilio.deliver())
    for _ in range(40):  # the rest drains as digests
        clock.advance(seconds=outbox.DIGEST_EVERY.total_seconds())
        received += twilio.texts_to(sam.phone, twilio.deliver())

    relayed = [n for text in received for n in re.findall(r"\] flood (\d+)", text)]
    assert relayed == [str(n) for n in range(FLOOD)]  # every text, once, in order
    texts_in_the_first_minute = len(received)
    assert texts_in_the_first_minute < 20, f"{texts_in_the_first_minute} texts to the volunteer"
    assert all(len(text) <= outbox.MAX_BODY for text in received)
    with twilio.wl.db.unit_of_work() as session:
        stored = session.scalar(select(func.count(Message.id)).where(Message.body.like("flood%")))
        unsent = session.scalar(
            select(func.count(Outbound.id)).where(Outbound.status.in_(outbox.UNSENT))
        )
    assert stored == FLOOD and unsent == 0


def test_an_ordinary_conversation_is_not_digested(twilio, people, clock):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    received = []
    for n in range(8):  # a text every 15 seconds: a quick talker, not a flood
        twilio.sms(CONTACT, f"line {n}")
        received += twilio.texts_to(sam.phone, twilio.deliver())
        clock.advance(seconds=15)
    assert [t.split("] ", 1)[1] for t in received] == [f"line {n}" for n in range(8)]


def test_a_digest_that_fails_for_good_fails_the_relays_it_carried(twilio, people, clock):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    for n in range(12):
        twilio.sms(CONTACT, f"flood {n}")
    twilio.deliver()  # five single relays went out; the rest wait for a digest
    clock.advance(seconds=outbox.DIGEST_EVERY.total_seconds())
    twilio.standin.fail_next(1, status=400, code=21211)  # Twilio refuses the digest for good
    twilio.deliver()
    with twilio.wl.db.unit_of_work() as session:
        relays = session.scalars(
            select(Outbound).where(Outbound.volunteer_id == sam.id, Outbound.kind == "relay")
        ).all()
        statuses = {r.status for r in relays}
    assert "merged" not in statuses and "failed" in statuses
