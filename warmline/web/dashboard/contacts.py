"""``/contacts/<id>``: a contact's data rights for coordinators (SPEC §12): export everything kept
about them as JSON, or erase it, after a confirmation. Both go through
``services.contacts``, which audits them, exactly as ``warmline contact`` and the API do."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for

from warmline.queries import contacts as query
from warmline.services import contacts as service
from warmline.web.dashboard.access import actor, now, require, warmline
from warmline.web.dashboard.blueprint import bp


def _summary(contact_id: int) -> query.ContactSummary:
    with warmline().db.unit_of_work() as session:
        found = query.summary(session, contact_id)
    if found is None:
        abort(404)
    return found


@bp.get("/contacts/<int:contact_id>", endpoint="contact")
@require("erase_contacts")
def contact_page(contact_id: int) -> Any:
    return render_template("contact.html", contact=_summary(contact_id))


@bp.post("/contacts/<int:contact_id>/export", endpoint="contact_export")
@require("erase_contacts")
def contact_export(contact_id: int) -> Any:
    """The export as a file to hand to the person; recorded in the audit log."""
    wl = warmline()
    try:
        with wl.db.unit_of_work() as session:
            data = service.export_contact(session, wl.context, actor(), contact_id, now())
    except service.ContactNotFound:
        abort(404)
    body = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="contact-{contact_id}-export.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/contacts/<int:contact_id>/erase", methods=["GET", "POST"], endpoint="contact_erase")
@require("erase_contacts")
def contact_erase(contact_id: int) -> Any:
    """GET (or a POST without ``confirm=yes``) asks first; the confirmed POST erases."""
    contact = _summary(contact_id)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("contact_erase.html", contact=contact)
    wl = warmline()
    with wl.db.unit_of_work() as session:
        done = service.erase_contact(session, wl.context, actor(), contact_id, now(), wl.sender)
    said = (
        f"{done.alias}: {done.messages} messages, {done.texts} texts and "
        f"{done.recordings} voicemails erased."
    )
    if done.twilio_pending:
        said += f" {done.twilio_pending} copies at Twilio will be deleted on the next try."
    flash(said, "ok")
    return redirect(url_for("dashboard.contact", contact_id=contact_id))
