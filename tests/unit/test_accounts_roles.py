"""Roles grant exactly what SPEC §11 says, and nothing for an unknown role."""

from __future__ import annotations

import pytest

from warmline.accounts import AccountError
from warmline.accounts.roles import (
    PERMISSIONS,
    ROLES,
    PermissionDenied,
    can,
    check_role,
    require,
)

SUPERVISOR = {"view_live", "handle_escalations", "view_conversations"}
VIEWER = {"view_live", "view_rota", "view_reports"}


def test_the_three_roles():
    assert ROLES == ("coordinator", "supervisor", "viewer")


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_each_permission_by_role(permission):
    assert can("coordinator", permission)
    assert can("supervisor", permission) == (permission in SUPERVISOR)
    assert can("viewer", permission) == (permission in VIEWER)
    assert not can("volunteer", permission)


@pytest.mark.parametrize("role", ["supervisor", "viewer"])
@pytest.mark.parametrize(
    "permission",
    ["view_transcript", "erase_contacts", "view_volunteer_phones", "manage_users", "view_audit"],
)
def test_only_coordinators_see_transcripts_phones_audit_and_accounts(role, permission):
    assert not can(role, permission)


def test_a_misspelt_permission_fails_loudly():
    with pytest.raises(ValueError, match="unknown permission 'view_rotas'"):
        can("coordinator", "view_rotas")


def test_require_raises_permission_denied_with_a_readable_message():
    require("viewer", "view_rota")
    with pytest.raises(PermissionDenied, match="the viewer role may not edit rota") as info:
        require("viewer", "edit_rota")
    assert (info.value.role, info.value.permission) == ("viewer", "edit_rota")


def test_check_role_names_the_choices():
    assert check_role("viewer") == "viewer"
    with pytest.raises(AccountError, match="unknown role 'admin': choose coordinator"):
        check_role("admin")
