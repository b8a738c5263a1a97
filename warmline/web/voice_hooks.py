"""Twilio voice webhooks under ``/twilio/voice``: parse, call one service, answer TwiML (§10).

The same signature check as every other Twilio webhook runs before each view
(``twilio_hooks.check_signature``). Parent-call requests find their conversation by ``CallSid``;
a volunteer's leg (whisper, accept) and warmline's callback call carry ``c`` (conversation) and
``v`` (volunteer) in the query string, which the signature covers.
"""

from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, Response, abort, request
from twilio.twiml.voice_response import VoiceResponse

from warmline import metrics
from warmline.routing import callbacks, calls
from warmline.routing.call_rules import parse_seconds
from warmline.telephony import twiml
from warmline.web.twilio_hooks import check_signature, required, warmline

bp = Blueprint("voice", __name__, url_prefix="/twilio/voice")
bp.before_request(check_signature)


def url(path: str) -> str:
    return warmline().callback_url(path) or path


def voice() -> twiml.Voice:
    return twiml.Voice.of(warmline().settings.calls)


def bad_request(reason: str) -> NoReturn:
    metrics.WEBHOOKS.labels(request.path, "bad_request").inc()
    abort(400, reason)


def is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9


def arg(name: str) -> int:
    """The id in query parameter ``name``, or a 400."""
    value = request.args.get(name, "")
    if not is_id(value):
        bad_request(f"missing or invalid query parameter {name}")
    return int(value)


def form_fields(*names: str) -> dict[str, str]:
    """``required`` fields, and a 400 for one longer than warmline stores (SIDs: 64)."""
    values = required(*names)
    for name, value in values.items():
        if len(value) > (500 if name.endswith("Url") else 64):
            bad_request(f"field {name} is too long")
    return values


def xml(response: VoiceResponse, result: str = "ok") -> Response:
    metrics.WEBHOOKS.labels(request.path, result).inc()
    return Response(str(response), mimetype="text/xml")


def render(step: calls.Step) -> VoiceResponse:
    settings = warmline().settings
    if isinstance(step, calls.Ring):
        tail = f"?v={step.callees[0].volunteer_id}" if step.sequential else ""
        numbers = [
            (c.phone, url(f"/twilio/voice/whisper?c={step.conversation_id}&v={c.volunteer_id}"))
            for c in step.callees
        ]
        return twiml.ring(
            numbers,
            caller_id=settings.line.public_number,
            timeout=settings.calls.ring_seconds,
            action_url=url("/twilio/voice/dialed" + tail),
        )
    if isinstance(step, calls.TakeVoicemail):
        return twiml.voicemail(
            voice(),
            step.text,
            url("/twilio/voice/menu?then=record"),
            url("/twilio/voice/voicemail"),
            settings.calls.voicemail_seconds,
        )
    if isinstance(step, calls.Record):
        return twiml.record(
            voice(), url("/twilio/voice/voicemail"), settings.calls.voicemail_seconds
        )
    if isinstance(step, calls.CrisisLine):
        return twiml.crisis_line(voice(), step.number)
    return twiml.hangup(voice(), step.text)


@bp.post("")
def inbound() -> Response:
    fields = form_fields("CallSid", "From")
    wl = warmline()
    conv = wl.db.run(
        lambda session: calls.call_arrived(
            session, wl.context, fields["CallSid"], fields["From"], wl.clock()
        )
    )
    if conv is None:
        return xml(twiml.hangup(), "blocked")
    return xml(twiml.greeting(voice(), calls.greeting(wl.context), url("/twilio/voice/menu")))


@bp.post("/menu")
def menu() -> Response:
    fields = form_fields("CallSid")
    wl = warmline()
    digits = request.form.get("Digits", "").strip()
    then_record = request.args.get("then") == "record"
    step = wl.db.run(
        lambda session: calls.key_pressed(
            session, wl.context, fields["CallSid"], digits, then_record, wl.clock()
        )
    )
    return xml(render(step))


@bp.post("/whisper")
def whisper() -> Response:
    conv_id, volunteer_id = arg("c"), arg("v")
    wl = warmline()
    wl.db.run(lambda session: calls.leg_screened(session, conv_id, volunteer_id, wl.clock()))
    return xml(twiml.whisper(voice(), url(f"/twilio/voice/accept?c={conv_id}&v={volunteer_id}")))


@bp.post("/accept")
def accept() -> Response:
    conv_id, volunteer_id = arg("c"), arg("v")
    wl = warmline()
    digits = request.form.get("Digits", "").strip()
    taken = wl.db.run(
        lambda session: calls.leg_answered(session, conv_id, volunteer_id, digits, wl.clock())
    )
    if taken:
        return xml(twiml.connect(), "accepted")
    return xml(twiml.hangup(), "declined")


@bp.post("/dialed")
def dialed() -> Response:
    fields = form_fields("CallSid", "DialCallStatus")
    wl = warmline()
    volunteer = request.args.get("v", "")  # only in sequential mode
    step = wl.db.run(
        lambda session: calls.dial_ended(
            session,
            wl.context,
            fields["CallSid"],
            int(volunteer) if is_id(volunteer) else None,
            fields["DialCallStatus"].lower(),
            parse_seconds(request.form.get("DialCallDuration")),
            request.form.get("CallStatus", "").lower(),
            wl.clock(),
        )
    )
    return xml(render(step))


@bp.post("/voicemail")
def voicemail() -> Response:
    fields = form_fields("CallSid", "RecordingSid", "RecordingUrl")
    wl = warmline()
    message = callbacks.Voicemail(
        fields["RecordingSid"],
        fields["RecordingUrl"],
        parse_seconds(request.form.get("RecordingDuration")),
    )
    kept = wl.db.run(
        lambda session: callbacks.voicemail_left(
            session, wl.context, fields["CallSid"], message, wl.clock()
        )
    )
    return xml(twiml.voicemail_saved(voice()), "ok" if kept else "duplicate")


@bp.post("/status")
def status() -> Response:
    fields = form_fields("CallSid", "CallStatus")
    wl = warmline()
    acted = wl.db.run(
        lambda session: calls.call_status(
            session,
            wl.context,
            fields["CallSid"],
            fields["CallStatus"].lower(),
            parse_seconds(request.form.get("CallDuration")),
            wl.clock(),
        )
    )
    metrics.WEBHOOKS.labels(request.path, "ok" if acted else "duplicate").inc()
    return Response("", status=204)


@bp.post("/bridge")
def bridge() -> Response:
    conv_id = arg("c")
    wl = warmline()
    found = wl.db.run(lambda session: callbacks.bridge(session, conv_id))
    if found is None:
        return xml(twiml.hangup(voice(), "This callback is no longer waiting. Thank you."))
    connect_url = url(f"/twilio/voice/bridge/connect?c={conv_id}")
    return xml(twiml.bridge_prompt(voice(), found.alias, found.recording_url, connect_url))


@bp.post("/bridge/connect")
def bridge_connect() -> Response:
    conv_id = arg("c")
    wl = warmline()
    digits = request.form.get("Digits", "").strip()
    number = wl.db.run(
        lambda session: callbacks.connect(session, wl.context, conv_id, digits, wl.clock())
    )
    if number is None:
        return xml(twiml.hangup(), "declined")
    return xml(
        twiml.bridge_dial(
            voice(),
            number,
            caller_id=wl.settings.line.public_number,
            timeout=wl.settings.calls.ring_seconds,
            action_url=url(f"/twilio/voice/bridged?c={conv_id}"),
        )
    )


@bp.post("/bridged")
def bridged() -> Response:
    conv_id = arg("c")
    fields = form_fields("DialCallStatus")
    wl = warmline()
    said = wl.db.run(
        lambda session: callbacks.bridged(
            session,
            wl.context,
            conv_id,
            fields["DialCallStatus"].lower(),
            parse_seconds(request.form.get("DialCallDuration")),
            wl.clock(),
        )
    )
    return xml(twiml.hangup(voice(), said))
