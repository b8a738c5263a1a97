"""``warmline user ...`` and ``warmline api-token ...`` (SPEC §11), audited as the CLI's user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from warmline import audit
from warmline.accounts import tokens, totp, users
from warmline.cli import main
from warmline.db.engine import make_engine

PASSWORD = "correct horse battery staple"


@pytest.fixture
def cli_in(cli: Any, clock: Any) -> Any:
    """Like ``cli``, with text on standard input (the ``cli`` fixture has set the environment)."""
    runner = CliRunner()

    def run(stdin: str, *args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args), input=stdin, obj=clock, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    return run


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_user_add_reads_the_password_from_stdin_and_is_audited(cli, cli_in, clock, session):
    out = cli_in(PASSWORD + "\n", "user", "add", "Rosa@Example.org", "--role", "coordinator")
    assert out.strip() == "added coordinator rosa@example.org (user 1)"
    assert PASSWORD not in out
    assert users.authenticate(session, "rosa@example.org", PASSWORD, clock()) is not None
    session.rollback()  # the login's writes would hold SQLite's lock against the next command
    rows, total = audit.entries(session)
    assert total == 1
    assert (rows[0].action, rows[0].target, rows[0].actor_kind) == ("user.add", "user:1", "cli")
    assert rows[0].at == clock()
    session.rollback()
    listing = cli("user", "list")
    assert "rosa@example.org" in listing and "coordinator" in listing and "off" in listing


def test_user_add_with_totp_shows_the_secret_once(cli, cli_in, clock, session):
    out = cli_in(PASSWORD + "\n", "user", "add", "rosa@example.org", "--role", "viewer", "--totp")
    secret = next(line for line in out.splitlines() if line.startswith("secret: "))[8:]
    assert "uri: otpauth://totp/" in out
    user = users.get_user(session, "rosa@example.org")
    from tests.support.keys import DATA_KEY
    from warmline.privacy import Vault

    assert users.verify_totp(user, Vault(DATA_KEY), totp.code_at(secret, clock()), clock())
    session.rollback()
    assert secret not in cli("user", "list")
    assert "on" in cli("user", "list").splitlines()[-1].split()
    assert "second factor off for rosa@example.org" in cli(
        "user", "totp", "rosa@example.org", "--disable"
    )
    assert "secret: " in cli("user", "totp", "rosa@example.org", "--enable")
    actions = [r.action for r in audit.entries(session)[0]]
    assert actions == ["user.totp_enable", "user.totp_disable", "user.totp_enable", "user.add"]


def test_reset_password_and_deactivate(cli, cli_in, clock, session):
    cli_in(PASSWORD + "\n", "user", "add", "ana@example.org", "--role", "coordinator")
    cli_in(PASSWORD + "\n", "user", "add", "rosa@example.org", "--role", "supervisor")
    out = cli_in("a brand new passphrase\n", "user", "reset-password", "ROSA@example.org")
    assert "new password set for rosa@example.org" in out
    assert users.authenticate(session, "rosa@example.org", "a brand new passphrase", clock())
    session.rollback()
    assert "deactivated rosa@example.org" in cli("user", "deactivate", "rosa@example.org")
    assert (
        users.authenticate(session, "rosa@example.org", "a brand new passphrase", clock()) is None
    )
    session.rollback()
    rosa = cli("user", "list").splitlines()[-1].split()
    assert rosa[:4] == ["rosa@example.org", "supervisor", "no", "off"]
    actions = [r.action for r in audit.entries(session)[0]]
    assert actions[:2] == ["user.deactivate", "user.reset_password"]


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        (PASSWORD, ("user", "add", "rosa", "--role", "viewer"), "'rosa' is not an email address"),
        ("short\n", ("user", "add", "x@example.org", "--role", "viewer"), "too short"),
        ("", ("user", "add", "x@example.org", "--role", "viewer"), "no password on standard"),
        (PASSWORD, ("user", "add", "x@example.org", "--role", "admin"), "'admin' is not one of"),
        (PASSWORD, ("user", "add", "ana@example.org", "--role", "viewer"), "already exists"),
        (PASSWORD, ("user", "reset-password", "nobody@example.org"), "no account for"),
        ("", ("user", "deactivate", "ana@example.org"), "last active coordinator"),
        ("", ("api-token", "revoke", "crm"), "no token named 'crm'"),
        ("", ("api-token", "add", "crm", "--role", "owner"), "'owner' is not one of"),
    ],
)
def test_mistakes_get_one_clear_line(cli_in, stdin, args, message):
    cli_in(PASSWORD + "\n", "user", "add", "ana@example.org", "--role", "coordinator")
    out = cli_in(stdin, *args, code=2)
    assert out.startswith("error:") and message in out
    assert PASSWORD not in out


def test_api_token_printed_once_last_and_listed_without_it(cli, clock, session):
    out = cli("api-token", "add", "crm", "--role", "viewer")
    plain = out.splitlines()[-1]
    assert tokens.looks_like_token(plain)
    assert "shown once" in out
    assert tokens.verify_token(session, plain, clock()) is not None
    session.commit()  # last_used_at
    clock.advance(hours=1)
    listing = cli("api-token", "list")
    assert "crm" in listing and "viewer" in listing and plain not in listing
    assert tokens.hash_token(plain) not in listing
    assert "revoked token 'crm'" in cli("api-token", "revoke", "crm")
    session.expire_all()
    assert tokens.verify_token(session, plain, clock()) is None
    session.rollback()
    assert "already revoked" in cli("api-token", "revoke", "crm", code=2)
    rows, _ = audit.entries(session)
    assert [(r.action, r.detail) for r in rows] == [
        ("api_token.revoke", "crm"),
        ("api_token.add", "crm as viewer"),
    ]
    assert rows[0].at == clock() and rows[1].at == clock() - dt.timedelta(hours=1)
