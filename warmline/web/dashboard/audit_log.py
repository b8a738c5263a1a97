"""``/audit``: who did what, when, newest first (coordinators only)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from warmline import audit
from warmline.web.dashboard.access import require, warmline
from warmline.web.dashboard.blueprint import bp

PER_PAGE = 50


@bp.get("/audit", endpoint="audit")
@require("view_audit")
def audit_page() -> Any:
    offset = max(0, request.args.get("offset", 0, type=int))
    who = (request.args.get("actor") or "").strip() or None
    what = (request.args.get("action") or "").strip() or None
    with warmline().db.unit_of_work() as session:
        rows, total = audit.entries(session, actor=who, action=what, limit=PER_PAGE, offset=offset)
    args = {k: v for k, v in (("actor", who), ("action", what)) if v}
    return render_template(
        "audit.html", rows=rows, total=total, offset=offset, limit=PER_PAGE, args=args
    )
