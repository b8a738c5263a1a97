"""A contact's language end to end (SPEC §8 "Languages"): every text a contact gets is in the
language of their messages, or the one they pick with ESPAÑOL / ENGLISH; crisis resources
first. Through signed webhooks and the Twilio stand-in, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from warmline.db.models import Contact
from warmline.worker import jobs

CONTACT = "+12025550101"
COORDINATOR = "+12025550199"


@pytest.fixture(autouse=True)
def coordinators(wl):
    wl.settings = wl.settings.with_(coordinator_numbers=(COORDINATOR,))
    wl.context = dataclasses.replace(wl.context, settings=wl.settings)


def es(wl, name: str, **values: object) -> str:
    """The [texts.es] text ``name`` as a contact should receive it."""
    line = wl.settings.line
    template = getattr(wl.settings.texts_es, name)
    return template.format(line=line.name, hours=line.hours, **values)


def en(wl, name: str, **values: object) -> str:
    """The [texts] text ``name`` as a contact should receive it."""
    line = wl.settings.line
    return getattr(wl.settings.texts, name).format(line=line.name, hours=line.hours, **values)


def relay_of(volunteer, delivered) -> str:
    return next(m["From"] for m in delivered if m["To"] == volunteer.phone)


def language(wl) -> tuple[str | None, bool]:
    with wl.db.unit_of_work() as session:
        row = session.execute(select(Contact.language, Contact.language_chosen)).one()
        return row[0], row[1]


def test_a_spanish_crisis_text_gets_spanish_resources_first_then_the_spanish_greeting(
    twilio, people
):
    people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "ya no quiero vivir, me quiero matar")  # a new contact's first text
    delivered = twilio.deliver()
    wl = twilio.wl
    assert twilio.texts_to(CONTACT, delivered) == [es(wl, "crisis_resources"), es(wl, "greeting")]
    assert "988" in es(wl, "crisis_resources") and "911" in es(wl, "crisis_resources")
    [alert] = twilio.texts_to(sue.phone, delivered)
    assert alert.startswith("Warmline ESCALATION #")  # volunteers keep the line's language
    assert language(wl) == ("es", False)


def test_espanol_switches_an_english_contact_and_english_switches_back(twilio, people):
    sam = people.volunteer("Sam")
    wl = twilio.wl
    twilio.sms(CONTACT, "hi, I just need to talk to someone tonight")
    delivered = twilio.deliver()
    assert twilio.texts_to(CONTACT, delivered) == [en(wl, "greeting")]
    relay = relay_of(sam, delivered)
    alias = twilio.texts_to(sam.phone, delivered)[1].split("]")[0].strip("[")

    twilio.sms(CONTACT, "Español!")
    delivered = twilio.deliver()
    assert twilio.texts_to(CONTACT, delivered) == [es(wl, "language_changed")]
    assert twilio.texts_to(sam.phone, delivered) == [f"[{alias}] Español!"]  # Sam knows too
    assert language(wl) == ("es", True)

    twilio.sms(CONTACT, "help")
    assert twilio.texts_to(CONTACT, twilio.deliver()) == [es(wl, "help")]
    twilio.sms(CONTACT, "I want to kill myself")  # English words do not undo a choice
    assert twilio.texts_to(CONTACT, twilio.deliver()) == [es(wl, "crisis_resources")]
    assert language(wl) == ("es", True)

    twilio.sms(CONTACT, "in english")
    delivered = twilio.deliver()
    assert twilio.texts_to(CONTACT, delivered) == [en(wl, "language_changed")]
    assert twilio.texts_to(sam.phone, delivered) == [f"[{alias}] in english"]
    twilio.sms(sam.phone, "#end", to=relay)
    assert twilio.texts_to(CONTACT, twilio.deliver()) == [en(wl, "closing")]
    assert language(wl) == ("en", True)


def test_a_spanish_contact_gets_every_automatic_text_in_spanish(twilio, people, clock):
    wl = twilio.wl
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms("+12025550177", "hi there, can we talk?")  # Sam is busy with someone
    twilio.sms(sam.phone, "Hi, I'm Sam", to=relay_of(sam, twilio.deliver()))
    twilio.sms(CONTACT, "hola, estoy muy sola esta noche")
    delivered = twilio.deliver()
    assert twilio.texts_to(CONTACT, delivered) == [
        es(wl, "greeting"),
        es(wl, "queued", place=1),
    ]
    clock.advance(minutes=wl.settings.timeouts.queue_update_minutes)
    jobs.fire_timers(wl, clock())
    assert twilio.texts_to(CONTACT, twilio.deliver()) == [es(wl, "still_queued", place=1)]

    twilio.sms(CONTACT, "stop")
    twilio.sms(CONTACT, "start")
    assert twilio.texts_to(CONTACT, twilio.deliver()) == [es(wl, "opted_in")]


def test_an_idle_spanish_conversation_is_closed_in_spanish(twilio, people, clock):
    wl = twilio.wl
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hola, necesito hablar con alguien")
    twilio.sms(sam.phone, "Hola, soy Sam", to=relay_of(sam, twilio.deliver()))
    twilio.deliver()
    clock.advance(minutes=wl.settings.timeouts.idle_close_minutes + 1)
    jobs.fire_timers(wl, clock())
    assert twilio.texts_to(CONTACT, twilio.deliver()) == [es(wl, "idle_closing")]


def test_texts_es_in_the_line_file_override_the_spanish_defaults(twilio, people):
    wl = twilio.wl
    spanish = dataclasses.replace(wl.settings.texts_es, greeting="¡Hola desde {line}!")
    wl.settings = wl.settings.with_(texts_es=spanish)
    wl.context = dataclasses.replace(wl.context, settings=wl.settings)
    people.volunteer("Sam")
    twilio.sms(CONTACT, "hola, necesito ayuda por favor")
    assert twilio.texts_to(CONTACT, twilio.deliver()) == [f"¡Hola desde {wl.settings.line.name}!"]
