"""TwiML for calls, built with ``twilio.twiml.voice_response`` (SPEC §10).

Pure: every URL is given by the caller (absolute, so the signature Twilio sends covers exactly
what we check), every spoken text comes from the line's settings or the texts catalogue. Facts
from Twilio's TwiML reference relied on here:

* ``<Gather numDigits="1" action=...>`` posts ``Digits`` to ``action`` after one key; with no key
  it falls through to the next verb (a ``<Redirect>`` or ``<Record>``).
* ``<Dial action=...>`` posts ``DialCallStatus`` (completed, busy, no-answer, failed, canceled),
  ``DialCallSid`` and ``DialCallDuration`` to ``action`` when the dialled leg ends; up to ten
  ``<Number>``s ring at once and the first to connect wins.
* ``<Number url=...>`` runs that TwiML on the called phone once it answers, before it is
  connected: a ``<Hangup/>`` there drops only that leg, empty TwiML connects it.
* ``<Record action=... maxLength=...>`` posts ``RecordingUrl``, ``RecordingSid`` and
  ``RecordingDuration`` to ``action``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twilio.twiml.voice_response import VoiceResponse

from warmline import texts
from warmline.config import Calls

KEY_SECONDS = 5  # how long a <Gather> waits for the key
WHISPER_SECONDS = 8


@dataclass(frozen=True)
class Voice:
    """How warmline speaks: the configured Polly voice and language."""

    voice: str
    language: str

    @classmethod
    def of(cls, calls: Calls) -> Voice:
        return cls(calls.voice, calls.language)


def _say(parent: object, voice: Voice, text: str) -> None:
    parent.say(text, voice=voice.voice, language=voice.language)  # type: ignore[attr-defined]


def greeting(voice: Voice, text: str, menu_url: str) -> VoiceResponse:
    """The greeting inside a one-key ``<Gather>``; no key goes on to the menu all the same."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=menu_url, timeout=KEY_SECONDS)
    _say(gather, voice, text)
    response.redirect(menu_url)
    return response


def crisis_line(voice: Voice, number: str) -> VoiceResponse:
    response = VoiceResponse()
    _say(response, voice, texts.fixed("call_crisis_transfer"))
    response.dial(number)
    return response


def ring(
    numbers: Sequence[tuple[str, str]],
    *,
    caller_id: str,
    timeout: int,
    action_url: str,
) -> VoiceResponse:
    """Ring ``numbers`` ((phone, whisper URL) pairs) with the line's number as caller ID."""
    if not 1 <= len(numbers) <= 10:
        raise ValueError("a <Dial> rings between 1 and 10 numbers")
    response = VoiceResponse()
    dial = response.dial(caller_id=caller_id, timeout=timeout, action=action_url)
    for phone, whisper_url in numbers:
        dial.number(phone, url=whisper_url)
    return response


def whisper(voice: Voice, accept_url: str) -> VoiceResponse:
    """What a rung volunteer hears: press 1 to take the call; anything else hangs up, so their
    voicemail never takes it."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=accept_url, timeout=WHISPER_SECONDS)
    _say(gather, voice, texts.fixed("call_whisper"))
    response.hangup()
    return response


def connect() -> VoiceResponse:
    """Empty TwiML: the whispered leg is connected to the caller."""
    return VoiceResponse()


def hangup(voice: Voice | None = None, text: str | None = None) -> VoiceResponse:
    response = VoiceResponse()
    if voice is not None and text:
        _say(response, voice, text)
    response.hangup()
    return response


def voicemail(
    voice: Voice, text: str, menu_url: str, record_url: str, max_seconds: int
) -> VoiceResponse:
    """``text`` (when we open, 9 for the crisis line) in a ``<Gather>``, then the recording."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=menu_url, timeout=2)
    _say(gather, voice, text)
    _record(response, voice, record_url, max_seconds)
    return response


def record(voice: Voice, record_url: str, max_seconds: int) -> VoiceResponse:
    response = VoiceResponse()
    _say(response, voice, texts.fixed("call_leave_message"))
    _record(response, voice, record_url, max_seconds)
    return response


def _record(response: VoiceResponse, voice: Voice, record_url: str, max_seconds: int) -> None:
    response.record(
        action=record_url, max_length=max_seconds, finish_on_key="#", play_beep=True, timeout=5
    )
    _say(response, voice, texts.fixed("call_no_message"))
    response.hangup()


def voicemail_saved(voice: Voice) -> VoiceResponse:
    return hangup(voice, texts.fixed("call_voicemail_saved"))


def bridge_prompt(
    voice: Voice, alias: str, recording_url: str | None, connect_url: str
) -> VoiceResponse:
    """Warmline's call to a volunteer taking a callback: the message, then 1 to connect."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=connect_url, timeout=10)
    _say(gather, voice, texts.fixed("callback_intro", alias=alias))
    if recording_url:
        _say(gather, voice, texts.fixed("callback_their_message"))
        gather.play(recording_url)
    _say(gather, voice, texts.fixed("callback_press_1", alias=alias))
    _say(response, voice, texts.fixed("callback_no_key"))
    response.hangup()
    return response


def bridge_dial(
    voice: Voice, contact_number: str, *, caller_id: str, timeout: int, action_url: str
) -> VoiceResponse:
    """Dial the contact for the volunteer, showing the line's number."""
    response = VoiceResponse()
    _say(response, voice, texts.fixed("callback_connecting"))
    dial = response.dial(caller_id=caller_id, timeout=timeout, action=action_url)
    dial.number(contact_number)
    return response
