"""Twilio webhooks: parse the form, call one service, answer TwiML (SPEC §4).

The signature is checked once, for the whole blueprint, before any view runs.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from warmline import metrics
from warmline.bootstrap import Warmline
from warmline.routing.inbound import InboundSms, receive_sms
from warmline.routing.outcomes import delivery_status
from warmline.telephony import signature

bp = Blueprint("twilio", __name__, url_prefix="/twilio")


def warmline() -> Warmline:
    return current_app.extensions["warmline"]  # type: ignore[no-any-return]


@bp.before_request
def check_signature() -> None:
    wl = warmline()
    token, public_url = wl.settings.twilio_auth_token, wl.settings.public_url
    arrived_at = "" if public_url else request.url  # (building request.url costs; often unused)
    url = signature.signed_url(public_url, arrived_at, request.path, request.query_string.decode())
    if token is None or not signature.is_valid(
        token, url, request.form, request.headers.get("X-Twilio-Signature")
    ):
        metrics.WEBHOOKS.labels(request.path, "forbidden").inc()
        abort(403, "invalid or missing X-Twilio-Signature")


def field(name: str) -> str:
    """A form field as text PostgreSQL can store: NUL characters become U+FFFD."""
    return request.form.get(name, "").replace("\x00", "\ufffd")


def required(*names: str) -> dict[str, str]:
    """The named form fields, or a 400 naming the first one missing."""
    values = {}
    for name in names:
        value = field(name).strip()
        if not value:
            metrics.WEBHOOKS.labels(request.path, "bad_request").inc()
            abort(400, f"missing required field {name}")
        values[name] = value
    return values


def as_int(name: str) -> int:
    try:
        return max(0, int(request.form.get(name, "0")))
    except ValueError:
        return 0


EMPTY_TWIML = str(MessagingResponse())  # built once: most webhooks answer nothing


def twiml(response: MessagingResponse | None = None) -> Response:
    return Response(EMPTY_TWIML if response is None else str(response), mimetype="text/xml")


def sid_field(*names: str) -> str:
    """A Twilio SID (34 characters; up to 64 accepted) from the first field present, or 400."""
    sid = next((request.form[n].strip() for n in names if request.form.get(n, "").strip()), "")
    if not sid:
        abort(400, f"missing required field {names[0]}")
    if len(sid) > 64 or not sid.isalnum():
        abort(400, f"{names[0]} is not a Twilio SID")
    return sid


def error_code() -> int | None:
    code = request.form.get("ErrorCode", "").strip()
    return int(code) if code.isdigit() and len(code) < 9 else None


@bp.post("/sms")
def sms() -> Response:
    sid = sid_field("MessageSid", "SmsSid")
    fields = required("From", "To")
    wl = warmline()
    inbound = InboundSms(
        sid=sid.strip(),
        from_=fields["From"],
        to=fields["To"],
        body=field("Body"),
        num_media=as_int("NumMedia"),
    )
    now = wl.clock()
    acted = wl.db.run(lambda session: receive_sms(session, wl.context, inbound, now))
    metrics.WEBHOOKS.labels(request.path, "ok" if acted else "duplicate").inc()
    return twiml()


@bp.post("/sms/status")
def sms_status() -> Response:
    sid = sid_field("MessageSid")
    status = required("MessageStatus")["MessageStatus"].lower()
    wl = warmline()
    code, now = error_code(), wl.clock()
    wl.db.run(lambda session: delivery_status(session, wl.context, sid, status, code, now))
    metrics.WEBHOOKS.labels(request.path, "ok").inc()
    return Response("", status=204)
