"""``/``: the line right now, refreshed in place every few seconds (htmx polls ``/now/live``)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from warmline.queries import now as now_view
from warmline.web.dashboard.access import now, require, warmline
from warmline.web.dashboard.blueprint import bp

REFRESH_SECONDS = 5


def _snapshot() -> now_view.NowView:
    wl = warmline()
    with wl.db.unit_of_work() as session:
        return now_view.snapshot(session, wl.settings, now())


@bp.get("/", endpoint="now")
@require("view_live")
def now_page() -> Any:
    return render_template("now.html", view=_snapshot(), refresh=REFRESH_SECONDS)


@bp.get("/now/live", endpoint="now_live")
@require("view_live")
def now_live() -> Any:
    """The live part of ``/`` alone, for the page's own refresh."""
    return render_template("_now_live.html", view=_snapshot(), refresh=REFRESH_SECONDS)
