"""``/reports``: the read models' figures for a date range as charts, each with a CSV export."""

from __future__ import annotations

import csv
import io

from tests.web.dashboard_helpers import sign_in
from warmline.demo import seed
from warmline.queries import reports


def _history(wl):
    assert seed(wl, wl.clock(), history=True)


def test_a_viewer_reads_the_reports_of_a_range(wl, client):
    _history(wl)
    dash = sign_in(wl, client, "viewer")
    response = dash.get("/reports?from=2026-11-02&to=2026-11-15")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    tz = wl.settings.line.timezone
    since = dt_local(tz, 2026, 11, 2)
    until = dt_local(tz, 2026, 11, 16)
    with wl.db.unit_of_work() as session:
        s = reports.summary(session, wl.settings, since, until)
    assert f"<b>{s.contacts}</b><span>contacts ({s.unique_contacts} people)" in page
    assert f"<b>{s.calls.answered}</b><span>answered" in page
    assert f"<b>{s.escalations.count}</b><span>raised" in page
    assert page.count('<rect class="bar"') >= 14  # one bar a day at least
    assert "2 November 2026 to 15 November 2026" in page
    for name in ("contacts-per-day", "hour-of-week", "timing", "summary", "load", "calls"):
        assert f"/reports/{name}.csv?from=2026-11-02&amp;to=2026-11-15" in page


def dt_local(tz, y, m, d):
    import datetime as dt

    return dt.datetime(y, m, d, tzinfo=tz).astimezone(dt.UTC)


def test_csv_exports_hold_the_same_figures(wl, client):
    _history(wl)
    dash = sign_in(wl, client, "coordinator")
    response = dash.get("/reports/contacts-per-day.csv?from=2026-11-02&to=2026-11-08")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["date", "contacts"] and [r[0] for r in rows[1:]] == [
        f"2026-11-0{d}" for d in range(2, 9)
    ]
    week = list(
        csv.reader(
            io.StringIO(
                dash.get("/reports/hour-of-week.csv?from=2026-11-02&to=2026-11-08").get_data(
                    as_text=True
                )
            )
        )
    )
    assert len(week) == 8 and len(week[1]) == 25
    # One week: each weekday row adds up to that day's contacts.
    assert [sum(map(int, r[1:])) for r in week[1:]] == [int(r[1]) for r in rows[1:]]
    calls = dash.get("/reports/calls.csv").get_data(as_text=True)
    assert calls.startswith("outcome,calls\r\nabandoned,")
    assert dash.get("/reports/nothing.csv").status_code == 404


def test_a_supervisor_may_not_see_reports_and_a_bad_range_is_refused(wl, app):
    dash = sign_in(wl, app.test_client(), "supervisor")
    assert dash.get("/reports").status_code == 403
    dash = sign_in(wl, app.test_client(), "viewer")
    response = dash.get("/reports?from=2026-11-20&to=2026-11-10")
    assert response.status_code == 400
    assert "The range ends before it starts." in response.get_data(as_text=True)
    assert dash.get("/reports?from=2025-01-01&to=2026-11-10").status_code == 400
    assert dash.get("/reports?from=soon").status_code == 400


def test_an_empty_range_says_so(wl, client):
    dash = sign_in(wl, client, "viewer")
    page = dash.get("/reports").get_data(as_text=True)
    assert "No conversations in this range." in page and "No calls in this range." in page
