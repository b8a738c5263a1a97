"""Volunteer commands, the queue, after-hours and relay numbers without a pool (SPEC §5-§7)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import People, TwilioActions, settings_for
from warmline.app import create_app
from warmline.bootstrap import bootstrap
from warmline.db.models import Conversation

CONTACT, OTHER, THIRD = "+12025550101", "+12025550102", "+12025550103"


def relay_of(delivered, volunteer):
    return next(m["From"] for m in delivered if m["To"] == volunteer.phone)


def test_end_closes_and_contact_gets_closing_text(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    relay = relay_of(twilio.deliver(), sam)
    twilio.sms(sam.phone, "#end went fine", to=relay)
    delivered = twilio.deliver()
    assert any("Thank you for texting" in b for b in twilio.texts_to(CONTACT, delivered))
    assert any("closed" in b for b in twilio.texts_to(sam.phone, delivered))
    with twilio.wl.db.unit_of_work() as session:
        conv = session.scalars(select(Conversation)).one()
        assert (conv.status, conv.close_reason, conv.note) == ("closed", "ended", "went fine")
    twilio.sms(sam.phone, "still there?", to=relay)
    assert any("no open conversation" in b for b in twilio.texts_to(sam.phone, twilio.deliver()))


def test_pass_hands_over_and_never_back(twilio, people):
    sam, alex = people.volunteer("Sam", capacity=1), people.volunteer("Alex", capacity=1)
    twilio.sms(CONTACT, "hi")
    delivered = twilio.deliver()
    first = sam if twilio.texts_to(sam.phone, delivered) else alex
    second = alex if first is sam else sam
    twilio.sms(first.phone, "#pass", to=relay_of(delivered, first))
    delivered = twilio.deliver()
    assert any("handed to another volunteer" in b for b in twilio.texts_to(first.phone, delivered))
    assert any(b.endswith("] hi") for b in twilio.texts_to(second.phone, delivered))
    twilio.sms(second.phone, "#pass", to=relay_of(delivered, second))
    delivered = twilio.deliver()
    assert any("front of the queue" in b for b in twilio.texts_to(second.phone, delivered))
    assert twilio.texts_to(first.phone, delivered) == []  # never returned to who passed it
    with twilio.wl.db.unit_of_work() as session:
        conv = session.scalars(select(Conversation)).one()
        assert conv.status == "queued" and conv.front_of_queue


def test_off_pauses_and_on_resumes_and_serves_the_queue(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(sam.phone, "#off")
    assert any("Paused" in b for b in twilio.texts_to(sam.phone, twilio.deliver()))
    twilio.sms(CONTACT, "hi")
    delivered = twilio.deliver()
    assert any("number 1 in line" in b for b in twilio.texts_to(CONTACT, delivered))
    twilio.sms(sam.phone, "#ON")
    delivered = twilio.deliver()
    assert any(b.endswith("] hi") for b in twilio.texts_to(sam.phone, delivered))


def test_status_and_help(twilio, people):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    twilio.sms(sam.phone, "#status")
    status = twilio.texts_to(sam.phone, twilio.deliver())[0]
    assert "Open conversations: 1 of 2" in status and "Waiting in the queue: 0" in status
    assert "On shift until" in status and CONTACT not in status
    twilio.sms(sam.phone, "#help")
    assert "#end" in twilio.texts_to(sam.phone, twilio.deliver())[0]
    twilio.sms(sam.phone, "#dance")
    assert "Unknown command #dance" in twilio.texts_to(sam.phone, twilio.deliver())[0]


def test_queue_is_fifo_with_place_in_line(twilio, people):
    sam = people.volunteer("Sam", capacity=1)
    for number in (CONTACT, OTHER, THIRD):
        twilio.sms(number, f"hi from {number[-1]}")
    delivered = twilio.deliver()
    assert any("number 1 in line" in b for b in twilio.texts_to(OTHER, delivered))
    assert any("number 2 in line" in b for b in twilio.texts_to(THIRD, delivered))
    twilio.sms(sam.phone, "#end", to=relay_of(delivered, sam))
    delivered = twilio.deliver()
    assert any(b.endswith("] hi from 2") for b in twilio.texts_to(sam.phone, delivered))


def test_after_hours_text_names_next_opening_and_keeps_it_queued(twilio, people):
    sam = people.volunteer("Sam", on_shift=False)
    people.shift(sam, "tue", "18:00", "22:00")
    twilio.sms(CONTACT, "anyone?")
    texts = twilio.texts_to(CONTACT, twilio.deliver())
    assert any("closed right now" in b and "tomorrow at 6:00 PM" in b and "988" in b for b in texts)
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Conversation.status)) == "queued"


@pytest.fixture
def no_pool(database_url, twilio_standin, clock, tmp_path):
    path = tmp_path / "line.toml"
    path.write_text(
        '[line]\nname = "Solo Line"\ntimezone = "America/New_York"\n'
        'public_number = "+15550100000"\n'
    )
    wl = bootstrap(
        settings_for(database_url, twilio_standin, WARMLINE_CONFIG=str(path)), clock=clock
    )
    yield TwilioActions(create_app(wl).test_client(), wl, twilio_standin), People(wl)
    wl.db.dispose()


def test_without_a_pool_the_public_number_relays_one_conversation_each(no_pool):
    twilio, people = no_pool
    sam, alex = people.volunteer("Sam", capacity=3), people.volunteer("Alex", capacity=3)
    for number in (CONTACT, OTHER, THIRD):
        twilio.sms(number, f"hi {number[-1]}")
    delivered = twilio.deliver()
    to_volunteers = [m for m in delivered if m["To"] in (sam.phone, alex.phone)]
    assert {m["From"] for m in to_volunteers} == {"+15550100000"}
    assert len({m["To"] for m in to_volunteers}) == 2  # one conversation each
    assert any("number 1 in line" in b for b in twilio.texts_to(THIRD, delivered))
    twilio.sms(sam.phone, "hello there")
    delivered = twilio.deliver()
    assert len([m for m in delivered if m["Body"] == "hello there"]) == 1


def test_after_hours_contact_waits_quietly_overnight(twilio, people, clock):
    from warmline.worker import jobs

    people.volunteer("Sam", on_shift=False)
    twilio.sms(CONTACT, "anyone?")
    assert len(twilio.texts_to(CONTACT, twilio.deliver())) == 1  # the after-hours text only
    for _ in range(12):  # six hours of timers
        clock.advance(minutes=30)
        jobs.fire_timers(twilio.wl, clock.now)
    assert twilio.texts_to(CONTACT, twilio.deliver()) == []
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Conversation.status)) == "queued"


def test_waiting_contact_is_told_their_place_again(twilio, people, clock):
    from warmline.worker import jobs

    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(CONTACT, "first")
    twilio.sms(OTHER, "second")
    twilio.sms(sam.phone, "hello, I'm here", to=relay_of(twilio.deliver(), sam))
    clock.advance(minutes=10)
    jobs.fire_timers(twilio.wl, clock.now)
    assert any("still in line (number 1)" in b for b in twilio.texts_to(OTHER, twilio.deliver()))
