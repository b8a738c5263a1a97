"""Twilio webhooks: parse the form, call one service, answer TwiML (SPEC §4).

The signature is checked once, for the whole blueprint, before any view runs.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask.typing import ResponseReturnValue
from twilio.twiml.messaging_response import MessagingResponse
from werkzeug.exceptions import BadRequest

from warmline import metrics
from warmline.bootstrap import Warmline
from warmline.routing.inbound import InboundSms
from warmline.telephony import signature
from warmline.web import webhook_fields as fields
from warmline.web.durable import SMS, SMS_STATUS, DeliveryStatus, Durable

bp = Blueprint("twilio", __name__, url_prefix="/twilio")


def warmline() -> Warmline:
    return current_app.extensions["warmline"]  # type: ignore[no-any-return]


def durable() -> Durable:
    return current_app.extensions["warmline.durable"]  # type: ignore[no-any-return]


@bp.before_request
def check_signature() -> None:
    # Before the form is read: a larger request is a 413 (Twilio's are a few kilobytes).
    request.max_content_length = fields.REQUEST_MAX
    wl = warmline()
    token, public_url = wl.settings.twilio_auth_token, wl.settings.public_url
    arrived_at = "" if public_url else request.url  # (building request.url costs; often unused)
    url = signature.signed_url(
        public_url, arrived_at, request.path, request.query_string.decode(errors="replace")
    )
    if token is None or not signature.is_valid(
        token, url, request.form, request.headers.get("X-Twilio-Signature")
    ):
        metrics.WEBHOOKS.labels(request.path, "forbidden").inc()
        abort(403, "invalid or missing X-Twilio-Signature")


@bp.app_errorhandler(fields.BadField)
def bad_field(exc: fields.BadField) -> ResponseReturnValue:
    """Every Twilio webhook (texts and calls): a field no Twilio request carries is a 400."""
    metrics.WEBHOOKS.labels(request.path, "bad_request").inc()
    return current_app.handle_http_exception(BadRequest(str(exc)))


EMPTY_TWIML = str(MessagingResponse())  # built once: most webhooks answer nothing


def twiml(response: MessagingResponse | None = None) -> Response:
    return Response(EMPTY_TWIML if response is None else str(response), mimetype="text/xml")


@bp.post("/sms")
def sms() -> Response:
    form = request.form
    inbound = InboundSms(
        sid=fields.sid(form, "MessageSid", "SmsSid"),
        from_=fields.address(form, "From"),
        to=fields.address(form, "To", fields.OWN_NUMBER_MAX),
        body=fields.body(form),
        num_media=fields.count(form, "NumMedia"),
    )
    acted = durable().accept(SMS, inbound)
    outcome = "spooled" if acted is None else "ok" if acted else "duplicate"
    metrics.WEBHOOKS.labels(request.path, outcome).inc()
    return twiml()


@bp.post("/sms/status")
def sms_status() -> Response:
    update = DeliveryStatus(
        sid=fields.sid(request.form, "MessageSid"),
        status=fields.word(request.form, "MessageStatus"),
        error_code=fields.error_code(request.form),
    )
    acted = durable().accept(SMS_STATUS, update)
    metrics.WEBHOOKS.labels(request.path, "spooled" if acted is None else "ok").inc()
    return Response("", status=204)
