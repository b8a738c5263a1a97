"""Bearer tokens of each role for the API tests."""

from __future__ import annotations

from typing import Any

import pytest

from warmline.accounts.tokens import add_token


@pytest.fixture
def tokens(wl: Any) -> dict[str, str]:
    """A plain token per role: ``{"coordinator": "wl_...", ...}``."""
    plain = {}
    with wl.db.unit_of_work() as session:
        for role in ("coordinator", "supervisor", "viewer"):
            _, plain[role] = add_token(session, f"{role} tool", role, wl.clock())
    return plain


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
