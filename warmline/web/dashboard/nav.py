"""The dashboard's navigation: every page of SPEC §11, each shown only to roles that may see it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

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


def links_for(role: str) -> list[tuple[str, str, bool]]:
    """(label, url, current) of the pages ``role`` may open, in menu order; a page whose
    module is not installed (its endpoint missing) is left out rather than linked to a 404.
    ``current`` marks the section the request is in: the page itself or any page under its path
    (an edited shift under /rota, a transcript under /conversations)."""
    path = request.path
    links = []
    for link in NAV:
        if not can(role, link.permission) or link.endpoint not in current_app.view_functions:
            continue
        url = url_for(link.endpoint)
        links.append((link.label, url, in_section(path, url)))
    return links


def in_section(path: str, section: str) -> bool:
    """Whether ``path`` is the page ``section`` or under it; ``/`` (the live view) owns only
    itself and its own refresh, not every path."""
    if section == "/":
        return path == "/" or path.startswith("/now/")
    return path == section or path.startswith(section.rstrip("/") + "/")
