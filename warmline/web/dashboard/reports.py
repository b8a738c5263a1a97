"""``/reports``: the figures of :mod:`warmline.queries.reports` for a date range, as charts,
each with a CSV export (``/reports/<name>.csv`` with the same range).

The range is two local dates, both included (``from``, ``to``); by default the last 28 days up
to today. A range longer than a year, or ending before it starts, is refused with the form
re-shown (400). Figures are computed by the database; this module only lays them out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import Response, abort, render_template, request
from sqlalchemy.orm import Session

from warmline.config import Settings
from warmline.queries import reports
from warmline.scheduling.shift_text import local_instant
from warmline.services.spreadsheet import safe_rows
from warmline.web.dashboard import charts
from warmline.web.dashboard.access import now, require, warmline
from warmline.web.dashboard.blueprint import bp
from warmline.web.dashboard.filters import duration

DEFAULT_DAYS = 28
MAX_DAYS = 366
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class RangeError(ValueError):
    pass


def _range(settings: Settings) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    """The asked local dates and the instants ``[since, until)`` they cover."""
    tz = settings.line.timezone
    today = now().astimezone(tz).date()
    try:
        last = dt.date.fromisoformat(request.args["to"]) if request.args.get("to") else today
        first = (
            dt.date.fromisoformat(request.args["from"])
            if request.args.get("from")
            else last - dt.timedelta(days=DEFAULT_DAYS - 1)
        )
    except ValueError:
        raise RangeError("Dates look like 2026-11-23.") from None
    if last < first:
        raise RangeError("The range ends before it starts.")
    if (last - first).days >= MAX_DAYS:
        raise RangeError(f"Choose at most {MAX_DAYS} days.")
    since = local_instant(tz, first, dt.time(0))
    until = local_instant(tz, last + dt.timedelta(days=1), dt.time(0))
    return first, last, since, until


@bp.get("/reports", endpoint="reports")
@require("view_reports")
def reports_page() -> Any:
    wl = warmline()
    try:
        first, last, since, until = _range(wl.settings)
    except RangeError as exc:
        return render_template("reports.html", error=str(exc), args=request.args), 400
    with wl.db.unit_of_work() as session:
        figures = _figures(session, wl.settings, since, until)
    return render_template(
        "reports.html",
        error=None,
        first=first,
        last=last,
        args={"from": first.isoformat(), "to": last.isoformat()},
        **figures,
        **_drawn(figures),
    )


def _figures(
    session: Session, settings: Settings, since: dt.datetime, until: dt.datetime
) -> dict[str, Any]:
    return {
        "summary": reports.summary(session, settings, since, until),
        "per_day": reports.contacts_per_day(session, settings, since, until),
        "week": reports.contacts_by_hour_of_week(session, settings, since, until),
        "load": reports.load_per_volunteer(session, since, until),
    }


def _drawn(figures: dict[str, Any]) -> dict[str, Any]:
    per_day: Sequence[reports.DayCount] = figures["per_day"]
    summary: reports.Summary = figures["summary"]
    week: tuple[tuple[int, ...], ...] = figures["week"]
    every = max(1, len(per_day) // 10)
    calls = summary.calls.by_outcome
    return {
        "day_chart": charts.columns(
            [(d.date.strftime("%-d %b"), d.contacts) for d in per_day], label_every=every
        ),
        "load_chart": charts.rows(
            [(v.name, (v.texts, v.calls)) for v in figures["load"]], classes=("bar", "bar third")
        ),
        "call_chart": charts.rows(
            [(outcome, (n,)) for outcome, n in sorted(calls.items(), key=lambda kv: -kv[1])],
            label_width=120,
        ),
        "timing_chart": charts.rows(
            [
                ("First response, median", (summary.first_response.median_s or 0,)),
                ("First response, p90", (summary.first_response.p90_s or 0,)),
                ("Waiting, median", (summary.waiting.median_s or 0,)),
                ("Waiting, p90", (summary.waiting.p90_s or 0,)),
                ("Acknowledge, median", (summary.escalations.time_to_ack.median_s or 0,)),
                ("Acknowledge, p90", (summary.escalations.time_to_ack.p90_s or 0,)),
            ],
            label_width=170,
        ),
        "week_peak": max((max(row) for row in week), default=0),
        "weekdays": WEEKDAYS,
        "duration_text": duration,
        "shade": charts.shade,
        "ink": charts.ink,
    }


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(safe_rows(rows))
    return out.getvalue()


def _seconds(spread: reports.Spread) -> list[object]:
    return [
        spread.count,
        spread.median_s if spread.median_s is not None else "",
        spread.p90_s if spread.p90_s is not None else "",
    ]


def _table(name: str, f: dict[str, Any]) -> Sequence[Sequence[object]]:
    s: reports.Summary = f["summary"]
    tables: dict[str, Callable[[], Sequence[Sequence[object]]]] = {
        "contacts-per-day": lambda: (
            [("date", "contacts")] + [(d.date.isoformat(), d.contacts) for d in f["per_day"]]
        ),
        "hour-of-week": lambda: (
            [("weekday", *[f"{h:02d}:00" for h in range(24)])]
            + [(WEEKDAYS[i], *row) for i, row in enumerate(f["week"])]
        ),
        "timing": lambda: [
            ("measure", "count", "median_seconds", "p90_seconds"),
            ("first_response", *_seconds(s.first_response)),
            ("waiting", *_seconds(s.waiting)),
            ("escalation_acknowledgement", *_seconds(s.escalations.time_to_ack)),
        ],
        "summary": lambda: [
            ("measure", "value"),
            ("contacts", s.contacts),
            ("unique_contacts", s.unique_contacts),
            ("abandoned", s.abandoned),
            ("after_hours", s.after_hours),
            ("escalations", s.escalations.count),
            ("escalations_acknowledged", s.escalations.acknowledged),
            *[(f"escalations_{level}", n) for level, n in s.escalations.by_level.items()],
            ("calls", s.calls.total),
        ],
        "load": lambda: (
            [("volunteer", "conversations", "texts", "calls")]
            + [(v.name, v.conversations, v.texts, v.calls) for v in f["load"]]
        ),
        "calls": lambda: [("outcome", "calls"), *sorted(s.calls.by_outcome.items())],
    }
    if name not in tables:
        abort(404)
    return tables[name]()


@bp.get("/reports/<name>.csv", endpoint="report_csv")
@require("view_reports")
def report_csv(name: str) -> Any:
    wl = warmline()
    try:
        first, last, since, until = _range(wl.settings)
    except RangeError as exc:
        abort(400, str(exc))
    with wl.db.unit_of_work() as session:
        figures = _figures(session, wl.settings, since, until)
    filename = f"{name}-{first.isoformat()}-to-{last.isoformat()}.csv"
    return Response(
        _csv(_table(name, figures)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
