"""The phone simulator (only without Twilio credentials): text the line as any phone and see
what each phone receives. Texts go through the same service as Twilio's webhook."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from sqlalchemy import select

from warmline.db.models import Outbound, Volunteer
from warmline.privacy import parse_address
from warmline.routing.inbound import InboundSms, receive_sms

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates")
# What each simulated phone sent, newest last: the simulator's own screen, kept in memory only.
_sent: dict[str, list[dict[str, str]]] = {}


@bp.get("/")
def page() -> str:
    wl = current_app.extensions["warmline"]
    with wl.db.unit_of_work() as session:
        volunteers = [(v.name, v.phone) for v in session.scalars(select(Volunteer))]
    line = wl.settings.line
    return render_template(
        "simulator.html",
        line=line,
        volunteers=volunteers,
        numbers=(line.public_number,)
        + tuple(n for n in line.relay_numbers if n != line.public_number),
    )


@bp.post("/send")
def send() -> tuple[Response, int]:
    wl = current_app.extensions["warmline"]
    data = request.get_json(silent=True) or {}
    from_, to, body = (str(data.get(k, "")).strip() for k in ("from", "to", "body"))
    if not from_ or not to:
        abort(400, "from and to are required")
    now = wl.clock()
    with wl.db.unit_of_work() as session:
        receive_sms(
            session,
            wl.context,
            InboundSms(sid=f"SMsim{secrets.token_hex(14)}", from_=from_, to=to, body=body),
            now,
        )
    key = parse_address(from_).key
    _sent.setdefault(key, []).append({"from": key, "to": to, "body": body, "at": now.isoformat()})
    return jsonify(ok=True), 201


@bp.get("/thread")
def thread() -> Response:
    """Everything one phone sent and received, oldest first."""
    wl = current_app.extensions["warmline"]
    phone = parse_address(request.args.get("phone", "")).key
    with wl.db.unit_of_work() as session:
        rows = session.scalars(select(Outbound).order_by(Outbound.id)).all()
        received = [
            {
                "from": r.from_number,
                "to": phone,
                "body": r.body or "",
                "at": _iso(r.created_at),
                "status": r.status,
            }
            for r in rows
            if wl.vault.decrypt(r.to_encrypted) == phone
        ]
    items = sorted(_sent.get(phone, []) + received, key=lambda m: m["at"])
    return jsonify(phone=phone, messages=items)


def _iso(at: dt.datetime) -> str:
    return at.isoformat()
