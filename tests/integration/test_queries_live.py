"""Read models of the live line and of conversations, on SQLite and PostgreSQL: a small evening
made through the real webhooks, and the exact figures the views give."""

from __future__ import annotations

import dataclasses
import datetime as dt

from warmline.queries import conversations, now

A, B, C = "+12025550101", "+12025550102", "+12025550103"
NUMBERS = (A, B, C)


def relay_for(delivered, phone):
    return next(m["From"] for m in delivered if m["To"] == phone)


def evening(twilio, people, clock):
    """Sam (capacity 1) takes A; Sue, the supervisor, is paused; B then C (a crisis) queue."""
    t0 = clock()
    sam = people.volunteer("Sam", capacity=1)
    sue = people.volunteer("Sue", role="supervisor")
    twilio.sms(sue.phone, "#off")
    twilio.sms(A, "hi")
    relay = relay_for(twilio.deliver(), sam.phone)
    clock.advance(seconds=60)
    twilio.sms(sam.phone, "Hi, I'm Sam. How are you doing tonight?", to=relay)
    clock.advance(seconds=60)
    twilio.sms(B, "hello?")
    clock.advance(seconds=30)
    twilio.sms(C, "I want to kill myself")
    twilio.deliver()
    clock.advance(seconds=90)
    return t0, sam, sue, relay


def aliases(wl):
    with wl.db.unit_of_work() as session:
        view = conversations.page(session)
    return {r.started_at: r.alias for r in view.items}


def test_now_shows_shift_queue_conversations_and_escalations(twilio, people, clock):
    t0, sam, sue, _ = evening(twilio, people, clock)
    wl = twilio.wl
    with wl.db.unit_of_work() as session:
        view = now.snapshot(session, wl.settings, clock())
        by_start = {r.started_at: r for r in conversations.page(session).items}
    a, b, c = (by_start[t0 + dt.timedelta(seconds=s)] for s in (0, 120, 150))
    assert view.at == t0 + dt.timedelta(seconds=240) and view.open_by_hours is True
    assert [(s.name, s.supervisor, s.paused, s.load, s.capacity) for s in view.on_shift] == [
        ("Sue", True, True, 0, 2),
        ("Sam", False, False, 1, 1),
    ]
    assert [(w.alias, w.contact_id, w.escalated, w.waiting_s, w.channel) for w in view.queue] == [
        (c.alias, c.contact_id, True, 90, "sms"),  # the crisis is served first
        (b.alias, b.contact_id, False, 120, "sms"),
    ]
    assert [
        (o.alias, o.contact_id, o.volunteer_name, o.age_s, o.escalated) for o in view.conversations
    ] == [(a.alias, a.contact_id, "Sam", 240, False)]
    [esc] = view.escalations
    assert (esc.alias, esc.contact_id, esc.level, esc.raised_at, esc.acknowledged) == (
        c.alias,
        c.contact_id,
        "crisis",
        t0 + dt.timedelta(seconds=150),
        False,
    )

    twilio.sms(sue.phone, f"#ack {esc.id}")
    with wl.db.unit_of_work() as session:
        [acked] = now.snapshot(session, wl.settings, clock()).escalations
    # Acknowledged, but its conversation is still open: still shown, with who took it.
    assert (acked.acknowledged, acked.acknowledged_by, acked.acknowledged_at) == (
        True,
        "Sue",
        clock(),
    )


def test_conversations_page_filters_counts_and_pages(twilio, people, clock):
    t0, sam, _, relay = evening(twilio, people, clock)
    clock.advance(seconds=60)  # t0 + 300
    twilio.sms(sam.phone, "#end", to=relay)  # A closes; C (escalated) goes to Sam
    twilio.deliver()
    wl = twilio.wl
    with wl.db.unit_of_work() as session:
        everything = conversations.page(session)
        rows = [
            (
                r.started_at - t0,
                r.volunteer_name,
                r.first_response_s,
                r.duration_s,
                r.outcome,
                r.escalated,
            )
            for r in everything.items
        ]
        assert everything.total == 3
        assert rows == [
            (dt.timedelta(seconds=150), "Sam", None, None, "open", True),
            (dt.timedelta(seconds=120), None, None, None, "open", False),
            (dt.timedelta(0), "Sam", 60, 300, "ended", False),
        ]

        def ids(**kw):
            found = conversations.page(session, **kw)
            return found.total, [r.started_at - t0 for r in found.items]

        s = dt.timedelta(seconds=1)
        assert ids(escalated=True) == (1, [150 * s])
        assert ids(escalated=False) == (2, [120 * s, 0 * s])
        assert ids(outcome="ended") == (1, [0 * s])
        assert ids(outcome="open") == (2, [150 * s, 120 * s])
        assert ids(volunteer_id=sam.id) == (2, [150 * s, 0 * s])
        assert ids(since=t0 + 120 * s, until=t0 + 150 * s) == (1, [120 * s])
        assert ids(limit=1, offset=1) == (3, [120 * s])
        assert ids(channel="voice") == (0, [])
        paged = conversations.page(session, limit=10_000, offset=-5)
        assert (paged.limit, paged.offset) == (500, 0)


def test_transcript_has_the_messages_in_order(twilio, people, clock):
    t0, sam, _, _ = evening(twilio, people, clock)
    wl = twilio.wl
    with wl.db.unit_of_work() as session:
        first = conversations.page(session, until=t0 + dt.timedelta(seconds=1)).items[0]
        found = conversations.transcript(session, first.conversation_id)
        assert conversations.transcript(session, 9999) is None
    assert found is not None and found.conversation == first
    assert [(x.at - t0, x.direction, x.author, x.volunteer_name, x.body) for x in found.lines] == [
        (dt.timedelta(0), "in", "contact", None, "hi"),
        (
            dt.timedelta(seconds=60),
            "out",
            "volunteer",
            "Sam",
            "Hi, I'm Sam. How are you doing tonight?",
        ),
    ]


def digits(number: str) -> str:
    return number.lstrip("+")[1:]  # the national part, however it is written


def test_no_view_carries_a_contact_number(twilio, people, clock):
    evening(twilio, people, clock)
    wl = twilio.wl
    with wl.db.unit_of_work() as session:
        views = [
            now.snapshot(session, wl.settings, clock()),
            conversations.page(session),
        ]
    shown = repr(views)
    for number in NUMBERS:
        assert digits(number) not in shown
    for view_type in (
        now.NowView,
        now.OnShift,
        now.Waiting,
        now.OpenConversation,
        now.OpenEscalation,
        conversations.ConversationRow,
        conversations.Line,
        conversations.Transcript,
    ):
        names = {f.name for f in dataclasses.fields(view_type)}
        assert not names & {"phone", "number", "number_hash", "number_encrypted", "to", "from_"}
    assert not {f.name for f in dataclasses.fields(conversations.ConversationRow)} & {"body"}
