"""Twilio voice webhooks under ``/twilio/voice``: parse, call one service, answer TwiML (§10).

The same signature check as every other Twilio webhook runs before each view
(``twilio_hooks.check_signature``). Parent-call requests find their conversation by ``CallSid``;
a volunteer's leg (whisper, accept) and warmline's callback call carry ``c`` (conversation) and
``v`` (volunteer) in the query string, which the signature covers. Twilio's status words are
translated into the telephony port's here (``telephony.twilio_words``), before routing sees them.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from warmline import metrics, texts
from warmline.db.models import Volunteer
from warmline.routing import callbacks, calls
from warmline.telephony import twiml
from warmline.telephony.twilio_words import call_progress, dial_end, parse_seconds
from warmline.web import webhook_fields as fields
from warmline.web.twilio_hooks import check_signature, warmline

bp = Blueprint("voice", __name__, url_prefix="/twilio/voice")
bp.before_request(check_signature)


def url(path: str) -> str:
    return warmline().callback_url(path) or path


def voice() -> twiml.Voice:
    return twiml.Voice.of(warmline().settings.calls)


def arg(name: str) -> int:
    """The id in query parameter ``name``, or a 400."""
    return fields.query_id(request.args, name)


def call_sid() -> str:
    return fields.sid(request.form, "CallSid")


def digits() -> str:
    return fields.optional_word(request.form, "Digits")


def known_volunteer(session: Session, volunteer_id: int | None) -> int | None:
    """``volunteer_id`` when such a volunteer exists (ids in callback URLs are warmline's own,
    but a signed request may carry any)."""
    if volunteer_id is None:
        return None
    return session.scalar(select(Volunteer.id).where(Volunteer.id == volunteer_id))


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
    sid, caller = call_sid(), fields.address(request.form, "From")
    wl = warmline()
    conv = wl.db.run(
        lambda session: calls.call_arrived(session, wl.context, sid, caller, wl.clock())
    )
    if conv is None:
        return xml(twiml.hangup(), "blocked")
    return xml(twiml.greeting(voice(), calls.greeting(wl.context), url("/twilio/voice/menu")))


@bp.post("/menu")
def menu() -> Response:
    sid, keys = call_sid(), digits()
    wl = warmline()
    then_record = request.args.get("then") == "record"
    step = wl.db.run(
        lambda session: calls.key_pressed(session, wl.context, sid, keys, then_record, wl.clock())
    )
    return xml(render(step))


@bp.post("/whisper")
def whisper() -> Response:
    conv_id, volunteer_id = arg("c"), arg("v")
    wl = warmline()

    def screened(session: Session) -> bool:
        if known_volunteer(session, volunteer_id) is None:
            return False
        calls.leg_screened(session, conv_id, volunteer_id, wl.clock())
        return True

    if not wl.db.run(screened):
        raise fields.BadField("v", "names no volunteer", where="query parameter")
    return xml(twiml.whisper(voice(), url(f"/twilio/voice/accept?c={conv_id}&v={volunteer_id}")))


@bp.post("/accept")
def accept() -> Response:
    conv_id, volunteer_id, keys = arg("c"), arg("v"), digits()
    wl = warmline()
    taken = wl.db.run(
        lambda session: calls.leg_answered(session, conv_id, volunteer_id, keys, wl.clock())
    )
    if taken:
        return xml(twiml.connect(), "accepted")
    return xml(twiml.hangup(), "declined")


@bp.post("/dialed")
def dialed() -> Response:
    sid, end = call_sid(), dial_end(fields.word(request.form, "DialCallStatus"))
    caller_gone = call_progress(fields.optional_word(request.form, "CallStatus")) == "ended"
    seconds = parse_seconds(request.form.get("DialCallDuration"))
    wl = warmline()
    # Only in sequential mode; a caller is waiting, so an odd one is ignored rather than refused.
    volunteer_id = fields.optional_query_id(request.args, "v")
    step = wl.db.run(
        lambda session: calls.dial_ended(
            session,
            wl.context,
            sid,
            known_volunteer(session, volunteer_id),
            end,
            seconds,
            caller_gone,
            wl.clock(),
        )
    )
    return xml(render(step))


@bp.post("/voicemail")
def voicemail() -> Response:
    sid = call_sid()
    message = callbacks.Voicemail(
        fields.sid(request.form, "RecordingSid"),
        fields.url(request.form, "RecordingUrl"),
        parse_seconds(request.form.get("RecordingDuration")),
    )
    wl = warmline()
    kept = wl.db.run(
        lambda session: callbacks.voicemail_left(session, wl.context, sid, message, wl.clock())
    )
    return xml(twiml.voicemail_saved(voice()), "ok" if kept else "duplicate")


@bp.post("/status")
def status() -> Response:
    sid, progress = call_sid(), call_progress(fields.word(request.form, "CallStatus"))
    seconds = parse_seconds(request.form.get("CallDuration"))
    wl = warmline()
    acted = wl.db.run(
        lambda session: calls.call_status(session, wl.context, sid, progress, seconds, wl.clock())
    )
    metrics.WEBHOOKS.labels(request.path, "ok" if acted else "duplicate").inc()
    return Response("", status=204)


@bp.post("/bridge")
def bridge() -> Response:
    conv_id = arg("c")
    wl = warmline()
    found = wl.db.run(lambda session: callbacks.bridge(session, conv_id))
    if found is None:
        return xml(twiml.hangup(voice(), texts.fixed("callback_gone")))
    connect_url = url(f"/twilio/voice/bridge/connect?c={conv_id}")
    return xml(twiml.bridge_prompt(voice(), found.alias, found.recording_url, connect_url))


@bp.post("/bridge/connect")
def bridge_connect() -> Response:
    conv_id, keys = arg("c"), digits()
    wl = warmline()
    number = wl.db.run(
        lambda session: callbacks.connect(session, wl.context, conv_id, keys, wl.clock())
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
    conv_id, end = arg("c"), dial_end(fields.word(request.form, "DialCallStatus"))
    seconds = parse_seconds(request.form.get("DialCallDuration"))
    wl = warmline()
    said = wl.db.run(
        lambda session: callbacks.bridged(session, wl.context, conv_id, end, seconds, wl.clock())
    )
    return xml(twiml.hangup(voice(), said))
