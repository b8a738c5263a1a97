"""Twilio's status words, translated into the telephony port's at the edge (pure).

``DialCallStatus`` (the end of a ``<Dial>``): ``completed`` and ``answered`` mean a phone picked
up; ``no-answer``, ``busy``, ``failed`` say why nobody did; ``canceled`` means the caller hung up
while it rang. ``CallStatus`` (a status callback): ``queued``/``initiated`` placed, ``ringing``,
``in-progress``/``answered`` answered; ``completed``, ``busy``, ``no-answer``, ``failed`` and
``canceled`` all end the call. A word Twilio does not document reads as the safest meaning: a
dial that failed, a call still under way.
"""

from __future__ import annotations

from warmline.telephony.port import CallProgress, DialEnd

DIAL_ENDS: dict[str, DialEnd] = {
    "completed": "picked-up",
    "answered": "picked-up",
    "no-answer": "unanswered",
    "busy": "busy",
    "failed": "failed",
    "canceled": "caller-left",
}
CALL_PROGRESS: dict[str, CallProgress] = {
    "queued": "placed",
    "initiated": "placed",
    "ringing": "ringing",
    "in-progress": "answered",
    "answered": "answered",
    "completed": "ended",
    "busy": "ended",
    "no-answer": "ended",
    "failed": "ended",
    "canceled": "ended",
}


def dial_end(dial_status: str) -> DialEnd:
    """The port's word for a ``DialCallStatus``."""
    return DIAL_ENDS.get(dial_status, "failed")


def call_progress(call_status: str) -> CallProgress:
    """The port's word for a ``CallStatus``."""
    return CALL_PROGRESS.get(call_status, "placed")


def parse_seconds(value: str | None) -> int | None:
    """A Twilio duration field (whole seconds) or None when absent or not a number."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        return None
    return int(value)
