"""Signing in to the dashboard from Flask's test client, with the CSRF token each form needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from warmline.accounts.users import add_user
from warmline.bootstrap import Warmline

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf(html: str) -> str:
    found = _TOKEN.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


@dataclass
class Dashboard:
    """A signed-in browser: ``get`` pages, ``post`` forms (with the page's CSRF token)."""

    client: FlaskClient
    token: str = ""

    def get(self, path: str, **kw: Any) -> Any:
        response = self.client.get(path, **kw)
        page = response.get_data(as_text=True)
        if _TOKEN.search(page):
            self.token = csrf(page)
        return response

    def post(
        self, path: str, data: dict[str, Any] | None = None, *, token: bool = True, **kw: Any
    ) -> Any:
        form = dict(data or {})
        if token:
            form.setdefault("csrf_token", self.token)
        return self.client.post(path, data=form, **kw)


def sign_in(wl: Warmline, client: FlaskClient, role: str, email: str | None = None) -> Dashboard:
    email = email or f"{role}@example.org"
    with wl.db.unit_of_work() as session:
        add_user(session, email, PASSWORD, role, wl.clock())
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf(page)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    dash = Dashboard(client)
    dash.get("/rota")
    return dash
