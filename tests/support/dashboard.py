"""Helpers for the dashboard's tests: accounts, and signing in as a browser would (CSRF and all)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from warmline.accounts import users
from warmline.bootstrap import Warmline

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    role: str
    totp_secret: str | None = None


def make_user(
    wl: Warmline, role: str = "coordinator", *, email: str | None = None, totp: bool = False
) -> Account:
    """An active account of ``role`` (with a TOTP secret when ``totp``)."""
    email = email or f"{role}@warmline.example.org"
    with wl.db.unit_of_work() as session:
        user = users.add_user(session, email, PASSWORD, role, wl.clock())
        secret = users.enable_totp(user, wl.vault) if totp else None
    return Account(email, PASSWORD, role, secret)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the form on ``path`` (the session's token: the same on every page)."""
    page = client.get(path).get_data(as_text=True)
    found = _TOKEN.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1) or found.group(2)


def log_in(client: FlaskClient, account: Account, **environ: Any) -> Any:
    """POST the login form (with its token) as ``account``; the response, not followed."""
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"email": account.email, "password": account.password, "csrf_token": token},
        environ_base=environ,
    )


def signed_in(client: FlaskClient, wl: Warmline, role: str = "coordinator") -> Account:
    """A new account of ``role``, signed in on ``client``."""
    account = make_user(wl, role)
    response = log_in(client, account)
    assert response.status_code == 302, response.get_data(as_text=True)
    return account


def post_form(client: FlaskClient, path: str, data: dict[str, str], page: str = "/") -> Any:
    """POST ``data`` to ``path`` with the session's CSRF token taken from ``page``."""
    return client.post(path, data=data | {"csrf_token": csrf_token(client, page)})
