"""Managing JSON API tokens, audited (``manage_users``: coordinators only).

Raises PermissionDenied for a role without ``manage_users`` and AccountError for a refused change.
Audit entries name the token as ``api_token:<id>`` and never hold the token or its hash.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from warmline import audit
from warmline.accounts import tokens
from warmline.accounts.roles import require
from warmline.audit import Actor
from warmline.db.models import ApiToken


def add_token(
    session: Session, actor: Actor, name: str, role: str, now: dt.datetime
) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plain token (to show once); audited
    ``api_token.add``."""
    require(actor.role, "manage_users")
    token, plain = tokens.add_token(session, name, role, now)
    audit.record(
        session,
        actor,
        "api_token.add",
        target=f"api_token:{token.id}",
        detail=f"{token.name} as {role}",
        at=now,
    )
    return token, plain


def revoke_token(session: Session, actor: Actor, name: str, now: dt.datetime) -> ApiToken:
    """Revoke the token named ``name``; audited as ``api_token.revoke``."""
    require(actor.role, "manage_users")
    token = tokens.revoke_token(session, name, now)
    target = f"api_token:{token.id}"
    audit.record(session, actor, "api_token.revoke", target=target, detail=token.name, at=now)
    return token
