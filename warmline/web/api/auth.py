"""Bearer tokens and roles for the JSON API.

``Authorization: Bearer <token>`` (``warmline api-token add NAME --role ROLE`` prints one) is
checked before every API view; a missing, unknown or revoked token answers 401 with
``WWW-Authenticate: Bearer``. A view states the permission it needs with :func:`allowed`; a
role without it answers 403. The token becomes the ``Actor`` of everything it changes.
"""

from __future__ import annotations

from flask import abort, current_app, g, request

from warmline.accounts.roles import can
from warmline.accounts.tokens import verify_token
from warmline.audit import Actor, token_actor
from warmline.bootstrap import Warmline


def warmline() -> Warmline:
    wl: Warmline = current_app.extensions["warmline"]
    return wl


def authenticate() -> None:
    """Before each API request: the token's actor in ``g.actor``, or 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, plain = header.partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        abort(401, "A bearer token is required (Authorization: Bearer <token>).")
    wl = warmline()
    with wl.db.unit_of_work() as session:
        token = verify_token(session, plain.strip(), wl.clock())
        actor = token_actor(token) if token is not None else None
    if actor is None:
        abort(401, "The bearer token is unknown or revoked.")
    g.actor = actor


def actor() -> Actor:
    found: Actor = g.actor
    return found


def allowed(permission: str) -> Actor:
    """The request's actor when their role grants ``permission``; 403 otherwise."""
    who = actor()
    if not can(who.role, permission):
        abort(403, f"The {who.role} role may not {permission.replace('_', ' ')}.")
    return who
