"""Routing through signed webhooks and the worker's jobs, on SQLite and PostgreSQL (SPEC §7).

Queue order and place, queue updates, #end/#pass/#on serving the queue, response time-outs,
returning contacts, language matching, and capacity together with the relay pool.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from warmline.db.models import Contact, Conversation, Timer
from warmline.worker.jobs import fire_timers

X, Y, Z = "+12025550111", "+12025550112", "+12025550113"


def relay_of(twilio, volunteer, delivered) -> str:
    """The relay number ``volunteer`` was last texted from."""
    return [m["From"] for m in delivered if m["To"] == volunteer.phone][-1]


def fire(twilio, clock, **delta) -> list[dict[str, str]]:
    clock.advance(**delta)
    fire_timers(twilio.wl, clock.now)
    return twilio.deliver()


def set_escalated(twilio, contact_number: str) -> None:
    """Mark a contact's open conversation escalated, as the escalation scan does."""
    wl = twilio.wl
    with wl.db.unit_of_work() as session:
        contact = session.scalars(
            select(Contact).where(Contact.number_hash == wl.vault.lookup_hash(contact_number))
        ).one()
        conv = session.scalars(
            select(Conversation).where(
                Conversation.contact_id == contact.id, Conversation.status != "closed"
            )
        ).one()
        conv.escalated = True


def statuses(twilio) -> list[tuple[str, int | None]]:
    with twilio.wl.db.unit_of_work() as session:
        rows = session.execute(
            select(Conversation.status, Conversation.volunteer_id).order_by(Conversation.id)
        )
        return [tuple(r) for r in rows]


def test_queue_is_first_in_first_out_and_each_contact_is_told_their_place(twilio, people):
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(X, "first")
    twilio.sms(Y, "second")
    twilio.sms(Z, "third")
    delivered = twilio.deliver()
    assert twilio.relayed_to(sam.phone, delivered) == ["first"]
    assert any("number 1 in line" in b for b in twilio.texts_to(Y, delivered))
    assert any("number 2 in line" in b for b in twilio.texts_to(Z, delivered))
    relay = relay_of(twilio, sam, delivered)
    twilio.sms(sam.phone, "#end", to=relay)
    delivered = twilio.deliver()
    assert twilio.relayed_to(sam.phone, delivered) == ["second"]
    twilio.sms(sam.phone, "#end", to=relay_of(twilio, sam, delivered))
    assert twilio.relayed_to(sam.phone, twilio.deliver()) == ["third"]


def test_escalated_conversations_are_served_first(twilio, people):
    sam = people.volunteer("Sam", capacity=1)
    for number, body in ((X, "first"), (Y, "second"), (Z, "third")):
        twilio.sms(number, body)
    relay = relay_of(twilio, sam, twilio.deliver())
    set_escalated(twilio, Z)
    twilio.sms(sam.phone, "#end", to=relay)
    delivered = twilio.deliver()
    assert twilio.relayed_to(sam.phone, delivered) == ["third"]
    assert any("flagged as a possible crisis" in b for b in twilio.texts_to(sam.phone, delivered))


def test_a_waiting_contact_is_told_their_place_again_every_queue_update_minutes(
    twilio, people, clock
):
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(X, "first")
    twilio.sms(Y, "second")
    twilio.sms(Z, "third")
    relay = relay_of(twilio, sam, twilio.deliver())
    twilio.sms(sam.phone, "Hi, I'm Sam", to=relay)  # answered: no response time-out for X
    every = twilio.wl.settings.timeouts.queue_update_minutes
    assert twilio.texts_to(Z, fire(twilio, clock, minutes=every - 1)) == []
    delivered = fire(twilio, clock, minutes=1)
    assert [b for b in twilio.texts_to(Z, delivered) if "still in line" in b] == [
        twilio.wl.settings.texts.still_queued.format(place=2)
    ]
    twilio.sms(sam.phone, "#end", to=relay)  # Y is served; Z moves up
    twilio.sms(sam.phone, "Hi, I'm Sam", to=relay)
    twilio.deliver()
    delivered = fire(twilio, clock, minutes=every)
    assert any("still in line (number 1)" in b for b in twilio.texts_to(Z, delivered))
    assert twilio.texts_to(Y, delivered) == []  # assigned: no more queue updates
    assert [s for s, _ in statuses(twilio)] == ["closed", "assigned", "queued"]


def test_a_volunteer_back_from_off_takes_the_waiting_contact(twilio, people):
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(sam.phone, "#off")
    twilio.sms(X, "anyone?")
    delivered = twilio.deliver()
    assert any("number 1 in line" in b for b in twilio.texts_to(X, delivered))
    assert twilio.relayed_to(sam.phone, delivered) == []
    twilio.sms(sam.phone, "#on")
    assert twilio.relayed_to(sam.phone, twilio.deliver()) == ["anyone?"]


def test_pass_goes_to_another_volunteer_never_back_to_the_one_who_passed(twilio, people):
    ann, bob = people.volunteer("Ann", capacity=1), people.volunteer("Bob", capacity=1)
    twilio.sms(X, "hello")
    delivered = twilio.deliver()
    assert twilio.relayed_to(ann.phone, delivered) == ["hello"]
    twilio.sms(ann.phone, "#pass", to=relay_of(twilio, ann, delivered))
    delivered = twilio.deliver()
    assert twilio.relayed_to(bob.phone, delivered) == ["hello"]
    assert any("handed to another volunteer" in b for b in twilio.texts_to(ann.phone, delivered))
    # Bob passes too: nobody else may take it, so X waits at the front of the queue even though
    # Ann (who passed it) is free; Y, who came later, goes to Ann.
    twilio.sms(bob.phone, "#pass", to=relay_of(twilio, bob, delivered))
    delivered = twilio.deliver()
    assert any("front of the queue" in b for b in twilio.texts_to(bob.phone, delivered))
    assert twilio.relayed_to(ann.phone, delivered) == twilio.relayed_to(bob.phone, delivered) == []
    twilio.sms(Y, "me next?")
    assert twilio.relayed_to(ann.phone, twilio.deliver()) == ["me next?"]
    assert statuses(twilio) == [("queued", None), ("assigned", ann.id)]


def test_pass_with_nobody_free_puts_the_contact_ahead_of_earlier_arrivals(twilio, people):
    ann, bob = people.volunteer("Ann", capacity=1), people.volunteer("Bob", capacity=1)
    twilio.sms(X, "x here")  # -> Ann
    twilio.sms(Y, "y here")  # -> Bob
    twilio.sms(Z, "z here")  # queued
    first = twilio.deliver()
    twilio.sms(ann.phone, "#pass", to=relay_of(twilio, ann, first))
    delivered = twilio.deliver()
    # Ann is free for the queue, not for X
    assert twilio.relayed_to(ann.phone, delivered) == ["z here"]
    twilio.sms(bob.phone, "#end", to=relay_of(twilio, bob, first))
    assert twilio.relayed_to(bob.phone, twilio.deliver()) == ["x here"]


def test_response_timeout_reassigns_and_tells_the_first_volunteer(twilio, people, clock):
    ann, bob = people.volunteer("Ann", capacity=1), people.volunteer("Bob", capacity=1)
    twilio.sms(X, "hello?")
    twilio.deliver()
    minutes = twilio.wl.settings.timeouts.response_minutes
    assert twilio.relayed_to(bob.phone, fire(twilio, clock, minutes=minutes - 1)) == []
    delivered = fire(twilio, clock, minutes=1)
    assert twilio.relayed_to(bob.phone, delivered) == ["hello?"]
    assert any(f"waited {minutes} minutes" in b for b in twilio.texts_to(ann.phone, delivered))
    assert statuses(twilio) == [("assigned", bob.id)]


def test_a_reply_in_time_stops_the_response_timeout(twilio, people, clock):
    ann, _bob = people.volunteer("Ann"), people.volunteer("Bob")
    twilio.sms(X, "hello?")
    relay = relay_of(twilio, ann, twilio.deliver())
    twilio.sms(ann.phone, "Hi, I'm Ann", to=relay)
    fire(twilio, clock, minutes=twilio.wl.settings.timeouts.response_minutes + 1)
    assert statuses(twilio) == [("assigned", ann.id)]


def test_response_timeout_alerts_a_supervisor_when_nobody_else_is_eligible(twilio, people, clock):
    ann = people.volunteer("Ann", capacity=1)
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(sue.phone, "#off")  # on shift to supervise, not taking conversations
    twilio.sms(X, "hello?")
    twilio.deliver()
    delivered = fire(twilio, clock, minutes=twilio.wl.settings.timeouts.response_minutes)
    alerts = twilio.texts_to(sue.phone, delivered)
    assert any("no other volunteer is free" in b for b in alerts)
    assert X not in " ".join(alerts)
    assert any("waited" in b for b in twilio.texts_to(ann.phone, delivered))
    assert statuses(twilio) == [("queued", None)]
    twilio.sms(sue.phone, "#on")
    assert twilio.relayed_to(sue.phone, twilio.deliver()) == ["hello?"]


def test_a_returning_contact_goes_back_to_their_previous_volunteer(twilio, people, clock):
    ann, bob = people.volunteer("Ann"), people.volunteer("Bob")
    twilio.sms(X, "hello")
    twilio.sms(ann.phone, "#end", to=relay_of(twilio, ann, twilio.deliver()))
    twilio.deliver()
    clock.advance(hours=1)
    twilio.sms(X, "it's me again")  # fair rotation alone would pick Bob (never assigned)
    delivered = twilio.deliver()
    assert twilio.relayed_to(ann.phone, delivered) == ["it's me again"]
    assert twilio.relayed_to(bob.phone, delivered) == []


def test_after_the_return_window_a_returning_contact_is_routed_fairly(twilio, people, clock):
    ann, bob = people.volunteer("Ann"), people.volunteer("Bob")
    twilio.sms(X, "hello")
    twilio.sms(ann.phone, "#end", to=relay_of(twilio, ann, twilio.deliver()))
    twilio.deliver()
    clock.advance(hours=twilio.wl.settings.timeouts.return_to_volunteer_hours, minutes=1)
    twilio.sms(X, "it's me again")
    assert twilio.relayed_to(bob.phone, twilio.deliver()) == ["it's me again"]


def test_a_spanish_speaker_is_routed_to_a_volunteer_who_speaks_spanish(twilio, people):
    ann = people.volunteer("Ann", languages="en")
    rosa = people.volunteer("Rosa", languages="en,es")
    twilio.sms(X, "Hola, necesito hablar con alguien")  # fairness alone would pick Ann
    twilio.sms(Y, "hi, is anyone there?")
    delivered = twilio.deliver()
    assert twilio.relayed_to(rosa.phone, delivered) == ["Hola, necesito hablar con alguien"]
    assert twilio.relayed_to(ann.phone, delivered) == ["hi, is anyone there?"]
    with twilio.wl.db.unit_of_work() as session:
        languages = dict(session.execute(select(Contact.alias, Contact.language)).all())
    assert sorted(languages.values(), key=str) == ["en", "es"]


def test_the_language_follows_the_messages_until_the_contact_chooses_one(twilio, people):
    rosa = people.volunteer("Rosa", languages="es")
    twilio.sms(X, "hola")
    twilio.sms(rosa.phone, "#end", to=relay_of(twilio, rosa, twilio.deliver()))
    twilio.sms(X, "hello, it's me again, I just need to talk to someone")
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Contact.language)) == "en"  # a clearer message than "hola"
    twilio.sms(X, "ESPAÑOL")
    twilio.sms(X, "hello again, I really need to talk to someone now")
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(Contact.language)) == "es"  # chosen: never guessed again


def test_a_spanish_speaker_waits_for_the_busy_spanish_speaking_volunteer(twilio, people):
    ann = people.volunteer("Ann", languages="en")
    rosa = people.volunteer("Rosa", capacity=1, languages="es")
    twilio.sms(X, "hola, estoy muy triste")
    twilio.sms(Y, "¿hay alguien? necesito ayuda")
    delivered = twilio.deliver()
    assert twilio.relayed_to(ann.phone, delivered) == []
    assert any("número 1 en la fila" in b for b in twilio.texts_to(Y, delivered))
    twilio.sms(rosa.phone, "#end", to=relay_of(twilio, rosa, delivered))
    assert twilio.relayed_to(rosa.phone, twilio.deliver()) == ["¿hay alguien? necesito ayuda"]


def test_a_spanish_speaker_gets_anyone_when_nobody_on_shift_speaks_spanish(twilio, people):
    ann = people.volunteer("Ann", languages="en")
    people.volunteer("Rosa", languages="es", on_shift=False)
    twilio.sms(X, "hola, estoy muy triste")
    assert twilio.relayed_to(ann.phone, twilio.deliver()) == ["hola, estoy muy triste"]


def test_capacity_is_bounded_by_the_relay_pool_and_every_binding_is_distinct(twilio, people):
    pool = twilio.wl.settings.line.relay_numbers
    sam = people.volunteer("Sam", capacity=len(pool) + 3)
    contacts = [f"+120255502{n:02d}" for n in range(len(pool) + 2)]
    for number in contacts:
        twilio.sms(number, f"from {number[-2:]}")
    delivered = twilio.deliver()
    got = twilio.relayed_to(sam.phone, delivered)
    assert len(got) == len(pool)
    relays = {m["From"] for m in delivered if m["To"] == sam.phone}
    assert relays == set(pool)
    assert [s for s, _ in statuses(twilio)] == ["assigned"] * len(pool) + ["queued"] * 2


def test_capacity_below_the_pool_is_respected(twilio, people):
    ann, bob = people.volunteer("Ann", capacity=1), people.volunteer("Bob", capacity=2)
    for n in range(4):
        twilio.sms(f"+120255503{n:02d}", f"hi {n}")
    held = [v for _, v in statuses(twilio)]
    assert (held.count(ann.id), held.count(bob.id), held.count(None)) == (1, 2, 1)


def test_idle_close_counts_from_the_last_message_either_way(twilio, people, clock):
    sam = people.volunteer("Sam")
    idle = twilio.wl.settings.timeouts.idle_close_minutes
    twilio.sms(X, "hello")
    relay = relay_of(twilio, sam, twilio.deliver())
    clock.advance(minutes=idle // 2)
    twilio.sms(sam.phone, "Hi, I'm Sam", to=relay)
    fire(twilio, clock, minutes=idle // 2)
    assert [s for s, _ in statuses(twilio)] == ["assigned"]
    delivered = fire(twilio, clock, minutes=idle // 2)
    assert [s for s, _ in statuses(twilio)] == ["closed"]
    assert any("haven't heard from you" in b for b in twilio.texts_to(X, delivered))
    assert any("was idle" in b for b in twilio.texts_to(sam.phone, delivered))


def test_a_contact_writing_again_pushes_the_idle_close_back(twilio, people, clock):
    sam = people.volunteer("Sam")
    idle = twilio.wl.settings.timeouts.idle_close_minutes
    twilio.sms(X, "hello")
    relay = relay_of(twilio, sam, twilio.deliver())
    twilio.sms(sam.phone, "Hi, I'm Sam", to=relay)
    clock.advance(minutes=idle - 2)
    written = clock.now
    twilio.sms(X, "sorry, I was away")
    fire(twilio, clock, minutes=2)  # the idle timer armed at the start is due now
    assert [s for s, _ in statuses(twilio)] == ["assigned"]
    with twilio.wl.db.unit_of_work() as session:
        due = session.scalar(select(Timer.due_at).where(Timer.key.like("idle:%")))
    assert due == written + dt.timedelta(minutes=idle)


def test_queue_place_counts_escalated_then_passed_back_then_first_come(wl, clock):
    from warmline.routing.assignment import QUEUE_ORDER, queue_place

    flags = [  # (escalated, front_of_queue, minutes after the first)
        (False, False, 0), (False, True, 5), (True, False, 9), (False, False, 1),
        (True, False, 3), (False, True, 2), (False, False, 1),
    ]  # fmt: skip
    with wl.db.unit_of_work() as session:
        for i, (escalated, front, minutes) in enumerate(flags):
            contact = Contact(
                number_hash=f"h{i}", number_encrypted=b"x", alias=f"A{i}", created_at=clock.now
            )
            session.add(contact)
            session.flush()
            at = clock.now + dt.timedelta(minutes=minutes)
            session.add(
                Conversation(
                    contact_id=contact.id,
                    status="queued",
                    escalated=escalated,
                    front_of_queue=front,
                    queued_at=at,
                    last_activity_at=at,
                    created_at=at,
                )
            )
        session.flush()
        line = session.scalars(
            select(Conversation).where(Conversation.status == "queued").order_by(*QUEUE_ORDER)
        ).all()
        assert [queue_place(session, c) for c in line] == list(range(1, len(flags) + 1))
        assert [(c.escalated, c.front_of_queue) for c in line[:4]] == [
            (True, False),
            (True, False),
            (False, True),
            (False, True),
        ]


def test_a_contact_waiting_in_the_queue_is_never_closed_as_idle(twilio, people, clock):
    sam = people.volunteer("Sam", capacity=1)
    twilio.sms(X, "first")
    twilio.sms(Y, "second")  # waits
    relay = relay_of(twilio, sam, twilio.deliver())
    twilio.sms(sam.phone, "Hi, I'm Sam", to=relay)
    idle = twilio.wl.settings.timeouts.idle_close_minutes
    for _ in range(3):
        twilio.sms(sam.phone, "still with you", to=relay)
        delivered = fire(twilio, clock, minutes=idle - 1)
    assert not any("haven't heard from you" in b for b in twilio.texts_to(Y, delivered))
    assert [s for s, _ in statuses(twilio)] == ["assigned", "queued"]
    twilio.sms(sam.phone, "#end", to=relay)
    assert twilio.relayed_to(sam.phone, twilio.deliver()) == ["second"]
