"""``/conversations`` (metadata by alias, never a number) and ``/audit``: paged, with date
filters."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from warmline import audit
from warmline.queries import conversations as conversation_view
from warmline.web.api import auth
from warmline.web.api.common import ListArgs, api_blueprint, envelope, errors, page_of

F = ma.fields

talks = api_blueprint("conversations", "/conversations", "Conversations: metadata only.")
log = api_blueprint("audit", "/audit", "Who did what, when (coordinators).")
blueprints = (talks, log)


class ConversationSchema(ma.Schema):
    conversation_id = F.Integer(required=True)
    contact_id = F.Integer(required=True)
    alias = F.String(required=True)
    channel = F.String(required=True)
    volunteer_id = F.Integer(required=True, allow_none=True)
    volunteer_name = F.String(required=True, allow_none=True)
    started_at = F.AwareDateTime(required=True)
    closed_at = F.AwareDateTime(required=True, allow_none=True)
    first_response_s = F.Integer(required=True, allow_none=True)
    duration_s = F.Integer(required=True, allow_none=True)
    outcome = F.String(required=True)
    escalated = F.Boolean(required=True)


class ConversationArgs(ListArgs):
    volunteer_id = F.Integer(validate=ma.validate.Range(1, 2**31 - 1))
    escalated = F.Boolean()
    outcome = F.String(validate=ma.validate.Length(1, 32))
    channel = F.String(validate=ma.validate.OneOf(["sms", "voice"]))


@talks.route("")
class Conversations(MethodView):
    @talks.arguments(ConversationArgs, location="query")
    @talks.response(200, page_of(ConversationSchema, "ConversationPage"))
    @errors(talks, "view_conversations")
    def get(self, args: dict[str, Any]) -> Any:
        """Conversations started in the range, newest first."""
        auth.allowed("view_conversations")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            page = conversation_view.page(session, **args)
        return page  # the page schema reads its items, total, limit and offset


class AuditSchema(ma.Schema):
    id = F.Integer(required=True)
    at = F.AwareDateTime(required=True)
    actor_kind = F.String(required=True, metadata={"description": "user, token or cli"})
    actor_name = F.String(required=True)
    actor_role = F.String(required=True)
    action = F.String(required=True, metadata={"example": "contact.erase"})
    target = F.String(required=True, allow_none=True, metadata={"example": "contact:7"})
    detail = F.String(required=True)


class AuditArgs(ListArgs):
    actor = F.String(validate=ma.validate.Length(1, 254))
    action = F.String(validate=ma.validate.Length(1, 64))


@log.route("")
class Audit(MethodView):
    @log.arguments(AuditArgs, location="query")
    @log.response(200, page_of(AuditSchema, "AuditPage"))
    @errors(log, "view_audit")
    def get(self, args: dict[str, Any]) -> Any:
        """Audit entries, newest first; ``action`` exact (``contact.erase``) or a noun."""
        auth.allowed("view_audit")
        wl = auth.warmline()
        with wl.db.unit_of_work() as session:
            rows, total = audit.entries(session, **args)
        return envelope(rows, total, args["limit"], args["offset"])
