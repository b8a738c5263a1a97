"""The phone simulator (only without Twilio credentials): text the line as any phone and see
what each phone receives. Texts go through the same service as Twilio's webhook."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState

from warmline.routing.inbound import InboundSms, receive_sms
from warmline.telephony.simulator import (
    BadText,
    Screens,
    check_text,
    line_numbers,
    phone_key,
    reply_to,
)
from warmline.web.simulator_phones import volunteer_phones

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates")
CONTACT = "+15555550123"


@bp.record
def _keep_screens(state: BlueprintSetupState) -> None:
    """One set of screens per app: what its phones sent lives as long as the app."""
    state.app.extensions.setdefault("simulator_screens", Screens())


def _screens() -> Screens:
    screens: Screens = current_app.extensions["simulator_screens"]
    return screens


@bp.get("/")
def page() -> str:
    wl = current_app.extensions["warmline"]
    line = wl.settings.line
    with wl.db.unit_of_work() as session:
        volunteers = volunteer_phones(session, line.timezone, wl.clock())
    return render_template(
        "simulator.html",
        line=line,
        volunteers=volunteers,
        numbers=line_numbers(line),
        contact=CONTACT,
    )


@bp.get("/phones")
def phones() -> Response:
    """The volunteers' phones with their role and whether they are on shift now."""
    wl = current_app.extensions["warmline"]
    with wl.db.unit_of_work() as session:
        volunteers = volunteer_phones(session, wl.settings.line.timezone, wl.clock())
    return jsonify(phones=[v.as_json() for v in volunteers])


def _fields() -> Mapping[str, Any] | None:
    """The posted JSON object or form; None when the body is neither."""
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else None
    return request.form


@bp.post("/send")
def send() -> tuple[Response, int]:
    """Text the line as a phone: JSON or form fields ``from``, ``to`` and ``body``.

    201 when the line received it; 400 with ``error`` naming the field otherwise.
    """
    wl = current_app.extensions["warmline"]
    fields = _fields()
    if fields is None:
        return jsonify(error="the request body must be a JSON object: from, to, body"), 400
    try:
        text = check_text(fields, wl.settings.line)
    except BadText as exc:
        return jsonify(error=str(exc)), 400
    now = wl.clock()
    sms = InboundSms(
        sid=f"SMsim{secrets.token_hex(14)}", from_=text.from_, to=text.to, body=text.body
    )
    with wl.db.unit_of_work() as session:
        receive_sms(session, wl.context, sms, now)
    _screens().record_sent(text, now)
    return jsonify(ok=True), 201


@bp.get("/thread")
def thread() -> Response:
    """Everything one phone sent and received, oldest first, and the line number its next text
    goes to by default (``reply_to``)."""
    wl = current_app.extensions["warmline"]
    line = wl.settings.line
    phone = phone_key(request.args.get("phone", ""), line)
    with wl.db.unit_of_work() as session:
        messages = _screens().thread(session, wl.vault, phone, line.timezone)
    return jsonify(
        phone=phone, messages=messages, reply_to=reply_to(messages, phone, line_numbers(line))
    )
