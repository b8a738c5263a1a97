"""Flood control and the blocklist (SPEC §12): throttled without losing messages; blocked
numbers are kept but never routed nor answered. The blocklist is driven through the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.conftest import PUBLIC_URL
from tests.support.keys import DATA_KEY
from warmline import outbox
from warmline.cli import main
from warmline.db.models import Contact, Conversation, Message

X, Y = "+12025550131", "+12025550132"


def test_automatic_texts_are_capped_per_hour_and_every_message_is_still_relayed(
    twilio, people, clock
):
    sam = people.volunteer("Sam")
    cap = twilio.wl.settings.routing.flood_max_auto_texts_per_hour
    for _ in range(cap + 4):
        twilio.sms(X, "help")  # each earns the help text, and goes to the volunteer too
    delivered = twilio.deliver()
    clock.advance(seconds=outbox.DIGEST_EVERY.total_seconds())
    delivered += twilio.deliver()  # the rest of the volunteer's texts, as a digest
    to_x = twilio.texts_to(X, delivered)
    assert len(to_x) == cap  # the greeting and cap - 1 help texts
    lines = [line for b in twilio.texts_to(sam.phone, delivered) for line in b.split("\n")]
    assert sum(line.endswith("] help") for line in lines) == cap + 4  # some in one digest
    relay = next(m["From"] for m in delivered if m["To"] == sam.phone)
    twilio.sms(sam.phone, "I'm here, what's going on?", to=relay)
    assert twilio.texts_to(X, twilio.deliver()) == ["I'm here, what's going on?"]  # never capped
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(
            select(func.count(Message.id)).where(Message.author == "contact")
        ) == (cap + 4)
    clock.advance(hours=1, seconds=1)
    twilio.sms(X, "help")
    assert len(twilio.texts_to(X, twilio.deliver())) == 1  # a new hour: answered again


@pytest.fixture
def cli(wl, twilio_standin):
    env = {
        "DATABASE_URL": wl.settings.database_url,
        "WARMLINE_PUBLIC_URL": PUBLIC_URL,
        "SECRET_KEY": "test-secret",
        "WARMLINE_DATA_KEY": DATA_KEY,
        "TWILIO_ACCOUNT_SID": twilio_standin.account_sid,
        "TWILIO_AUTH_TOKEN": twilio_standin.auth_token,
        "TWILIO_API_BASE_URL": twilio_standin.base_url,
    }
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args), env=env, obj=wl.clock, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return run


def test_a_blocked_number_is_kept_but_never_routed_nor_answered(twilio, people, cli):
    sam = people.volunteer("Sam")
    twilio.sms(X, "hello")
    relay = next(m["From"] for m in twilio.deliver() if m["To"] == sam.phone)
    out = cli("block", "add", X)
    assert out.startswith("blocked (") and X not in out
    delivered = twilio.deliver()
    assert any("blocked by a coordinator" in b for b in twilio.texts_to(sam.phone, delivered))
    assert twilio.texts_to(X, delivered) == []
    twilio.sms(X, "why won't you answer")
    twilio.sms(X, "STOP")
    twilio.sms(X, "HELP")
    assert twilio.deliver() == []
    twilio.sms(sam.phone, "still there?", to=relay)  # no conversation on that number any more
    delivered = twilio.deliver()
    assert twilio.texts_to(X, delivered) == []
    assert "no open conversation" in twilio.texts_to(sam.phone, delivered)[0]
    with twilio.wl.db.unit_of_work() as session:
        assert (
            session.scalar(select(func.count(Message.id)).where(Message.author == "contact")) == 4
        )
        assert session.scalar(select(Conversation.status)) == "closed"
        assert session.scalar(select(Contact.opted_out)) is False  # STOP from a blocked number
    listing = cli("block", "list")
    assert X not in listing and "2025550131" not in listing
    assert len(listing.strip().splitlines()) == 3  # header, rule, one row


def test_blocking_a_number_that_never_wrote_and_unblocking_it(twilio, people, cli):
    sam = people.volunteer("Sam")
    cli("block", "add", Y)
    twilio.sms(Y, "hi")
    assert twilio.deliver() == []
    assert cli("block", "remove", Y) == "unblocked\n"
    twilio.sms(Y, "hi again")
    delivered = twilio.deliver()
    assert len(twilio.texts_to(Y, delivered)) == 1  # the greeting
    assert [b for b in twilio.texts_to(sam.phone, delivered) if b.startswith("[")][0].endswith(
        "] hi again"
    )
    assert cli("block", "list") == "no blocked numbers\n"
    assert cli("block", "remove", X) == "that number was not blocked\n"


def test_blocking_and_unblocking_are_in_the_audit_log_without_the_number(twilio, cli, wl):
    """SPEC §12: every coordinator action, the CLI's included, is audited; no number in it."""
    from warmline import audit

    twilio.sms(Y, "hi")
    cli("block", "add", Y)
    cli("block", "add", Y)  # already blocked: nothing changed, nothing recorded
    cli("block", "remove", Y)
    with wl.db.unit_of_work() as session:
        rows, total = audit.entries(session, action="contact")
        logged = [(r.action, r.actor_kind, r.target) for r in reversed(rows)]
        assert total == 2
        assert [a for a, _, _ in logged] == ["contact.block", "contact.unblock"]
        assert {k for _, k, _ in logged} == {"cli"}
        assert all(t.startswith("contact:") for _, _, t in logged)
        digits = "".join(c for c in Y if c.isdigit())
        assert all(digits[-7:] not in f"{r.target} {r.detail}" for r in rows)
