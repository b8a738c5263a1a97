"""``/volunteers``: list and read (numbers for coordinators only), add, edit, activate and
deactivate, through :mod:`warmline.services.volunteers` (audited as the token)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from warmline.accounts.roles import can
from warmline.people import AdminError
from warmline.queries import volunteers as volunteer_view
from warmline.services import volunteers as service
from warmline.web.api import auth
from warmline.web.api.common import (
    MAX_ID,
    ONE_LINE,
    ListArgs,
    api_blueprint,
    envelope,
    errors,
    not_found,
    page_of,
    refusals,
)

F = ma.fields
# The services name a volunteer by id up to six digits (longer digit runs are phone numbers).
MAX_VOLUNTEER_ID = 999_999

people = api_blueprint("volunteers", "/volunteers", "Volunteers (numbers: coordinators only).")
blueprints = (people,)


class VolunteerSchema(ma.Schema):
    id = F.Integer(required=True)
    name = F.String(required=True)
    role = F.String(required=True, metadata={"description": "volunteer or supervisor"})
    active = F.Boolean(required=True)
    paused = F.Boolean(required=True)
    capacity = F.Integer(required=True)
    languages = F.List(F.String(), required=True)
    created_at = F.AwareDateTime(required=True)
    phone = F.String(metadata={"description": "E.164; only for the coordinator role."})


class VolunteerArgs(ListArgs):
    active = F.Boolean()


LANGUAGE = F.String(validate=ma.validate.Regexp(r"^[a-z]{2,3}$"), metadata={"example": "es"})


class VolunteerChangeSchema(ma.Schema):
    """What a PATCH may change; every field optional, at least one given."""

    name = F.String(validate=[ma.validate.Length(1, 120), ONE_LINE])
    phone = F.String(
        validate=[ma.validate.Length(1, 32), ONE_LINE],
        metadata={"description": "E.164, or national format in the line's country."},
    )
    role = F.String(validate=ma.validate.OneOf(["volunteer", "supervisor"]))
    capacity = F.Integer(validate=ma.validate.Range(1, 100))
    languages = F.List(LANGUAGE, validate=ma.validate.Length(0, 16))


class NewVolunteerSchema(VolunteerChangeSchema):
    name = F.String(required=True, validate=[ma.validate.Length(1, 120), ONE_LINE])
    phone = F.String(required=True, validate=[ma.validate.Length(1, 32), ONE_LINE])


def _out(row: volunteer_view.VolunteerRow, phones: bool) -> dict[str, Any]:
    out = {
        "id": row.id,
        "name": row.name,
        "role": row.role,
        "active": row.active,
        "paused": row.paused,
        "capacity": row.capacity,
        "languages": list(row.languages),
        "created_at": row.created_at,
    }
    return out | {"phone": row.phone} if phones else out


def _read(session: Any, volunteer_id: int, phones: bool) -> dict[str, Any]:
    row = (
        volunteer_view.one(session, volunteer_id, phones=phones) if volunteer_id <= MAX_ID else None
    )
    if row is None:
        not_found("volunteer", volunteer_id)
    return _out(row, phones)


def _ref(session: Any, volunteer_id: int) -> str:
    """The services' name for an existing volunteer; 404 otherwise."""
    if (
        volunteer_id > MAX_VOLUNTEER_ID
        or volunteer_view.one(session, volunteer_id, phones=False) is None
    ):
        not_found("volunteer", volunteer_id)
    return str(volunteer_id)


@people.route("")
class Volunteers(MethodView):
    @people.arguments(VolunteerArgs, location="query")
    @people.response(200, page_of(VolunteerSchema, "VolunteerPage"))
    @errors(people, "view_rota")
    def get(self, args: dict[str, Any]) -> Any:
        """Volunteers by name; ``since``/``until`` filter when they were added."""
        who = auth.allowed("view_rota")
        phones = can(who.role, "view_volunteer_phones")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            page = volunteer_view.page(session, phones=phones, **args)
        items = [_out(row, phones) for row in page.items]
        return envelope(items, page.total, page.limit, page.offset)

    @people.arguments(NewVolunteerSchema)
    @people.response(201, VolunteerSchema)
    @errors(people, "edit_volunteers", 400)
    def post(self, body: dict[str, Any]) -> Any:
        """Add an active volunteer (capacity: the line's default when not given). 422 when a
        rule refuses it (a number already taken, not a whole phone number)."""
        who = auth.allowed("edit_volunteers")
        wl = auth.warmline()
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            made = service.add(
                session, who, wl.settings, wl.clock(),
                name=body["name"], number=body["phone"], role=body.get("role", "volunteer"),
                capacity=body.get("capacity"), languages=",".join(body.get("languages", [])),
            )  # fmt: skip
            return _read(session, made.id, True)


@people.route("/<int:volunteer_id>")
class OneVolunteer(MethodView):
    @people.response(200, VolunteerSchema)
    @errors(people, "view_rota", 404)
    def get(self, volunteer_id: int) -> Any:
        """One volunteer."""
        who = auth.allowed("view_rota")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            return _read(session, volunteer_id, can(who.role, "view_volunteer_phones"))

    @people.arguments(VolunteerChangeSchema)
    @people.response(200, VolunteerSchema)
    @errors(people, "edit_volunteers", 400, 404)
    def patch(self, body: dict[str, Any], volunteer_id: int) -> Any:
        """Change the fields given. 422 when none is given or a rule refuses (demoting a
        supervisor who still supervises a shift)."""
        who = auth.allowed("edit_volunteers")
        wl = auth.warmline()
        langs = body.get("languages")
        with refusals(422, AdminError), wl.db.unit_of_work() as session:
            service.edit(
                session, who, wl.settings, wl.clock(), _ref(session, volunteer_id),
                name=body.get("name"), number=body.get("phone"), role=body.get("role"),
                capacity=body.get("capacity"),
                languages=",".join(langs) if langs is not None else None,
            )  # fmt: skip
            return _read(session, volunteer_id, True)


@people.route("/<int:volunteer_id>/activate")
class Activate(MethodView):
    @people.response(200, VolunteerSchema)
    @errors(people, "edit_volunteers", 404, 409)
    def post(self, volunteer_id: int) -> Any:
        """Route to the volunteer again; 409 when already active."""
        who = auth.allowed("edit_volunteers")
        wl = auth.warmline()
        with refusals(409, AdminError), wl.db.unit_of_work() as session:
            service.activate(session, who, wl.settings, wl.clock(), _ref(session, volunteer_id))
            return _read(session, volunteer_id, True)


@people.route("/<int:volunteer_id>/deactivate")
class Deactivate(MethodView):
    @people.response(200, VolunteerSchema)
    @errors(people, "edit_volunteers", 404, 409)
    def post(self, volunteer_id: int) -> Any:
        """Stop routing to the volunteer (their open conversations stay theirs); 409 when
        already inactive."""
        who = auth.allowed("edit_volunteers")
        wl = auth.warmline()
        with refusals(409, AdminError), wl.db.unit_of_work() as session:
            service.deactivate(session, who, wl.settings, wl.clock(), _ref(session, volunteer_id))
            return _read(session, volunteer_id, True)
