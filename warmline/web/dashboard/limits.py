"""Throttling sign-in attempts (SPEC §11: failed logins get HTTP 429).

Only failures count: at most ``FAILURES`` per minute from one client address and, separately,
for one email address (so spreading guesses over many addresses does not help against one
account). The counts live in ``Settings.ratelimit_storage_uri``: memory for one process, Redis
when several web instances must share them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

FAILURES = "5 per minute"


def failed(response: Response) -> bool:
    """Deduct only when the view said the attempt failed (a wrong password or code)."""
    return bool(g.get("login_failed"))


def email_key() -> str:
    return "email:" + (request.form.get("email") or "").strip().lower()


def pending_key() -> str:
    return f"pending:{session.get('pending_user', '')}"


def init_limiter(app: Flask, storage_uri: str) -> Limiter:
    """A limiter of this app (no default limits: only the sign-in views are throttled)."""
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=storage_uri,
        key_prefix="warmline",
        strategy="moving-window",
        headers_enabled=True,
    )
    for endpoint, second_key in (
        ("dashboard.login", email_key),
        ("dashboard.login_code", pending_key),
    ):
        per_address = limiter.limit(FAILURES, methods=["POST"], deduct_when=failed)
        per_account = limiter.limit(
            FAILURES, key_func=second_key, methods=["POST"], deduct_when=failed
        )
        view: Any = app.view_functions[endpoint]
        app.view_functions[endpoint] = per_account(per_address(view))
    return limiter
