"""``/escalations``: list (paged; open only, level, date range), acknowledge, add a note,
through :mod:`warmline.services.escalations` (audited as the token). Contacts by alias only."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy.orm import Session

from warmline.queries import escalations as query
from warmline.services import escalations as service
from warmline.web.api import auth
from warmline.web.api.common import (
    MAX_ID,
    ListArgs,
    api_blueprint,
    errors,
    not_found,
    page_of,
    refusals,
)

F = ma.fields

alarms = api_blueprint("escalations", "/escalations", "Escalations: list, acknowledge, note.")
blueprints = (alarms,)


class StepSchema(ma.Schema):
    at = F.AwareDateTime(required=True)
    what = F.String(required=True, metadata={"example": "acknowledged"})
    by = F.String(required=True, allow_none=True)
    note = F.String(required=True, allow_none=True)


class EscalationSchema(ma.Schema):
    id = F.Integer(required=True)
    conversation_id = F.Integer(required=True, allow_none=True)
    contact_id = F.Integer(required=True, allow_none=True)
    alias = F.String(required=True, allow_none=True)
    level = F.String(required=True, metadata={"description": "crisis or concern"})
    source = F.String(required=True, metadata={"description": "scan, volunteer, voice, ..."})
    raised_at = F.AwareDateTime(required=True)
    raised_by = F.String(required=True, allow_none=True)
    conversation_open = F.Boolean(required=True)
    acknowledged_at = F.AwareDateTime(required=True, allow_none=True)
    acknowledged_by = F.String(required=True, allow_none=True)
    steps = F.List(F.Nested(StepSchema), required=True)


class EscalationArgs(ListArgs):
    open = F.Boolean(metadata={"description": "Only those not yet acknowledged."})
    level = F.String(validate=ma.validate.OneOf(["crisis", "concern"]))


class AcknowledgedSchema(ma.Schema):
    changed = F.Boolean(
        required=True, metadata={"description": "False when it had been acknowledged before."}
    )
    message = F.String(required=True)
    escalation = F.Nested(EscalationSchema, required=True)


class NoteSchema(ma.Schema):
    note = F.String(
        required=True,
        validate=[
            ma.validate.Length(1, service.MAX_NOTE),
            ma.validate.Regexp(
                r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", error="No control characters."
            ),
        ],
    )


def _one(session: Session, escalation_id: int) -> query.EscalationRow:
    found = (
        query.recent(session, escalation_id=escalation_id).items
        if escalation_id <= MAX_ID
        else ()
    )
    if not found:
        not_found("escalation", escalation_id)
    return found[0]


@alarms.route("")
class Escalations(MethodView):
    @alarms.arguments(EscalationArgs, location="query")
    @alarms.response(200, page_of(EscalationSchema, "EscalationPage"))
    @errors(alarms, "handle_escalations")
    def get(self, args: dict[str, Any]) -> Any:
        """Escalations raised in the range, newest first."""
        auth.allowed("handle_escalations")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            page = query.recent(session, open_only=args.pop("open", False), **args)
        return page  # the page schema reads its items, total, limit and offset


@alarms.route("/<int:escalation_id>")
class OneEscalation(MethodView):
    @alarms.response(200, EscalationSchema)
    @errors(alarms, "handle_escalations", 404)
    def get(self, escalation_id: int) -> Any:
        """One escalation with its record of steps."""
        auth.allowed("handle_escalations")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            return _one(session, escalation_id)


@alarms.route("/<int:escalation_id>/acknowledge")
class Acknowledge(MethodView):
    @alarms.response(200, AcknowledgedSchema)
    @errors(alarms, "handle_escalations", 404)
    def post(self, escalation_id: int) -> Any:
        """Acknowledge as the coordinators, as a supervisor's ``#ack`` does: the re-alert is
        cancelled and the contact's volunteer told. Again: ``changed`` is false."""
        who = auth.allowed("handle_escalations")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            _one(session, escalation_id)
            done = service.acknowledge(session, wl.context, who, escalation_id, wl.clock())
            after = _one(session, escalation_id)
        return {"changed": done.changed, "message": done.message, "escalation": after}


@alarms.route("/<int:escalation_id>/notes")
class Notes(MethodView):
    @alarms.arguments(NoteSchema)
    @alarms.response(201, EscalationSchema)
    @errors(alarms, "handle_escalations", 400, 404)
    def post(self, body: dict[str, Any], escalation_id: int) -> Any:
        """Add a note to the escalation's record (the audit log says a note was added, never
        what it says); 422 for a note that is blank."""
        who = auth.allowed("handle_escalations")
        wl = auth.warmline()
        with refusals(422, service.EscalationError), wl.db.unit_of_work() as session:
            _one(session, escalation_id)
            service.add_note(session, who, escalation_id, body["note"], wl.clock())
            return _one(session, escalation_id)
