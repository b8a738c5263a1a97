"""``/contacts/{id}``: erasure (``DELETE``) and export of one contact's data (SPEC §12)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort
from flask.views import MethodView

from warmline.services.contacts import ContactNotFound, erase_contact, export_contact
from warmline.web.api import auth
from warmline.web.api.common import api_blueprint, errors

F = ma.fields

rights = api_blueprint("contacts", "/contacts", "A contact's data: erase it or export it.")
blueprints = (rights,)


class ErasureSchema(ma.Schema):
    contact_id = F.Integer(required=True)
    alias = F.String(required=True)
    already = F.Boolean(required=True, metadata={"description": "It had been erased before."})
    messages = F.Integer(required=True, metadata={"description": "Message bodies deleted."})
    texts = F.Integer(required=True)
    recordings = F.Integer(required=True, metadata={"description": "Voicemails forgotten."})
    twilio_deleted = F.Integer(required=True)
    twilio_pending = F.Integer(
        required=True, metadata={"description": "Twilio copies the worker will retry."}
    )


class ExportSchema(ma.Schema):
    exported_at = F.String(required=True, metadata={"format": "date-time"})
    contact = F.Dict(required=True)
    conversations = F.List(F.Dict(), required=True)
    messages_outside_conversations = F.List(F.Dict(), required=True)
    texts_from_the_line = F.List(F.Dict(), required=True)
    escalations = F.List(F.Dict(), required=True)


MAX_ID = 2**31 - 1


def _check(contact_id: int) -> int:
    if contact_id > MAX_ID:
        abort(404, f"No contact has id {contact_id}.")
    return contact_id


@rights.route("/<int:contact_id>")
class Contact(MethodView):
    @rights.response(200, ErasureSchema)
    @errors(rights, "erase_contacts", 404)
    def delete(self, contact_id: int) -> Any:
        """Erase the contact: bodies, number and voicemails (ours and Twilio's); counts stay."""
        who = auth.allowed("erase_contacts")
        wl = auth.warmline()
        try:
            with wl.db.unit_of_work() as session:
                return erase_contact(
                    session, wl.context, who, _check(contact_id), wl.clock(), wl.sender
                )
        except ContactNotFound:
            abort(404, f"No contact has id {contact_id}.")


@rights.route("/<int:contact_id>/export")
class Export(MethodView):
    @rights.response(200, ExportSchema)
    @errors(rights, "view_transcript", 404)
    def get(self, contact_id: int) -> Any:
        """Everything kept about the contact, to hand to them."""
        who = auth.allowed("view_transcript")
        wl = auth.warmline()
        try:
            with wl.db.unit_of_work() as session:
                return export_contact(session, wl.context, who, _check(contact_id), wl.clock())
        except ContactNotFound:
            abort(404, f"No contact has id {contact_id}.")
