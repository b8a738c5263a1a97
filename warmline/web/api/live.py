"""``/rota/now``, ``/rota/week``, ``/rota/gaps`` and ``/reports/summary``: read models out,
through marshmallow schemas that are also the document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from warmline.queries import now as now_view
from warmline.queries import reports
from warmline.queries import rota as rota_view
from warmline.web.api import auth
from warmline.web.api.common import RangeArgs, api_blueprint, errors

F = ma.fields
MAX_RANGE = dt.timedelta(days=366)

rota = api_blueprint("rota", "/rota", "The line now and the rota in the line's timezone.")
report = api_blueprint("reports", "/reports", "Report figures for a date range.")
blueprints = (rota, report)


class OnShiftSchema(ma.Schema):
    volunteer_id = F.Integer(required=True)
    name = F.String(required=True)
    supervisor = F.Boolean(required=True)
    paused = F.Boolean(required=True)
    load_ = F.Integer(required=True, data_key="load", attribute="load")
    capacity = F.Integer(required=True)
    shift_start = F.AwareDateTime(required=True)
    shift_end = F.AwareDateTime(required=True)


class WaitingSchema(ma.Schema):
    conversation_id = F.Integer(required=True)
    contact_id = F.Integer(required=True)
    alias = F.String(required=True)
    channel = F.String(required=True)
    escalated = F.Boolean(required=True)
    queued_at = F.AwareDateTime(required=True)
    waiting_s = F.Integer(required=True)


class OpenConversationSchema(ma.Schema):
    conversation_id = F.Integer(required=True)
    contact_id = F.Integer(required=True)
    alias = F.String(required=True)
    channel = F.String(required=True)
    volunteer_id = F.Integer(required=True, allow_none=True)
    volunteer_name = F.String(required=True, allow_none=True)
    started_at = F.AwareDateTime(required=True)
    age_s = F.Integer(required=True)
    escalated = F.Boolean(required=True)


class OpenEscalationSchema(ma.Schema):
    id = F.Integer(required=True)
    conversation_id = F.Integer(required=True, allow_none=True)
    contact_id = F.Integer(required=True, allow_none=True)
    alias = F.String(required=True, allow_none=True)
    level = F.String(required=True)
    source = F.String(required=True)
    raised_at = F.AwareDateTime(required=True)
    acknowledged = F.Boolean(required=True)
    acknowledged_at = F.AwareDateTime(required=True, allow_none=True)
    acknowledged_by = F.String(required=True, allow_none=True)


class NowSchema(ma.Schema):
    at = F.AwareDateTime(required=True)
    open_by_hours = F.Boolean(required=True)
    on_shift = F.List(F.Nested(OnShiftSchema), required=True)
    queue = F.List(F.Nested(WaitingSchema), required=True)
    conversations = F.List(F.Nested(OpenConversationSchema), required=True)
    escalations = F.List(F.Nested(OpenEscalationSchema), required=True)


@rota.route("/now")
class Now(MethodView):
    @rota.response(200, NowSchema)
    @errors(rota, "view_live")
    def get(self) -> Any:
        """Who is on shift, the queue, open conversations and open escalations, now."""
        auth.allowed("view_live")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            return now_view.snapshot(session, wl.settings, wl.clock())


class ShiftSchema(ma.Schema):
    volunteer_id = F.Integer(required=True)
    name = F.String(required=True)
    supervisor = F.Boolean(required=True)
    start = F.AwareDateTime(required=True)
    end = F.AwareDateTime(required=True)
    source = F.String(required=True, metadata={"example": "slot:3"})


class PeriodSchema(ma.Schema):
    start = F.AwareDateTime(required=True)
    end = F.AwareDateTime(required=True)
    kind = F.String(required=True, metadata={"description": "uncovered or no_supervisor"})


class DaySchema(ma.Schema):
    date = F.Date(required=True)
    start = F.AwareDateTime(required=True)
    end = F.AwareDateTime(required=True)
    shifts = F.List(F.Nested(ShiftSchema), required=True)
    gaps = F.List(F.Nested(PeriodSchema), required=True)
    closed = F.List(F.Nested(PeriodSchema), required=True)


class WeekSchema(ma.Schema):
    timezone = F.String(required=True)
    first_date = F.Date(required=True)
    start = F.AwareDateTime(required=True)
    end = F.AwareDateTime(required=True)
    days = F.List(F.Nested(DaySchema), required=True)


class WeekArgs(ma.Schema):
    start = F.Date(
        metadata={
            "description": "First local date of the week (default: this week's Monday), "
            "in the years 2000 to 2199.",
            "pattern": "^2[01][0-9]{2}-",
        },
        validate=ma.validate.Range(dt.date(2000, 1, 1), dt.date(2199, 12, 31)),
    )


@rota.route("/week")
class Week(MethodView):
    @rota.arguments(WeekArgs, location="query")
    @rota.response(200, WeekSchema)
    @errors(rota, "view_rota")
    def get(self, args: dict[str, Any]) -> Any:
        """Seven local days of shifts, gaps and closed hours."""
        auth.allowed("view_rota")
        wl = auth.warmline()
        first = args.get("start")
        if first is None:
            today = wl.clock().astimezone(wl.settings.line.timezone).date()
            first = today - dt.timedelta(days=today.weekday())
        with wl.db.unit_of_work() as session:
            return rota_view.week(session, wl.settings, first)


def time_range(args: dict[str, Any], back: dt.timedelta, ahead: dt.timedelta) -> tuple[Any, Any]:
    """``since``/``until`` with defaults around now; a range is cut to 366 days from ``since``
    and one that ends before it starts is empty."""
    now = auth.warmline().clock()
    since, until = args.get("since") or now - back, args.get("until") or now + ahead
    return since, max(since, min(until, since + MAX_RANGE))


class GapListSchema(ma.Schema):
    items = F.List(F.Nested(PeriodSchema), required=True)


@rota.route("/gaps")
class Gaps(MethodView):
    @rota.arguments(RangeArgs, location="query")
    @rota.response(200, GapListSchema)
    @errors(rota, "view_rota")
    def get(self, args: dict[str, Any]) -> Any:
        """Coverage gaps within the opening hours (default: the next 7 days)."""
        auth.allowed("view_rota")
        since, until = time_range(args, dt.timedelta(0), dt.timedelta(days=7))
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            return {"items": rota_view.gaps(session, wl.settings, since, until)}


class SpreadSchema(ma.Schema):
    count = F.Integer(required=True)
    median_s = F.Integer(required=True, allow_none=True)
    p90_s = F.Integer(required=True, allow_none=True)


class EscalationFiguresSchema(ma.Schema):
    count = F.Integer(required=True)
    by_level = F.Dict(keys=F.String(), values=F.Integer(), required=True)
    acknowledged = F.Integer(required=True)
    time_to_ack = F.Nested(SpreadSchema, required=True)


class CallFiguresSchema(ma.Schema):
    total = F.Integer(required=True)
    answered = F.Integer(required=True)
    missed = F.Integer(required=True)
    voicemail = F.Integer(required=True)
    by_outcome = F.Dict(keys=F.String(), values=F.Integer(), required=True)


class SummarySchema(ma.Schema):
    since = F.AwareDateTime(required=True)
    until = F.AwareDateTime(required=True)
    timezone = F.String(required=True)
    contacts = F.Integer(required=True)
    unique_contacts = F.Integer(required=True)
    first_response = F.Nested(SpreadSchema, required=True)
    waiting = F.Nested(SpreadSchema, required=True)
    abandoned = F.Integer(required=True)
    after_hours = F.Integer(required=True)
    escalations = F.Nested(EscalationFiguresSchema, required=True)
    calls = F.Nested(CallFiguresSchema, required=True)


@report.route("/summary")
class Summary(MethodView):
    @report.arguments(RangeArgs, location="query")
    @report.response(200, SummarySchema)
    @errors(report, "view_reports")
    def get(self, args: dict[str, Any]) -> Any:
        """Headline figures of conversations started in the range (default: the last 30 days)."""
        auth.allowed("view_reports")
        since, until = time_range(args, dt.timedelta(days=30), dt.timedelta(0))
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            return reports.summary(session, wl.settings, since, until)
