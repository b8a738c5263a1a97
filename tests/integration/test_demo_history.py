"""The demo's generated history: weeks of closed conversations, calls and escalations, the same
on every run, with fictional numbers only."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from tests.conftest import settings_for
from warmline import demo_history
from warmline.bootstrap import bootstrap
from warmline.db.migrate import upgrade
from warmline.db.models import Contact, Conversation, Escalation, Message
from warmline.demo import seed
from warmline.queries import escalations


def _generate(wl):
    seed(wl, wl.clock())
    with wl.db.unit_of_work() as session:
        return demo_history.generate(session, wl.vault, wl.settings, wl.clock())


def _rows(wl):
    with wl.db.unit_of_work() as session:
        return [
            (c.channel, c.outcome, c.created_at, c.volunteer_id, c.first_response_at, c.escalated)
            for c in session.scalars(select(Conversation).order_by(Conversation.id))
        ]


def test_history_is_weeks_long_varied_and_closed(wl, clock):
    started = time.perf_counter()
    made = _generate(wl)
    took = time.perf_counter() - started
    assert took < 10, took  # about 0.3 s here; the bound only catches a runaway loop
    assert made.conversations > 400 and made.calls > 100 and made.escalations > 10
    with wl.db.unit_of_work() as session:
        convs = list(session.scalars(select(Conversation)))
        assert {c.status for c in convs} == {"closed"}
        first = min(c.created_at for c in convs)
        assert 27 <= (clock.now - first).days <= 29 and max(c.closed_at for c in convs) < clock.now
        outcomes = {c.outcome for c in convs if c.channel == "voice"}
        assert outcomes == {"answered", "missed", "voicemail", "abandoned"}
        abandoned = [c for c in convs if c.channel == "sms" and c.assigned_at is None]
        assert abandoned and all(c.first_response_at is None for c in abandoned)
        answered = [c for c in convs if c.first_response_at is not None]
        assert all(c.queued_at <= c.assigned_at <= c.first_response_at for c in answered)
        acked = session.scalars(select(Escalation.acknowledged_at)).all()
        assert any(a is None for a in acked) and sum(a is not None for a in acked) > 10
        # Their record of steps is shaped as the escalation policy writes it (the dashboard's
        # and the API's escalation lists read it).
        listed = escalations.recent(session, limit=200).items
        assert listed and all(row.steps[0].what == "alerted" for row in listed)
        assert session.scalar(select(func.count()).select_from(Message)) > 3 * 300
        numbers = {wl.vault.decrypt(c.number_encrypted) for c in session.scalars(select(Contact))}
    assert numbers <= set(demo_history.fictional_numbers())
    assert all(n.startswith("+1555555") and 100 <= int(n[-4:]) < 200 for n in numbers)


def test_the_same_history_every_time(wl, clock, tmp_path, twilio_standin):
    """Run on each database, compared with a fresh SQLite one: the same rows in the same order."""
    _generate(wl)
    url = f"sqlite:///{tmp_path}/again.sqlite3"
    upgrade(url)
    other = bootstrap(settings_for(url, twilio_standin), clock=clock)
    try:
        _generate(other)
        assert _rows(other) == _rows(wl)
    finally:
        other.db.dispose()


def test_the_demo_coordinator_gets_a_new_password_each_start(wl, clock):
    from warmline.accounts.users import authenticate
    from warmline.demo import coordinator_login

    email, first = coordinator_login(wl, clock.now)
    again, second = coordinator_login(wl, clock.now)
    assert email == again == "coordinator@example.org" and first != second
    with wl.db.unit_of_work() as session:
        assert authenticate(session, email, first, clock.now) is None
        user = authenticate(session, email, second, clock.now)
        assert user is not None and user.role == "coordinator"
