"""The phone simulator (only without Twilio credentials): text the line as any phone and see
what each phone receives. Texts go through the same service as Twilio's webhook."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from warmline.privacy import parse_address
from warmline.routing.inbound import InboundSms, receive_sms
from warmline.telephony.simulator import Screens, volunteer_phones

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates")
screens = Screens()


@bp.get("/")
def page() -> str:
    wl = current_app.extensions["warmline"]
    with wl.db.unit_of_work() as session:
        volunteers = volunteer_phones(session)
    line = wl.settings.line
    numbers = (line.public_number,) + tuple(
        n for n in line.relay_numbers if n != line.public_number
    )
    return render_template("simulator.html", line=line, volunteers=volunteers, numbers=numbers)


@bp.post("/send")
def send() -> tuple[Response, int]:
    wl = current_app.extensions["warmline"]
    data = request.get_json(silent=True) or {}
    from_, to, body = (str(data.get(k, "")).strip() for k in ("from", "to", "body"))
    if not from_ or not to:
        abort(400, "from and to are required")
    now = wl.clock()
    sms = InboundSms(sid=f"SMsim{secrets.token_hex(14)}", from_=from_, to=to, body=body)
    with wl.db.unit_of_work() as session:
        receive_sms(session, wl.context, sms, now)
    screens.record_sent(parse_address(from_).key, to, body, now)
    return jsonify(ok=True), 201


@bp.get("/thread")
def thread() -> Response:
    """Everything one phone sent and received, oldest first."""
    wl = current_app.extensions["warmline"]
    phone = parse_address(request.args.get("phone", "")).key
    with wl.db.unit_of_work() as session:
        messages = screens.thread(session, wl.vault, phone)
    return jsonify(phone=phone, messages=messages)
