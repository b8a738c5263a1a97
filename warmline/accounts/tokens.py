"""Bearer tokens of the JSON API (SPEC §11): shown once, stored as a SHA-256 hash.

A token is ``wl_`` followed by 43 URL-safe characters (``secrets.token_urlsafe(32)``: 256 random
bits), so a leaked one is recognisable in logs and by secret scanners. 256 random bits need no
slow hash: SHA-256 of the token is its lookup key, and nothing that could rebuild it is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.accounts import AccountError
from warmline.accounts.roles import check_role
from warmline.db.models import ApiToken

PREFIX = "wl_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")
# last_used_at is written at most this often: an API client polling every second must not turn
# each of its reads into a write.
TOUCH_EVERY = dt.timedelta(minutes=1)


def new_plain_token() -> str:
    """A fresh token: ``wl_`` + 43 URL-safe characters."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_token(plain: str) -> str:
    """The hex SHA-256 of ``plain``: what the database keeps."""
    return hashlib.sha256(plain.encode()).hexdigest()


def looks_like_token(plain: str) -> bool:
    """Whether ``plain`` has a token's shape (prefix, length, alphabet), valid or not."""
    body = plain[len(PREFIX) :]
    return (
        plain.startswith(PREFIX)
        and len(body) == 43
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in body)
    )


def check_name(name: str) -> str:
    """The trimmed name when it is 1-64 letters, digits, spaces, ``.``, ``_`` or ``-``."""
    value = name.strip()
    if not _NAME.fullmatch(value):
        raise AccountError(
            f"{value!r} is not a token name: use 1-64 letters, digits, spaces, '.', '_' or '-'"
        )
    return value


def add_token(session: Session, name: str, role: str, now: dt.datetime) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plain token, which is never obtainable again.

    AccountError for a bad name, an unknown role, or a name already used (revoked tokens keep
    theirs, so the audit log's names stay unambiguous).
    """
    value = check_name(name)
    check_role(role)
    if session.scalars(select(ApiToken.id).where(ApiToken.name == value)).first() is not None:
        raise AccountError(f"a token named {value!r} already exists")
    plain = new_plain_token()
    token = ApiToken(
        name=value,
        role=role,
        token_hash=hash_token(plain),
        created_at=now,
        last_used_at=None,
        revoked_at=None,
    )
    session.add(token)
    session.flush()
    return token, plain


def verify_token(session: Session, plain: str, now: dt.datetime) -> ApiToken | None:
    """The unrevoked token ``plain`` is, or None; notes ``last_used_at`` (at most every minute)."""
    if not looks_like_token(plain):
        return None
    digest = hash_token(plain)
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).one_or_none()
    # The lookup is by hash already; the constant-time compare keeps it so should the lookup
    # ever become a prefix or range query.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
    return token


def get_token(session: Session, name: str) -> ApiToken:
    """The token named ``name``; AccountError when there is none."""
    token = session.scalars(select(ApiToken).where(ApiToken.name == name.strip())).one_or_none()
    if token is None:
        raise AccountError(f"no token named {name.strip()!r}")
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, revoked or not, by name. Rows hold hashes only, never a usable token."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.name)))


def revoke_token(session: Session, name: str, now: dt.datetime) -> ApiToken:
    """Revoke the token named ``name`` from ``now`` on; AccountError when unknown or revoked."""
    token = get_token(session, name)
    if token.revoked_at is not None:
        raise AccountError(f"the token {token.name!r} is already revoked")
    token.revoked_at = now
    return token
