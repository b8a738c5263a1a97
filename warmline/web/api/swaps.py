"""``/overrides`` (list, add, remove) and ``/swaps`` (list; offer or reassign a shift; take or
cancel an offer), through :mod:`warmline.services.rota` (audited as the token).

An override's period is given in the line's local time (``2026-12-24 18:00``), as the rota is
kept; a swap names its shift by any instant within it (ISO 8601)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort
from flask.views import MethodView

from warmline.people import AdminError
from warmline.queries import shifts as shift_view
from warmline.services import rota as service
from warmline.web.api import auth
from warmline.web.api.common import (
    MAX_ID,
    ONE_LINE,
    ListArgs,
    api_blueprint,
    errors,
    instant,
    not_found,
    page_of,
    refusals,
)

F = ma.fields

changes = api_blueprint("overrides", "/overrides", "Overrides: add, remove or replace someone.")
trades = api_blueprint("swaps", "/swaps", "Swaps: shifts offered, taken or reassigned.")
blueprints = (changes, trades)

LOCAL = {
    "pattern": "^2[01][0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]$",
    "example": "2026-12-24 18:00",
    "description": "Local date and time in the line's timezone, years 2000 to 2199.",
}


def a_volunteer(description: str = "", required: bool = False) -> ma.fields.Integer:
    """A volunteer's id (the services take ids up to six digits)."""
    meta = {"description": description} if description else {}
    return F.Integer(required=required, validate=ma.validate.Range(1, 999_999), metadata=meta)


class OverrideSchema(ma.Schema):
    id = F.Integer(required=True)
    kind = F.String(required=True, metadata={"description": "add, remove or replace"})
    volunteer_id = F.Integer(required=True)
    volunteer_name = F.String(required=True)
    replacement_id = F.Integer(required=True, allow_none=True)
    replacement_name = F.String(required=True, allow_none=True)
    start = F.AwareDateTime(required=True)
    end = F.AwareDateTime(required=True)
    supervisor = F.Boolean(required=True)
    reason = F.String(required=True, allow_none=True)
    created_at = F.AwareDateTime(required=True)


class NewOverrideSchema(ma.Schema):
    kind = F.String(required=True, validate=ma.validate.OneOf(["add", "remove", "replace"]))
    volunteer_id = a_volunteer(required=True)
    replacement_id = a_volunteer("Who replaces them (replace only).")
    start = F.String(required=True, validate=ma.validate.Regexp(LOCAL["pattern"]), metadata=LOCAL)
    end = F.String(required=True, validate=ma.validate.Regexp(LOCAL["pattern"]), metadata=LOCAL)
    supervisor = F.Boolean(load_default=False)
    reason = F.String(validate=[ma.validate.Length(0, 200), ONE_LINE])


class RemovedOverrideSchema(ma.Schema):
    override_id = F.Integer(required=True)
    cancelled_swap_id = F.Integer(
        required=True, allow_none=True, metadata={"description": "The swap it came from."}
    )


@changes.route("")
class Overrides(MethodView):
    @changes.arguments(ListArgs, location="query")
    @changes.response(200, page_of(OverrideSchema, "OverridePage"))
    @errors(changes, "view_rota")
    def get(self, args: dict[str, Any]) -> Any:
        """Overrides ending after ``since`` (default: now) and starting before ``until``."""
        auth.allowed("view_rota")
        wl = auth.warmline()
        args.setdefault("since", wl.clock())
        with wl.db.unit_of_work() as session:
            page = shift_view.overrides(session, **args)
        return page  # the page schema reads its items, total, limit and offset

    @changes.arguments(NewOverrideSchema)
    @changes.response(201, OverrideSchema)
    @errors(changes, "edit_rota", 400)
    def post(self, body: dict[str, Any]) -> Any:
        """Add, remove or replace a volunteer for a period; 422 when the rules refuse it."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        replacement = body.get("replacement_id")
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            made = service.add_override(
                session, who, wl.settings, wl.clock(), kind=body["kind"],
                volunteer=str(body["volunteer_id"]), start=body["start"], end=body["end"],
                replacement=str(replacement) if replacement is not None else None,
                supervisor=body["supervisor"], reason=body.get("reason") or None,
            )  # fmt: skip
            return shift_view.override(session, made.id)


@changes.route("/<int:override_id>")
class OneOverride(MethodView):
    @changes.response(200, RemovedOverrideSchema)
    @errors(changes, "edit_rota", 404, 422)
    def delete(self, override_id: int) -> Any:
        """Remove the override; a swap it came from is cancelled with it."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            if override_id > MAX_ID or shift_view.override(session, override_id) is None:
                not_found("override", override_id)
            swap = service.remove_override(session, who, wl.clock(), override_id)
            return {"override_id": override_id, "cancelled_swap_id": swap.id if swap else None}


class SwapSchema(ma.Schema):
    id = F.Integer(required=True)
    status = F.String(required=True, metadata={"description": "open, taken or cancelled"})
    offered_by_id = F.Integer(required=True)
    offered_by_name = F.String(required=True)
    taken_by_id = F.Integer(required=True, allow_none=True)
    taken_by_name = F.String(required=True, allow_none=True)
    start = F.AwareDateTime(required=True)
    end = F.AwareDateTime(required=True)
    source = F.String(required=True, metadata={"example": "slot:3"})
    requested_by = F.String(required=True, metadata={"description": "volunteer or coordinator"})
    override_id = F.Integer(required=True, allow_none=True)
    created_at = F.AwareDateTime(required=True)
    closed_at = F.AwareDateTime(required=True, allow_none=True)


class SwapArgs(ListArgs):
    status = F.String(validate=ma.validate.OneOf(["open", "taken", "cancelled"]))


class NewSwapSchema(ma.Schema):
    """``offer`` the volunteer's shift covering ``at`` to anyone, or ``reassign`` it to
    ``to_id`` at once (both volunteers are texted)."""

    action = F.String(required=True, validate=ma.validate.OneOf(["offer", "reassign"]))
    volunteer_id = a_volunteer(required=True)
    at = instant("Any instant within the shift.", required=True)
    to_id = a_volunteer("Who takes it (reassign only).")


class TakeSchema(ma.Schema):
    taker_id = a_volunteer(required=True)


def _swap(session: Any, swap_id: int) -> shift_view.SwapRow:
    found = shift_view.swap(session, swap_id) if swap_id <= MAX_ID else None
    if found is None:
        not_found("swap", swap_id)
    return found


@trades.route("")
class Swaps(MethodView):
    @trades.arguments(SwapArgs, location="query")
    @trades.response(200, page_of(SwapSchema, "SwapPage"))
    @errors(trades, "view_rota")
    def get(self, args: dict[str, Any]) -> Any:
        """Swaps of shifts ending after ``since`` (default: now), by start."""
        auth.allowed("view_rota")
        wl = auth.warmline()
        args.setdefault("since", wl.clock())
        with wl.db.unit_of_work() as session:
            page = shift_view.swaps(session, **args)
        return page  # the page schema reads its items, total, limit and offset

    @trades.arguments(NewSwapSchema)
    @trades.response(201, SwapSchema)
    @errors(trades, "edit_rota", 400)
    def post(self, body: dict[str, Any]) -> Any:
        """Offer or reassign a shift; 422 when the volunteer has no shift then, it is over,
        or the rules refuse it."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        volunteer = str(body["volunteer_id"])
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            if body["action"] == "reassign":
                if "to_id" not in body:
                    abort(422, "Say who takes the shift ('to_id').")
                made = service.reassign_shift(
                    session, who, wl.settings, wl.clock(), volunteer, body["at"],
                    str(body["to_id"]), wl.context,
                )  # fmt: skip
            else:
                made = service.offer_swap(
                    session, who, wl.settings, wl.clock(), volunteer, body["at"]
                )
            return _swap(session, made.id)


@trades.route("/<int:swap_id>")
class OneSwap(MethodView):
    @trades.response(200, SwapSchema)
    @errors(trades, "view_rota", 404)
    def get(self, swap_id: int) -> Any:
        """One swap."""
        auth.allowed("view_rota")
        with auth.warmline().db.unit_of_work() as session:
            return _swap(session, swap_id)


@trades.route("/<int:swap_id>/take")
class Take(MethodView):
    @trades.arguments(TakeSchema)
    @trades.response(200, SwapSchema)
    @errors(trades, "edit_rota", 400, 404)
    def post(self, body: dict[str, Any], swap_id: int) -> Any:
        """Someone takes an open offer (both volunteers are texted); 422 when it is not open,
        is over, or the taker cannot take it."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            _swap(session, swap_id)
            service.take_swap(
                session, who, wl.settings, wl.clock(), swap_id, str(body["taker_id"]), wl.context
            )
            return _swap(session, swap_id)


@trades.route("/<int:swap_id>/cancel")
class Cancel(MethodView):
    @trades.response(200, SwapSchema)
    @errors(trades, "edit_rota", 404, 409)
    def post(self, swap_id: int) -> Any:
        """Withdraw an open offer; 409 when it is not open."""
        who = auth.allowed("edit_rota")
        wl = auth.warmline()
        with refusals(409, AdminError), wl.db.unit_of_work() as session:
            _swap(session, swap_id)
            service.cancel_swap(session, who, wl.clock(), swap_id)
            return _swap(session, swap_id)
