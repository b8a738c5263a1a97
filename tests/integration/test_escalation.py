"""Escalation to crisis services end to end, through signed webhooks and the Twilio stand-in, on
SQLite and PostgreSQL (SPEC §8)."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from sqlalchemy import func, select

from warmline.db.models import Conversation, Escalation, Outbound, SlotAssignment, Timer
from warmline.worker import jobs

CONTACT = "+12025550101"
OTHER = "+12025550102"
THIRD = "+12025550103"
COORDINATOR = "+12025550199"
ALERT_RE = re.compile(
    r"^Warmline ESCALATION #(\d+): (.+) may be in crisis \((.+)\)\. Reply #ack \1$"
)


@pytest.fixture(autouse=True)
def coordinators(wl):
    """The line has one coordinators' alert number."""
    wl.settings = wl.settings.with_(coordinator_numbers=(COORDINATOR,))
    wl.context = dataclasses.replace(wl.context, settings=wl.settings)


def crisis_text(wl) -> str:
    return wl.settings.texts.crisis_resources


def relay_of(volunteer, delivered) -> str:
    return next(m["From"] for m in delivered if m["To"] == volunteer.phone)


def escalations(wl) -> list[Escalation]:
    with wl.db.unit_of_work() as session:
        rows = session.scalars(select(Escalation).order_by(Escalation.id)).all()
        session.expunge_all()
        return list(rows)


def actions(esc: Escalation) -> list[str]:
    return [a["action"] for a in json.loads(esc.actions)]


def test_crisis_text_gets_resources_alerts_supervisor_tells_volunteer_and_is_recorded(
    twilio, people
):
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "I want to kill myself tonight")
    delivered = twilio.deliver()

    to_contact = twilio.texts_to(CONTACT, delivered)
    assert to_contact[0] == crisis_text(twilio.wl)  # at once, before the greeting
    assert len(to_contact) == 2 and "peer volunteer" in to_contact[1]

    [alert] = twilio.texts_to(sue.phone, delivered)
    found = ALERT_RE.match(alert)
    assert found, alert
    esc_id, alias, what = int(found[1]), found[2], found[3]
    assert what == "suicide: 'kill myself'"
    assert CONTACT not in alert and "2025550101" not in alert

    to_sam = twilio.texts_to(sam.phone, delivered)
    assert "flagged as a possible crisis" in to_sam[0]
    assert to_sam[1] == f"[{alias}] I want to kill myself tonight"
    assert f"escalation #{esc_id}" in to_sam[2] and "supervisor on shift was alerted" in to_sam[2]
    assert twilio.texts_to(COORDINATOR, delivered) == []

    [esc] = escalations(twilio.wl)
    assert (esc.id, esc.level, esc.source) == (esc_id, "crisis", "scan")
    assert esc.contact_id is not None and esc.conversation_id is not None
    assert json.loads(esc.matched) == [
        {
            "category": "suicide",
            "level": "crisis",
            "phrase": "kill myself",
            "rule": None,
            "span": [10, 21],
            "language": "en",
            "message_id": 1,
        }
    ]
    done = json.loads(esc.actions)
    assert [a["action"] for a in done] == [
        "crisis_resources",
        "conversation_escalated",
        "alerted",
        "volunteer_told",
    ]
    assert done[0]["sent"] is True
    assert done[2]["to"] == [f"supervisor:{sue.id}"]
    assert done[3]["volunteer_id"] == sam.id
    assert esc.created_at == twilio.wl.clock()
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Conversation.escalated)) is True
        assert session.scalar(select(Timer.key).where(Timer.kind == "escalation-ack")) == (
            f"escalation-ack:{esc_id}"
        )


def test_crisis_contact_jumps_the_queue(twilio, people):
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(CONTACT, "hi")
    relay = relay_of(sam, twilio.deliver())
    twilio.sms(OTHER, "hello?")  # waits first
    twilio.sms(THIRD, "hey")  # waits second ...
    twilio.sms(THIRD, "actually I'm going to kms")  # ... and overtakes while waiting
    delivered = twilio.deliver()
    assert crisis_text(twilio.wl) in twilio.texts_to(THIRD, delivered)
    assert twilio.texts_to(sam.phone, delivered) == []  # nothing assigned yet

    twilio.sms(sam.phone, "#end", to=relay)
    delivered = twilio.deliver()
    to_sam = twilio.texts_to(sam.phone, delivered)
    assert "flagged as a possible crisis" in to_sam[0]
    assert to_sam[1].startswith("Escalations of") and "suicide: 'kms'" in to_sam[1]
    assert to_sam[2].endswith("] hey") and to_sam[3].endswith("] actually I'm going to kms")

    # A new contact in crisis overtakes the one still waiting, and is told they are first.
    relay = relay_of(sam, delivered)
    fourth = "+12025550104"
    twilio.sms(fourth, "i want to die")
    delivered = twilio.deliver()
    assert any("number 1 in line" in b for b in twilio.texts_to(fourth, delivered))
    twilio.sms(sam.phone, "#end", to=relay)
    delivered = twilio.deliver()
    assert any(b.endswith("] i want to die") for b in twilio.texts_to(sam.phone, delivered))
    with twilio.wl.db.unit_of_work() as session:
        other = session.scalar(
            select(Conversation.status)
            .where(Conversation.escalated.is_(False))
            .where(Conversation.status != "closed")
        )
        assert other == "queued"  # OTHER still waits


def test_crisis_resources_are_not_repeated_within_the_window(twilio, people, clock):
    people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "I want to die")
    first = twilio.deliver()
    clock.advance(minutes=10)
    twilio.sms(CONTACT, "I really want to kill myself")
    second = twilio.deliver()
    assert twilio.texts_to(CONTACT, first).count(crisis_text(twilio.wl)) == 1
    assert crisis_text(twilio.wl) not in twilio.texts_to(CONTACT, second)
    assert len(twilio.texts_to(sue.phone, first + second)) == 1  # one open escalation, one alert

    clock.advance(minutes=25)  # 35 minutes after the first: the window (30) has passed
    twilio.sms(CONTACT, "kms")
    assert crisis_text(twilio.wl) in twilio.texts_to(CONTACT, twilio.deliver())
    [esc] = escalations(twilio.wl)
    assert [m["phrase"] for m in json.loads(esc.matched)] == ["want to die", "kill myself", "kms"]
    assert actions(esc).count("matched_again") == 2


def test_help_alone_is_the_keyword_answered_with_988_not_an_alert(twilio, people):
    """HELP is a carrier keyword: its answer names 988 and 911. The scan does not also read it
    as a plea (the classifier scores "help" near its threshold) and alert the supervisors."""
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "HELP")
    delivered = twilio.deliver()
    to_contact = twilio.texts_to(CONTACT, delivered)
    assert crisis_text(twilio.wl) not in to_contact
    assert any("988" in body for body in to_contact)
    assert twilio.texts_to(sue.phone, delivered) == []
    assert escalations(twilio.wl) == []
    assert twilio.texts_to(sam.phone, delivered)[-1].endswith("] HELP")  # still relayed


def test_a_harmless_text_the_rules_misread_reaches_the_volunteer_as_concern(twilio, people):
    """Rule 10: the rules fire on "cut myself"; the classifier reads every sentence as harmless,
    so the contact gets no crisis text and no supervisor is alerted, but the volunteer is told
    it may show a concern."""
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    body = "cut myself a huge slice of birthday cake"
    twilio.sms(CONTACT, body)
    delivered = twilio.deliver()
    assert crisis_text(twilio.wl) not in twilio.texts_to(CONTACT, delivered)
    assert twilio.texts_to(sue.phone, delivered) == []
    assert any("may show a concern" in t for t in twilio.texts_to(sam.phone, delivered))
    [esc] = escalations(twilio.wl)
    assert (esc.level, esc.source) == ("concern", "scan")


def test_crisis_resources_are_never_throttled_by_the_flood_cap(twilio, people):
    people.volunteer("Sam")
    cap = twilio.wl.settings.routing.flood_max_auto_texts_per_hour
    for _ in range(cap + 2):
        twilio.sms(CONTACT, "help")
    twilio.deliver()
    twilio.sms(CONTACT, "i want to end my life")
    assert crisis_text(twilio.wl) in twilio.texts_to(CONTACT, twilio.deliver())


def test_concern_tells_the_volunteer_only(twilio, people):
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "I feel so hopeless lately")
    delivered = twilio.deliver()
    to_contact = twilio.texts_to(CONTACT, delivered)
    assert len(to_contact) == 1 and "peer volunteer" in to_contact[0]  # the greeting only
    assert twilio.texts_to(sue.phone, delivered) == []
    assert twilio.texts_to(COORDINATOR, delivered) == []
    to_sam = twilio.texts_to(sam.phone, delivered)
    assert "flagged" not in to_sam[0]
    assert "may show a concern (suicide: 'hopeless')" in to_sam[2]
    [esc] = escalations(twilio.wl)
    assert (esc.level, esc.source) == ("concern", "scan")
    assert actions(esc) == ["volunteer_told"]
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Conversation.escalated)) is False
        assert (
            session.scalar(select(func.count(Timer.id)).where(Timer.kind == "escalation-ack")) == 0
        )


def test_concern_while_queued_is_told_when_assigned(twilio, people):
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(OTHER, "hi")
    relay = relay_of(sam, twilio.deliver())
    twilio.sms(CONTACT, "nobody would miss me")
    assert twilio.texts_to(sam.phone, twilio.deliver()) == []
    twilio.sms(sam.phone, "#end", to=relay)
    to_sam = twilio.texts_to(sam.phone, twilio.deliver())
    assert any("concern" in b and "nobody would miss me'" in b for b in to_sam)


@pytest.mark.parametrize(
    "body", ["I'm not suicidal, just lonely", "this traffic is killing me", "me muero de risa"]
)
def test_negated_and_idiomatic_messages_escalate_nothing(twilio, people, body):
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, body)
    delivered = twilio.deliver()
    assert crisis_text(twilio.wl) not in twilio.texts_to(CONTACT, delivered)
    assert twilio.texts_to(sue.phone, delivered) == []
    to_sam = twilio.texts_to(sam.phone, delivered)
    assert len(to_sam) == 2 and to_sam[1].endswith(f"] {body}")
    assert escalations(twilio.wl) == []


@pytest.mark.parametrize("with_id", [True, False])
def test_ack_by_supervisor_stops_the_realert(twilio, people, clock, with_id):
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "I want to kill myself")
    esc_id = int(ALERT_RE.match(twilio.texts_to(sue.phone, twilio.deliver())[0])[1])
    twilio.sms(sue.phone, f"#ack {esc_id}" if with_id else "#ack")
    delivered = twilio.deliver()
    [answer] = twilio.texts_to(sue.phone, delivered)
    assert answer.startswith(f"Escalation #{esc_id} (") and "acknowledged" in answer
    [told] = twilio.texts_to(sam.phone, delivered)
    assert told.startswith(f"Sue acknowledged escalation #{esc_id} (")

    clock.advance(minutes=twilio.wl.settings.timeouts.escalation_ack_minutes + 1)
    jobs.fire_timers(twilio.wl, clock())
    assert twilio.texts_to(COORDINATOR, twilio.deliver()) == []
    [esc] = escalations(twilio.wl)
    assert esc.acknowledged_by_id == sue.id and esc.realerted_at is None
    assert "acknowledged" in actions(esc)

    twilio.sms(sue.phone, f"#ack {esc_id}")  # a second ack says so
    assert "already acknowledged by Sue" in twilio.texts_to(sue.phone, twilio.deliver())[0]


def test_no_ack_realerts_the_coordinators_once_after_the_timeout(twilio, people, clock):
    people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "I want to kill myself")
    alert = twilio.texts_to(sue.phone, twilio.deliver())[0]
    esc_id = int(ALERT_RE.match(alert)[1])
    minutes = twilio.wl.settings.timeouts.escalation_ack_minutes

    clock.advance(minutes=minutes - 1)
    jobs.fire_timers(twilio.wl, clock())
    assert twilio.texts_to(COORDINATOR, twilio.deliver()) == []
    clock.advance(minutes=2)
    jobs.fire_timers(twilio.wl, clock())
    [realert] = twilio.texts_to(COORDINATOR, twilio.deliver())
    assert realert == f"NOT ACKNOWLEDGED after {minutes} min. {alert}"
    clock.advance(minutes=30)
    jobs.fire_timers(twilio.wl, clock())
    assert twilio.texts_to(COORDINATOR, twilio.deliver()) == []  # once only

    # The coordinator acknowledges from the alert number; it is not taken for a contact.
    twilio.sms(COORDINATOR, "#ack")
    [answer] = twilio.texts_to(COORDINATOR, twilio.deliver())
    assert answer.startswith(f"Escalation #{esc_id}") and "acknowledged" in answer
    [esc] = escalations(twilio.wl)
    assert esc.acknowledged_at == clock() and esc.acknowledged_by_id is None
    assert actions(esc)[-2:] == ["realerted", "acknowledged"]
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Conversation.id))) == 1


def test_volunteer_escalates_a_conversation(twilio, people):
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "things are bad at home")
    delivered = twilio.deliver()
    relay = relay_of(sam, delivered)
    alias = twilio.texts_to(sam.phone, delivered)[1].split("]")[0].strip("[")

    twilio.sms(sam.phone, "#escalate they sound really scared", to=relay)
    delivered = twilio.deliver()
    assert twilio.texts_to(CONTACT, delivered) == []
    [alert] = twilio.texts_to(sue.phone, delivered)
    [esc] = escalations(twilio.wl)
    assert alert == (
        f"Warmline ESCALATION #{esc.id}: volunteer Sam asks for a supervisor about {alias}: "
        f"they sound really scared. Reply #ack {esc.id}"
    )
    [answer] = twilio.texts_to(sam.phone, delivered)
    assert answer.startswith(f"Escalation #{esc.id} about {alias}")
    assert (esc.level, esc.source, esc.raised_by_id) == ("crisis", "volunteer", sam.id)
    assert esc.note == "they sound really scared"
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Conversation.escalated)) is True

    twilio.sms(sam.phone, "#escalate", to=twilio.wl.settings.line.public_number)
    assert "no open conversation" in twilio.texts_to(sam.phone, twilio.deliver())[0]


def test_ack_by_non_supervisor_is_refused_and_unknown_ids_are_explained(twilio, people):
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "i'm going to overdose")
    esc_id = int(ALERT_RE.match(twilio.texts_to(sue.phone, twilio.deliver())[0])[1])
    twilio.sms(sam.phone, f"#ack {esc_id}")
    assert "Only a supervisor" in twilio.texts_to(sam.phone, twilio.deliver())[0]
    assert escalations(twilio.wl)[0].acknowledged_at is None

    twilio.sms(sue.phone, "#ack 999")
    assert twilio.texts_to(sue.phone, twilio.deliver()) == [
        "There is no escalation #999. Check the number in the alert."
    ]
    twilio.sms(sue.phone, "#ack soon")
    assert "#ack takes an escalation number" in twilio.texts_to(sue.phone, twilio.deliver())[0]


def test_a_volunteer_on_a_supervisor_shift_may_ack(twilio, people):
    # Only a supervisor can be made a shift's supervisor now (the rota services refuse anyone
    # else), but a rota saved before that rule may still have a plain volunteer as one.
    people.volunteer("Sam")
    kim = people.volunteer("Kim", on_shift=False)
    slot_id = people.shift(kim, "mon", "00:00", "00:00")
    with twilio.wl.db.unit_of_work() as session:
        query = select(SlotAssignment).where(SlotAssignment.slot_id == slot_id)
        session.scalars(query).one().supervisor = True
    twilio.sms(CONTACT, "i'm going to overdose")
    [alert] = twilio.texts_to(kim.phone, twilio.deliver())
    twilio.sms(kim.phone, "#ack")
    [answer] = twilio.texts_to(kim.phone, twilio.deliver())
    assert answer.startswith(f"Escalation #{ALERT_RE.match(alert)[1]} (")
    assert escalations(twilio.wl)[0].acknowledged_by_id == kim.id


def test_no_supervisor_on_shift_alerts_the_coordinators(twilio, people):
    sam = people.volunteer("Sam")
    people.volunteer("Off-shift supervisor", role="supervisor", on_shift=False)
    twilio.sms(CONTACT, "i want to end my life")
    delivered = twilio.deliver()
    [alert] = twilio.texts_to(COORDINATOR, delivered)
    assert ALERT_RE.match(alert)
    assert any("coordinators were alerted" in b for b in twilio.texts_to(sam.phone, delivered))
    assert json.loads(escalations(twilio.wl)[0].actions)[2]["to"] == ["coordinators:1"]


def test_crisis_after_hours_still_gets_resources_and_alerts(twilio, people):
    twilio.sms(CONTACT, "I want to kill myself")
    delivered = twilio.deliver()
    to_contact = twilio.texts_to(CONTACT, delivered)
    assert to_contact[0] == crisis_text(twilio.wl)
    assert any("closed right now" in b for b in to_contact)
    assert len(twilio.texts_to(COORDINATOR, delivered)) == 1


def test_spanish_crisis_text(twilio, people):
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "ya no quiero vivir, voy a matarme")
    delivered = twilio.deliver()
    assert twilio.texts_to(CONTACT, delivered)[0] == twilio.wl.settings.texts_es.crisis_resources
    [alert] = twilio.texts_to(sue.phone, delivered)
    assert "suicide: 'no quiero vivir'" in ALERT_RE.match(alert)[3]
    assert any("may be in crisis" in b for b in twilio.texts_to(sam.phone, delivered))
    [esc] = escalations(twilio.wl)
    assert {m["language"] for m in json.loads(esc.matched)} == {"es"}


def test_message_bodies_and_numbers_are_not_logged(twilio, people, caplog):
    people.volunteer("Sam")
    people.volunteer("Sue", role="supervisor")
    caplog.set_level("DEBUG")
    twilio.sms(CONTACT, "I want to kill myself")
    twilio.deliver()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "escalation 1 raised" in logged
    assert "kill myself" not in logged and "2025550101" not in logged
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Outbound.id)).where(Outbound.kind == "crisis")) == 1


def without_coordinators(wl) -> None:
    wl.settings = wl.settings.with_(coordinator_numbers=())
    wl.context = dataclasses.replace(wl.context, settings=wl.settings)


def test_without_coordinator_numbers_the_supervisors_are_realerted(twilio, people, clock):
    without_coordinators(twilio.wl)
    sam = people.volunteer("Sam")
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(CONTACT, "I want to kill myself")
    delivered = twilio.deliver()
    [alert] = twilio.texts_to(sue.phone, delivered)
    twilio.sms(sam.phone, "I'm here with you", to=relay_of(sam, delivered))  # Sam keeps them
    clock.advance(minutes=twilio.wl.settings.timeouts.escalation_ack_minutes)
    jobs.fire_timers(twilio.wl, clock())
    [again] = [b for b in twilio.texts_to(sue.phone, twilio.deliver()) if "ESCALATION" in b]
    assert again == f"NOT ACKNOWLEDGED after 5 min. {alert}"


def test_escalate_with_nobody_to_alert_says_what_to_do(twilio, people):
    without_coordinators(twilio.wl)
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "hi")
    relay = relay_of(sam, twilio.deliver())
    twilio.sms(sam.phone, "#ESCALATE", to=relay)
    [answer] = twilio.texts_to(sam.phone, twilio.deliver())
    assert (
        "no supervisor or coordinator could be alerted (phone your coordinator, or 988)" in answer
    )
