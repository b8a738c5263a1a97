"""The dashboard's navigation: every page of SPEC §11, each shown only to roles that may see it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for

from warmline.accounts.roles import can


@dataclass(frozen=True)
class Link:
    label: str
    endpoint: str
    permission: str


NAV = (
    Link("Now", "dashboard.now", "view_live"),
    Link("Rota", "dashboard.rota", "view_rota"),
    Link("Volunteers", "dashboard.volunteers", "edit_volunteers"),
    Link("Conversations", "dashboard.conversations", "view_conversations"),
    Link("Escalations", "dashboard.escalations", "handle_escalations"),
    Link("Reports", "dashboard.reports", "view_reports"),
    Link("Audit", "dashboard.audit", "view_audit"),
    Link("Users", "dashboard.users", "manage_users"),
)


def links_for(role: str) -> list[tuple[str, str, str]]:
    """(label, url, endpoint) of the pages ``role`` may open, in menu order; a page whose
    module is not installed (its endpoint missing) is left out rather than linked to a 404."""
    return [
        (link.label, url_for(link.endpoint), link.endpoint)
        for link in NAV
        if can(role, link.permission) and link.endpoint in current_app.view_functions
    ]
