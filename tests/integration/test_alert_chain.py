"""An escalation alert always reaches a person (SPEC §8), end to end on SQLite and PostgreSQL:
supervisors on shift, else the coordinators' numbers, else every volunteer on shift; a supervisor
who is the contact's own volunteer is never the only one told."""

from __future__ import annotations

import dataclasses

import pytest

CONTACT = "+12025550111"
COORDINATOR = "+12025550198"
CRISIS = "I want to kill myself tonight"


def with_coordinators(wl, *numbers: str) -> None:
    wl.settings = wl.settings.with_(coordinator_numbers=numbers)
    wl.context = dataclasses.replace(wl.context, settings=wl.settings)


def alerts(twilio, number: str, delivered) -> list[str]:
    return [b for b in twilio.texts_to(number, delivered) if b.startswith("Warmline ESCALATION")]


@pytest.mark.parametrize("coordinators", [(COORDINATOR,), ()])
def test_a_supervisor_with_the_contact_is_not_the_only_one_told(twilio, people, coordinators):
    with_coordinators(twilio.wl, *coordinators)
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()  # Sue, the only one on shift, has the contact
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, CRISIS)
    delivered = twilio.deliver()
    assert len(alerts(twilio, sue.phone, delivered)) == 1
    if coordinators:
        assert len(alerts(twilio, COORDINATOR, delivered)) == 1
        assert alerts(twilio, sam.phone, delivered) == []
    else:
        assert len(alerts(twilio, sam.phone, delivered)) == 1
    told = [b for b in twilio.texts_to(sue.phone, delivered) if "flagged" in b or "#" in b]
    assert any("alerted" in b for b in told)


def test_no_supervisor_and_no_coordinators_alerts_every_volunteer_on_shift(twilio, people):
    with_coordinators(twilio.wl)
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()  # Sam has the contact
    ann = people.volunteer("Ann")
    bea = people.volunteer("Bea")
    off = people.volunteer("Off", on_shift=False)
    twilio.sms(CONTACT, CRISIS)
    delivered = twilio.deliver()
    [alert] = alerts(twilio, ann.phone, delivered)
    assert len(alerts(twilio, bea.phone, delivered)) == 1
    assert alerts(twilio, off.phone, delivered) == []
    assert alerts(twilio, sam.phone, delivered) == []  # told as the contact's volunteer instead
    told_sam = twilio.texts_to(sam.phone, delivered)
    assert any("volunteers on shift were alerted" in b for b in told_sam), told_sam
    # a volunteer the chain reached may acknowledge it
    esc_id = alert.split("#", 1)[1].split(":", 1)[0]
    twilio.sms(ann.phone, "#ack")
    [answer] = twilio.texts_to(ann.phone, twilio.deliver())
    assert answer.startswith(f"Escalation #{esc_id} ") and "acknowledged" in answer


def test_nobody_but_the_contacts_volunteer_is_said_plainly(twilio, people):
    with_coordinators(twilio.wl)
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()
    twilio.sms(CONTACT, CRISIS)
    told = twilio.texts_to(sam.phone, twilio.deliver())
    assert any("no supervisor or coordinator could be alerted" in b for b in told), told


def test_healthz_says_when_no_coordinator_numbers_are_set(client, wl):
    with_coordinators(wl)
    assert client.get("/healthz").get_json()["alerts"] == "no coordinator numbers"
    with_coordinators(wl, COORDINATOR)
    assert client.get("/healthz").get_json()["alerts"] == "ok"


def test_start_up_warns_without_coordinator_numbers(wl, caplog):
    from warmline.bootstrap import bootstrap

    settings = wl.settings.with_(coordinator_numbers=(), mode="production")
    with caplog.at_level("WARNING"):
        bootstrap(settings, sender=wl.sender).db.dispose()
    assert "alerts.coordinator_numbers is empty" in caplog.text


def test_two_crisis_texts_at_the_same_instant_send_the_resources_once(twilio, people):
    """The contact's row lock serialises the two webhooks; the second sees the first's text."""
    import threading

    people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "hi")  # an existing contact: no unique-insert wait to serialise them
    twilio.deliver()
    start = threading.Barrier(2)
    answers: list[int] = []

    def text(body: str) -> None:
        start.wait()
        answers.append(twilio.sms(CONTACT, body).status_code)

    threads = [
        threading.Thread(target=text, args=(body,))
        for body in ("I want to kill myself", "i want to die tonight")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [200, 200]
    resources = twilio.wl.settings.texts.crisis_resources
    assert twilio.texts_to(CONTACT, twilio.deliver()).count(resources) == 1


def test_a_contact_who_took_a_bottle_of_pills_gets_resources_and_the_supervisor_is_alerted(
    twilio, people
):
    """The end-to-end miss that opened issue 12: an overdose said without any listed phrase."""
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "i just took a whole bottle of my sleeping pills")
    delivered = twilio.deliver()
    to_contact = twilio.texts_to(CONTACT, delivered)
    assert to_contact[0] == twilio.wl.settings.texts.crisis_resources
    [alert] = alerts(twilio, sue.phone, delivered)
    # the words that matched, not the rule's pattern
    assert "'i just took … a whole bottle … sleeping pills'" in alert and "{" not in alert
    assert any("flagged as a possible crisis" in b for b in twilio.texts_to(sam.phone, delivered))


def test_the_escalation_record_keeps_the_rule_not_the_contacts_words(twilio, people):
    import json

    from sqlalchemy import select

    from warmline.db.models import Escalation

    people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "i just took a whole bottle of my sleeping pills")
    with twilio.wl.db.unit_of_work() as session:
        [esc] = session.scalars(select(Escalation)).all()
        record = esc.matched
    assert json.loads(record)[0]["rule"] and "sleeping" not in record and "bottle" not in record


def test_the_contacts_own_volunteer_is_not_realerted_and_cannot_ack_their_own_contact(
    twilio, people, clock
):
    from warmline.worker import jobs

    with_coordinators(twilio.wl)
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    twilio.deliver()  # Sam has the contact
    ann = people.volunteer("Ann")
    twilio.sms(CONTACT, CRISIS)
    delivered = twilio.deliver()
    relay = next(m["From"] for m in delivered if m["To"] == sam.phone)
    twilio.sms(sam.phone, "I'm here with you", to=relay)  # Sam keeps the contact
    twilio.deliver()
    clock.advance(minutes=twilio.wl.settings.timeouts.escalation_ack_minutes + 1)
    jobs.fire_timers(twilio.wl, clock())
    delivered = twilio.deliver()
    assert any(b.startswith("NOT ACKNOWLEDGED") for b in twilio.texts_to(ann.phone, delivered))
    assert not any(b.startswith("NOT ACKNOWLEDGED") for b in twilio.texts_to(sam.phone, delivered))
    twilio.sms(sam.phone, "#ack 1")
    [answer] = twilio.texts_to(sam.phone, twilio.deliver())
    assert "acknowledged" not in answer  # refused: it never reached Sam
    twilio.sms(ann.phone, "#ack 1")  # Ann, whom the chain reached, may
    [answer] = twilio.texts_to(ann.phone, twilio.deliver())
    assert answer.startswith("Escalation #1 ") and "acknowledged" in answer
