"""Managing dashboard accounts, audited (``manage_users``: coordinators only).

Each function takes the caller's session (its unit of work commits), the acting ``Actor`` and
``now``; raises PermissionDenied for a role without ``manage_users`` and AccountError for a refused
change. Audit entries name the account as ``user:<id>`` and never hold a password or secret.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline import audit
from warmline.accounts import users
from warmline.accounts.roles import require
from warmline.audit import Actor
from warmline.db.models import User
from warmline.privacy import Vault


def _target(user: User) -> str:
    return f"user:{user.id}"


def _named(user: User) -> str:
    """The account's email for the audit detail, unless it reads like a phone number (the audit
    log refuses those: 2025550187@example.org), when ``user:<id>`` in the target is enough."""
    return (
        "(an email address of digits)" if audit.looks_like_phone_number(user.email) else user.email
    )


def add_user(
    session: Session, actor: Actor, email: str, password: str, role: str, now: dt.datetime
) -> User:
    """Create an account (see ``accounts.users.add_user``); audited as ``user.add``."""
    require(actor.role, "manage_users")
    user = users.add_user(session, email, password, role, now)
    audit.record(
        session, actor, "user.add", target=_target(user), detail=f"{_named(user)} as {role}", at=now
    )
    return user


def reset_password(
    session: Session, actor: Actor, email: str, password: str, now: dt.datetime
) -> User:
    """Give the account a new password; audited as ``user.reset_password``."""
    require(actor.role, "manage_users")
    user = users.get_user(session, email)
    users.set_password(user, password)
    audit.record(
        session, actor, "user.reset_password", target=_target(user), detail=_named(user), at=now
    )
    return user


def set_role(session: Session, actor: Actor, email: str, role: str, now: dt.datetime) -> User:
    """Change the account's role; audited as ``user.role`` with the old and new role."""
    require(actor.role, "manage_users")
    user = users.get_user(session, email)
    before = user.role
    users.set_role(session, user, role)
    audit.record(
        session,
        actor,
        "user.role",
        target=_target(user),
        detail=f"{_named(user)}: {before} to {role}",
        at=now,
    )
    return user


def deactivate(session: Session, actor: Actor, email: str, now: dt.datetime) -> User:
    """The account can no longer log in; audited as ``user.deactivate``."""
    require(actor.role, "manage_users")
    user = users.get_user(session, email)
    users.deactivate(session, user)
    audit.record(
        session, actor, "user.deactivate", target=_target(user), detail=_named(user), at=now
    )
    return user


def activate(session: Session, actor: Actor, email: str, now: dt.datetime) -> User:
    """The account can log in again; audited as ``user.activate``."""
    require(actor.role, "manage_users")
    user = users.get_user(session, email)
    users.activate(user)
    audit.record(session, actor, "user.activate", target=_target(user), detail=_named(user), at=now)
    return user


def enable_totp(
    session: Session, actor: Actor, email: str, vault: Vault, issuer: str, now: dt.datetime
) -> tuple[User, str, str]:
    """Give the account a new TOTP secret; returns (user, secret, otpauth URI) to show once.

    Audited as ``user.totp_enable`` (the secret is never in the audit log).
    """
    require(actor.role, "manage_users")
    user = users.get_user(session, email)
    secret = users.enable_totp(user, vault)
    audit.record(
        session, actor, "user.totp_enable", target=_target(user), detail=_named(user), at=now
    )
    return user, secret, users.totp_uri(user, vault, issuer)


def disable_totp(session: Session, actor: Actor, email: str, now: dt.datetime) -> User:
    """Turn the account's second factor off; audited as ``user.totp_disable``."""
    require(actor.role, "manage_users")
    user = users.get_user(session, email)
    users.disable_totp(user)
    audit.record(
        session, actor, "user.totp_disable", target=_target(user), detail=_named(user), at=now
    )
    return user


def signed_in(session: Session, user: User, now: dt.datetime) -> None:
    """The person passed every step of the sign-in (password, then the code when the account has
    one): their ``last_login_at`` is now, and it is audited as ``user.login`` by the account
    itself. (Knowing the password alone, without the code, changes nothing that /users shows.)"""
    user.last_login_at = now
    audit.record(session, audit.user_actor(user), "user.login", target=_target(user), at=now)


def log_out(session: Session, user_id: int, now: dt.datetime) -> None:
    """End every session of the account (a copied cookie included); audited as ``user.logout``."""
    user = session.get(User, user_id)
    if user is None:
        return
    users.end_sessions(user)
    audit.record(session, audit.user_actor(user), "user.logout", target=_target(user), at=now)
