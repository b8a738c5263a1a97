"""Accounts, API tokens and the audit log against each database (SPEC §11, §12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from tests.support.keys import DATA_KEY
from warmline import audit
from warmline.accounts import AccountError, totp, users
from warmline.accounts.roles import PermissionDenied
from warmline.audit import Actor
from warmline.db.engine import make_engine
from warmline.db.models import ApiToken, User
from warmline.privacy import Vault
from warmline.services import tokens as token_service
from warmline.services import users as user_service

NOW = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"
CLI = Actor("cli", "sam", "coordinator")
VIEWER = Actor("user", "val@example.org", "viewer")


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_add_user_normalises_the_email_and_authenticates(session):
    user = users.add_user(session, "  Rosa@Example.ORG ", PASSWORD, "coordinator", NOW)
    session.commit()
    assert user.email == "rosa@example.org" and user.active and user.totp_secret is None
    assert user.password_hash.startswith("$argon2id$")
    later = NOW + dt.timedelta(hours=1)
    assert users.authenticate(session, "ROSA@example.org", PASSWORD, later) is user
    assert user.failed_logins == 0
    assert user.last_login_at is None  # the password is one step; signing in sets it (below)
    user_service.signed_in(session, user, later)
    assert user.last_login_at == later


def test_wrong_passwords_count_and_a_good_one_clears_them(session):
    user = users.add_user(session, "rosa@example.org", PASSWORD, "viewer", NOW)
    assert users.authenticate(session, "rosa@example.org", "not the password", NOW) is None
    assert users.authenticate(session, "rosa@example.org", PASSWORD.upper(), NOW) is None
    assert user.failed_logins == 2 and user.last_login_at is None
    assert users.authenticate(session, "rosa@example.org", PASSWORD, NOW) is user
    assert user.failed_logins == 0


def test_unknown_and_malformed_emails_do_not_authenticate(session):
    users.add_user(session, "rosa@example.org", PASSWORD, "viewer", NOW)
    assert users.authenticate(session, "nobody@example.org", PASSWORD, NOW) is None
    assert users.authenticate(session, "not an email", PASSWORD, NOW) is None


def test_a_deactivated_user_cannot_authenticate(session):
    users.add_user(session, "ana@example.org", PASSWORD, "coordinator", NOW)
    user = users.add_user(session, "rosa@example.org", PASSWORD, "supervisor", NOW)
    users.deactivate(session, user)
    session.commit()
    assert users.authenticate(session, "rosa@example.org", PASSWORD, NOW) is None
    users.activate(user)
    assert users.authenticate(session, "rosa@example.org", PASSWORD, NOW) is user


@pytest.mark.parametrize(
    ("email", "password", "role", "message"),
    [
        ("rosa", PASSWORD, "viewer", "'rosa' is not an email address"),
        ("rosa@example", PASSWORD, "viewer", "is not an email address"),
        ("ro sa@example.org", PASSWORD, "viewer", "is not an email address"),
        ("rosa@example.org", PASSWORD, "admin", "unknown role 'admin'"),
        ("rosa@example.org", "too short", "viewer", "too short: use at least 12"),
        ("SAM@example.org", PASSWORD, "viewer", "an account for 'sam@example.org' already exists"),
    ],
)
def test_add_user_refusals(session, email, password, role, message):
    users.add_user(session, "sam@example.org", PASSWORD, "coordinator", NOW)
    session.commit()
    with pytest.raises(AccountError, match=message):
        users.add_user(session, email, password, role, NOW)


def test_totp_secret_is_encrypted_and_verified_at_the_given_time(session):
    vault = Vault(DATA_KEY)
    user = users.add_user(session, "rosa@example.org", PASSWORD, "coordinator", NOW)
    assert not users.verify_totp(user, vault, "000000", NOW)  # not enabled: nothing verifies
    secret = users.enable_totp(user, vault)
    session.commit()
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored is not None and stored.totp_secret is not None
    assert secret.encode() not in stored.totp_secret
    code = totp.code_at(secret, NOW)
    assert users.verify_totp(stored, vault, code, NOW + dt.timedelta(seconds=25))
    assert not users.verify_totp(stored, vault, code, NOW + dt.timedelta(minutes=5))
    assert users.totp_uri(stored, vault, "Warmline").startswith("otpauth://totp/Warmline:rosa")
    users.disable_totp(stored)
    assert not users.verify_totp(stored, vault, totp.code_at(secret, NOW), NOW)


def test_a_totp_code_is_accepted_once(session):
    vault = Vault(DATA_KEY)
    user = users.add_user(session, "rosa@example.org", PASSWORD, "coordinator", NOW)
    secret = users.enable_totp(user, vault)
    session.commit()
    code = totp.code_at(secret, NOW)
    assert users.verify_totp(user, vault, code, NOW)
    session.commit()
    stored = session.get(User, user.id)
    assert stored is not None and stored.totp_last_step == int(NOW.timestamp()) // 30
    # The same code again, still inside its window: refused, now and 20 seconds later.
    assert not users.verify_totp(stored, vault, code, NOW)
    assert not users.verify_totp(stored, vault, code, NOW + dt.timedelta(seconds=20))
    # An earlier step's code (still within the window of one step back) is refused too.
    assert not users.verify_totp(
        stored, vault, totp.code_at(secret, NOW - dt.timedelta(seconds=30)), NOW
    )
    # The next step's code works, once.
    later = NOW + dt.timedelta(seconds=30)
    assert users.verify_totp(stored, vault, totp.code_at(secret, later), later)
    assert not users.verify_totp(stored, vault, totp.code_at(secret, later), later)


def test_set_password_replaces_the_old_one(session):
    user = users.add_user(session, "rosa@example.org", PASSWORD, "viewer", NOW)
    users.set_password(user, "a brand new passphrase")
    assert users.authenticate(session, "rosa@example.org", PASSWORD, NOW) is None
    assert users.authenticate(session, "rosa@example.org", "a brand new passphrase", NOW) is user


def test_the_last_active_coordinator_stays(session):
    only = users.add_user(session, "ana@example.org", PASSWORD, "coordinator", NOW)
    with pytest.raises(AccountError, match="last active coordinator"):
        users.deactivate(session, only)
    with pytest.raises(AccountError, match="last active coordinator"):
        users.set_role(session, only, "viewer")
    users.add_user(session, "ben@example.org", PASSWORD, "coordinator", NOW)
    users.set_role(session, only, "viewer")
    assert only.role == "viewer"
    assert [u.email for u in users.list_users(session)] == ["ana@example.org", "ben@example.org"]


def test_tokens_are_stored_hashed_verified_touched_and_revoked(session):
    token, plain = token_service.add_token(session, CLI, "crm", "viewer", NOW)
    session.commit()
    session.expire_all()
    stored = session.get(ApiToken, token.id)
    assert stored is not None and plain not in stored.token_hash and plain.startswith("wl_")
    assert token_service.tokens.verify_token(session, plain, NOW) is stored
    assert stored.last_used_at == NOW
    # Within a minute the use is not written again; after it, it is.
    token_service.tokens.verify_token(session, plain, NOW + dt.timedelta(seconds=30))
    assert stored.last_used_at == NOW
    token_service.tokens.verify_token(session, plain, NOW + dt.timedelta(minutes=2))
    assert stored.last_used_at == NOW + dt.timedelta(minutes=2)
    assert token_service.tokens.verify_token(session, plain[:-1] + "A", NOW) is None
    assert token_service.tokens.verify_token(session, "Bearer " + plain, NOW) is None
    token_service.revoke_token(session, CLI, "crm", NOW)
    session.commit()
    assert token_service.tokens.verify_token(session, plain, NOW) is None
    assert [t.name for t in token_service.tokens.list_tokens(session)] == ["crm"]


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("crm", "viewer", "a token named 'crm' already exists"),
        ("sheet", "owner", "unknown role 'owner'"),
        ("", "viewer", "is not a token name"),
    ],
)
def test_token_refusals(session, name, role, message):
    token_service.add_token(session, CLI, "crm", "viewer", NOW)
    with pytest.raises(AccountError, match=message):
        token_service.add_token(session, CLI, name, role, NOW)


def test_revoking_twice_or_an_unknown_token_is_refused(session):
    token_service.add_token(session, CLI, "crm", "viewer", NOW)
    token_service.revoke_token(session, CLI, "crm", NOW)
    with pytest.raises(AccountError, match="already revoked"):
        token_service.revoke_token(session, CLI, "crm", NOW)
    with pytest.raises(AccountError, match="no token named 'sheet'"):
        token_service.revoke_token(session, CLI, "sheet", NOW)


def test_services_refuse_roles_without_manage_users(session):
    with pytest.raises(PermissionDenied):
        user_service.add_user(session, VIEWER, "x@example.org", PASSWORD, "viewer", NOW)
    with pytest.raises(PermissionDenied):
        token_service.add_token(session, VIEWER, "crm", "coordinator", NOW)
    session.commit()
    assert audit.entries(session) == ([], 0)


def test_every_service_change_is_audited_without_secrets(session):
    vault = Vault(DATA_KEY)
    add = user_service.add_user
    add(session, CLI, "ana@example.org", PASSWORD, "coordinator", NOW)
    rosa = add(session, CLI, "rosa@example.org", PASSWORD, "viewer", NOW)
    step = dt.timedelta(minutes=1)
    user_service.set_role(session, CLI, "rosa@example.org", "supervisor", NOW + step)
    user_service.reset_password(session, CLI, "rosa@example.org", "another passphrase", NOW)
    _, secret, _ = user_service.enable_totp(
        session, CLI, "rosa@example.org", vault, "Warmline", NOW
    )
    user_service.disable_totp(session, CLI, "rosa@example.org", NOW)
    user_service.deactivate(session, CLI, "rosa@example.org", NOW)
    user_service.activate(session, CLI, "rosa@example.org", NOW)
    _, plain = token_service.add_token(session, CLI, "crm", "viewer", NOW)
    token_service.revoke_token(session, CLI, "crm", NOW)
    session.commit()
    rows, total = audit.entries(session, limit=500)
    assert total == 10
    assert {r.action for r in rows} == {
        "user.add",
        "user.role",
        "user.reset_password",
        "user.totp_enable",
        "user.totp_disable",
        "user.deactivate",
        "user.activate",
        "api_token.add",
        "api_token.revoke",
    }
    role_change = next(r for r in rows if r.action == "user.role")
    assert role_change.target == f"user:{rosa.id}"
    assert role_change.detail == "rosa@example.org: viewer to supervisor"
    assert rows[0].action == "user.role"  # newest first
    for row in rows:
        assert (row.actor_kind, row.actor_name, row.actor_role) == ("cli", "sam", "coordinator")
        for secret_text in (PASSWORD, "another passphrase", secret, plain):
            assert secret_text not in row.detail


def test_audit_entries_filter_and_page(session):
    coordinator = Actor("user", "ana@example.org", "coordinator")
    for minute in range(6):
        audit.record(
            session,
            CLI if minute % 2 else coordinator,
            "volunteer.add" if minute < 4 else "shift.remove",
            target=f"volunteer:{minute}",
            at=NOW + dt.timedelta(minutes=minute),
        )
    session.commit()
    rows, total = audit.entries(session, limit=2)
    assert total == 6 and [r.target for r in rows] == ["volunteer:5", "volunteer:4"]
    rows, total = audit.entries(session, limit=2, offset=4)
    assert [r.target for r in rows] == ["volunteer:1", "volunteer:0"]
    rows, total = audit.entries(
        session, since=NOW + dt.timedelta(minutes=1), until=NOW + dt.timedelta(minutes=3)
    )
    assert total == 2 and [r.target for r in rows] == ["volunteer:2", "volunteer:1"]
    assert audit.entries(session, actor="sam")[1] == 3
    assert audit.entries(session, action="volunteer")[1] == 4
    assert audit.entries(session, action="volunteer.add")[1] == 4
    assert audit.entries(session, action="shift.remove", actor="sam")[1] == 1
    assert audit.entries(session, action="volunteer_")[1] == 0  # a prefix is a whole noun
    with pytest.raises(ValueError, match="limit"):
        audit.entries(session, limit=0)
