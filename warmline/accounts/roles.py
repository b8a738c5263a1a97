"""Roles and what each may do (SPEC §11).

``coordinator``: everything. ``supervisor``: the live view, escalations, conversations (metadata,
never a transcript). ``viewer``: the live view, the rota and reports. Nobody but a coordinator
sees volunteers' phone numbers; nobody ever sees a contact's.
"""

from __future__ import annotations

from warmline.accounts import AccountError

ROLES = ("coordinator", "supervisor", "viewer")

PERMISSIONS = frozenset(
    {
        "view_live",
        "view_rota",
        "view_reports",
        "edit_rota",
        "edit_volunteers",
        "view_conversations",
        "view_transcript",
        "handle_escalations",
        "view_audit",
        "manage_users",
        "erase_contacts",
        "block_numbers",
        "view_volunteer_phones",
    }
)

GRANTS: dict[str, frozenset[str]] = {
    "coordinator": PERMISSIONS,
    "supervisor": frozenset({"view_live", "handle_escalations", "view_conversations"}),
    "viewer": frozenset({"view_live", "view_rota", "view_reports"}),
}


class PermissionDenied(Exception):
    """An actor's role does not grant a permission; the web layer answers 403."""

    def __init__(self, role: str, permission: str) -> None:
        super().__init__(f"the {role} role may not {permission.replace('_', ' ')}")
        self.role = role
        self.permission = permission


def can(role: str, permission: str) -> bool:
    """Whether ``role`` grants ``permission``; an unknown role grants nothing.

    An unknown permission raises ValueError: a misspelt name in code must fail loudly, not deny
    (or allow) quietly.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission in GRANTS.get(role, frozenset())


def require(role: str, permission: str) -> None:
    """Raise PermissionDenied unless ``can(role, permission)``."""
    if not can(role, permission):
        raise PermissionDenied(role, permission)


def check_role(role: str) -> str:
    """``role`` itself when it is one of ROLES; AccountError naming the choices otherwise."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: choose coordinator, supervisor or viewer")
    return role
