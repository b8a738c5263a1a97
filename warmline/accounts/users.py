"""Dashboard accounts: add, authenticate, second factor, password, role, (de)activate.

Emails are stored lower-cased and trimmed; every lookup normalises the same way. Functions change
the given session's rows and never commit; the caller's unit of work does. Errors are AccountError
with one line that never holds a password.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline.accounts import AccountError, passwords, totp
from warmline.accounts.roles import check_role
from warmline.db.models import User
from warmline.privacy import Vault

# Deliberately loose (one @, a dot in the domain, no spaces): the address is a login name, never
# mailed by warmline, and real addresses are more varied than any strict pattern.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_EMAIL_LENGTH = 254


def normalise_email(email: str) -> str:
    """``email`` trimmed and lower-cased; AccountError when it is not an email address."""
    value = email.strip().lower()
    if len(value) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(value):
        raise AccountError(f"{email.strip()!r} is not an email address")
    return value


def find_user(session: Session, email: str) -> User | None:
    """The account with this email (any case), or None (also for something not an email)."""
    try:
        value = normalise_email(email)
    except AccountError:
        return None
    return session.scalars(select(User).where(User.email == value)).one_or_none()


def get_user(session: Session, email: str) -> User:
    """The account with this email; AccountError when there is none."""
    user = find_user(session, email)
    if user is None:
        raise AccountError(f"no account for {email.strip().lower()!r}")
    return user


def add_user(session: Session, email: str, password: str, role: str, now: dt.datetime) -> User:
    """Create an active account; AccountError for a bad email, unknown role, short password or an
    email already taken (by an active or a deactivated account)."""
    value = normalise_email(email)
    check_role(role)
    passwords.check_strength(password)
    if session.scalars(select(User.id).where(User.email == value)).first() is not None:
        raise AccountError(f"an account for {value!r} already exists")
    user = User(
        email=value,
        password_hash=passwords.hash_password(password),
        role=role,
        active=True,
        totp_secret=None,
        totp_last_step=None,
        failed_logins=0,
        created_at=now,
        last_login_at=None,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str, now: dt.datetime) -> User | None:
    """The active account whose password this is, or None.

    Checks the password only: when ``user.totp_secret`` is set, the caller must also pass
    :func:`verify_totp` before logging the person in. A success clears
    ``failed_logins`` (and rehashes a hash made with older parameters); a wrong password counts
    in ``failed_logins``. Unknown and deactivated accounts take as long as a wrong password, so
    timing does not tell which emails have accounts.
    """
    user = find_user(session, email)
    if user is None:
        passwords.spend_like_a_check(password)
        return None
    if not passwords.check_password(user.password_hash, password):
        user.failed_logins += 1
        return None
    if not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.failed_logins = 0
    return user


def verify_totp(user: User, vault: Vault, code: str, now: dt.datetime) -> bool:
    """True when ``code`` is the account's current TOTP code and was not accepted before; False
    when TOTP is not enabled.

    Each code is good once: an accepted code's time step is kept in ``user.totp_last_step`` and
    a code of that step or an earlier one is refused, so a code seen over someone's shoulder (or
    replayed from a captured request) cannot sign in again within its 90-second window.
    """
    if user.totp_secret is None:
        return False
    step = totp.matching_step(vault.decrypt(user.totp_secret), code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def enable_totp(user: User, vault: Vault) -> str:
    """Give the account a new TOTP secret (replacing any) and return it in clear, to show once."""
    secret = totp.new_secret()
    user.totp_secret = vault.encrypt(secret)
    user.totp_last_step = None  # steps of the old secret say nothing about the new one
    return secret


def disable_totp(user: User) -> None:
    """Turn the second factor off: the password alone logs in again."""
    user.totp_secret = None
    user.totp_last_step = None


def totp_uri(user: User, vault: Vault, issuer: str) -> str:
    """The authenticator app's ``otpauth://`` URI for the account; AccountError without TOTP."""
    if user.totp_secret is None:
        raise AccountError(f"{user.email!r} has no second factor")
    return totp.provisioning_uri(vault.decrypt(user.totp_secret), user.email, issuer)


def set_password(user: User, password: str) -> None:
    """Replace the password (AccountError when too short or long); clears ``failed_logins``."""
    passwords.check_strength(password)
    user.password_hash = passwords.hash_password(password)
    user.failed_logins = 0


def _active_coordinators(session: Session) -> int:
    query = select(func.count(User.id)).where(User.role == "coordinator", User.active.is_(True))
    return session.scalar(query) or 0


def _keep_a_coordinator(session: Session, user: User) -> None:
    # The dashboard must never lock every coordinator out (the CLI could still add one, but a
    # small organisation may not have anyone who can reach the server).
    if user.active and user.role == "coordinator" and _active_coordinators(session) <= 1:
        raise AccountError(f"{user.email!r} is the last active coordinator: add another first")


def set_role(session: Session, user: User, role: str) -> None:
    """Change the account's role; AccountError for an unknown role or the last coordinator."""
    check_role(role)
    if role != user.role:
        _keep_a_coordinator(session, user)
    user.role = role


def deactivate(session: Session, user: User) -> None:
    """The account can no longer log in and its sessions end, for good (its audit trail stays);
    AccountError when it is the last active coordinator or already deactivated."""
    if not user.active:
        raise AccountError(f"{user.email!r} is already deactivated")
    _keep_a_coordinator(session, user)
    user.active = False
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every session of the account ends, copies of its cookie included: the epoch is part of
    each session's fingerprint (the cookie alone is not enough to be signed in)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def activate(user: User) -> None:
    """Let a deactivated account log in again; AccountError when it is active."""
    if user.active:
        raise AccountError(f"{user.email!r} is already active")
    user.active = True
    user.failed_logins = 0


def list_users(session: Session) -> list[User]:
    """Every account, active and not, by email."""
    return list(session.scalars(select(User).order_by(User.email)))
