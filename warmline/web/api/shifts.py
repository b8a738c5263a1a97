"""``/shifts``: weekly and one-off shifts — list, add, edit (weekly), remove — through
:mod:`warmline.services.rota` (audited as the token). Times are the line's local times; a
shift is named as the CLI and the dashboard name it, ``w3`` (weekly) or ``o3`` (one-off)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from flask import abort
from flask.views import MethodView

from warmline.people import AdminError
from warmline.queries import shifts as shift_view
from warmline.scheduling.shift_text import WEEKDAYS
from warmline.services import rota as service
from warmline.services import rota_edits
from warmline.web.api import auth
from warmline.web.api.common import (
    ListArgs,
    api_blueprint,
    errors,
    not_found,
    page_of,
    refusals,
)

F = ma.fields

rota = api_blueprint("shifts", "/shifts", "Weekly and one-off shifts (the line's local times).")
blueprints = (rota,)

SHIFT_REF = r"^[wo][1-9][0-9]{0,8}$"
LOCAL_TIME = {"pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "18:00"}


def local_date(description: str, **kw: Any) -> ma.fields.Date:
    return F.Date(
        validate=ma.validate.Range(dt.date(2000, 1, 1), dt.date(2199, 12, 31)),
        metadata={
            "description": f"{description} Years 2000 to 2199.",
            "pattern": "^2[01][0-9]{2}-",
        },
        **kw,
    )


class PersonSchema(ma.Schema):
    volunteer_id = F.Integer(required=True)
    name = F.String(required=True)
    supervisor = F.Boolean(required=True)


class ShiftRecordSchema(ma.Schema):
    id = F.String(required=True, metadata={"example": "w3", "pattern": SHIFT_REF})
    kind = F.String(required=True, metadata={"description": "weekly or one_off"})
    day = F.String(required=True, metadata={"example": "mon"})
    start_time = F.String(required=True, metadata=LOCAL_TIME)
    end_time = F.String(
        required=True, metadata={"description": "At or before the start: the next day."}
    )
    date = F.Date(required=True, allow_none=True, metadata={"description": "One-off only."})
    first_date = F.Date(required=True, allow_none=True)
    last_date = F.Date(required=True, allow_none=True)
    starts_at = F.AwareDateTime(required=True, allow_none=True)
    ends_at = F.AwareDateTime(required=True, allow_none=True)
    people = F.List(F.Nested(PersonSchema), required=True)


class ShiftListSchema(ma.Schema):
    items = F.List(F.Nested(ShiftRecordSchema), required=True)


class ShiftArgs(ListArgs):
    kind = F.String(validate=ma.validate.OneOf(["weekly", "one_off"]))


VOLUNTEER_IDS = F.List(
    F.Integer(validate=ma.validate.Range(1, 999_999)),
    load_default=list,
    validate=ma.validate.Length(0, 50),
)


class WeeklyShiftSchema(ma.Schema):
    """A weekly shift: every ``day`` from ``start`` to ``end`` (local), between the optional
    dates; at least one volunteer or supervisor."""

    day = F.String(required=True, validate=ma.validate.OneOf(WEEKDAYS))
    start = F.String(
        required=True, validate=ma.validate.Regexp(LOCAL_TIME["pattern"]), metadata=LOCAL_TIME
    )
    end = F.String(
        required=True, validate=ma.validate.Regexp(LOCAL_TIME["pattern"]), metadata=LOCAL_TIME
    )
    first_date = local_date("First local date (optional).")
    last_date = local_date("Last local date (optional).")
    volunteers = VOLUNTEER_IDS
    supervisors = VOLUNTEER_IDS


class NewShiftSchema(WeeklyShiftSchema):
    """``kind`` weekly (``day``, optional dates) or one_off (``date``: one shift per person)."""

    kind = F.String(load_default="weekly", validate=ma.validate.OneOf(["weekly", "one_off"]))
    day = F.String(validate=ma.validate.OneOf(WEEKDAYS))
    date = local_date("The one-off's local date.")


class EditShiftSchema(WeeklyShiftSchema):
    """A weekly shift (``w…``): ``day``, times, optional dates and its people. A one-off shift
    (``o…``): ``date``, times and its one person, in ``volunteers`` or in ``supervisors``."""

    day = F.String(validate=ma.validate.OneOf(WEEKDAYS))
    date = local_date("A one-off shift's local date.")


def _ids(values: list[int]) -> list[str]:
    return [str(v) for v in values]


@rota.route("")
class Shifts(MethodView):
    @rota.arguments(ShiftArgs, location="query")
    @rota.response(200, page_of(ShiftRecordSchema, "ShiftPage"))
    @errors(rota, "view_rota")
    def get(self, args: dict[str, Any]) -> Any:
        """Weekly shifts, then one-offs ending after ``since`` (default: now) and starting
        before ``until``."""
        auth.allowed("view_rota")
        wl = auth.warmline()
        args.setdefault("since", wl.clock())
        with wl.db.unit_of_work() as session:
            page = shift_view.shifts(session, wl.settings.line.timezone, **args)
        return page  # the page schema reads its items, total, limit and offset

    @rota.arguments(NewShiftSchema)
    @rota.response(201, ShiftListSchema)
    @errors(rota, "edit_rota", 400)
    def post(self, body: dict[str, Any]) -> Any:
        """Add a weekly shift, or one-off shifts (one per person); 422 when the rota's rules
        refuse it (no one on it, over already, someone already on it, an unknown volunteer)."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        volunteers, supervisors = _ids(body["volunteers"]), _ids(body["supervisors"])
        tz = wl.settings.line.timezone
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            if body["kind"] == "one_off":
                if "date" not in body:
                    abort(422, "A one-off shift needs its date.")
                made = service.add_one_off(
                    session, who, wl.settings, wl.clock(), on=body["date"].isoformat(),
                    start=body["start"], end=body["end"], volunteers=volunteers,
                    supervisors=supervisors,
                )  # fmt: skip
                refs = [f"o{s.id}" for s in made]
            else:
                if "day" not in body:
                    abort(422, "A weekly shift needs its day.")
                first, last = _dates(body)
                slot = service.add_weekly(
                    session, who, wl.settings, wl.clock(), day=body["day"], start=body["start"],
                    end=body["end"], volunteers=volunteers, supervisors=supervisors,
                    first_date=first, last_date=last,
                )  # fmt: skip
                refs = [f"w{slot.id}"]
            return {"items": [shift_view.shift(session, tz, ref) for ref in refs]}


def _dates(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The optional first and last dates, as the service takes them."""
    first, last = body.get("first_date"), body.get("last_date")
    return (first.isoformat() if first else None, last.isoformat() if last else None)


def _existing(session: Any, ref: str) -> shift_view.ShiftRow:
    found = shift_view.shift(session, auth.warmline().settings.line.timezone, ref)
    if found is None:  # also a ref of another shape
        not_found("shift", ref)
    return found


@rota.route("/<shift_id>")
class OneShift(MethodView):
    @rota.response(200, ShiftRecordSchema)
    @errors(rota, "view_rota", 404)
    def get(self, shift_id: str) -> Any:
        """One shift."""
        auth.allowed("view_rota")
        with auth.warmline().db.unit_of_work() as session:
            return _existing(session, shift_id)

    @rota.arguments(EditShiftSchema)
    @rota.response(200, ShiftRecordSchema)
    @errors(rota, "edit_rota", 400, 404)
    def put(self, body: dict[str, Any], shift_id: str) -> Any:
        """Replace a shift, which keeps its id: a weekly one's day, times, dates and people; a
        one-off's date, times and its one person. 422 when the rota's rules refuse it."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            _existing(session, shift_id)
            if shift_id.startswith("o"):
                people = [(v, False) for v in body["volunteers"]]
                people += [(v, True) for v in body["supervisors"]]
                if "date" not in body:
                    abort(422, "A one-off shift needs its date.")
                if len(people) != 1:
                    abort(422, "A one-off shift is one person's: one volunteer or supervisor.")
                rota_edits.edit_one_off(
                    session, who, wl.settings, wl.clock(), int(shift_id[1:]),
                    on=body["date"].isoformat(), start=body["start"], end=body["end"],
                    volunteer=str(people[0][0]), supervisor=people[0][1],
                )  # fmt: skip
                return _existing(session, shift_id)
            if "day" not in body:
                abort(422, "A weekly shift needs its day.")
            first, last = _dates(body)
            service.edit_weekly(
                session, who, wl.settings, wl.clock(), int(shift_id[1:]), day=body["day"],
                start=body["start"], end=body["end"], volunteers=_ids(body["volunteers"]),
                supervisors=_ids(body["supervisors"]), first_date=first, last_date=last,
            )  # fmt: skip
            return _existing(session, shift_id)

    @rota.response(204)
    @errors(rota, "edit_rota", 404, 422)
    def delete(self, shift_id: str) -> Any:
        """Remove the shift."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            _existing(session, shift_id)
            service.remove_shift(session, who, wl.settings, wl.clock(), shift_id)
        return None
