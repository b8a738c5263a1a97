"""The telephony port: what warmline needs of a phone provider, in warmline's own words.

Send a text, find out whether a text already went out, place warmline's own call, delete a
recording. The adapters behind it: Twilio's REST API (``telephony.rest.TwilioSender``), the
built-in phone simulator (``telephony.simulator.SimulatorSender``) and a recording fake for
tests (``telephony.fake.FakeTelephony``). Callers never pass a URL: an adapter that needs
webhooks (Twilio) builds them from the line's public URL itself.

Also here, since they cross the port: the error every adapter raises (:class:`SendFailure`),
and the words the domain uses for how calls went (:data:`DialEnd`, :data:`CallProgress`), into
which ``telephony.twilio_words`` translates Twilio's status words at the edge.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol, runtime_checkable

# Why warmline calls someone itself; only callbacks so far (a volunteer who claimed a voicemail
# is called, hears it, and is connected to the contact: SPEC §10).
CallPurpose = Literal["callback"]

# How a ring of volunteers (or the contact, on a callback) ended: a phone picked up (a person,
# a voicemail box, or someone who then declined), it rang out, it was busy, the call could not
# be made, or the caller hung up while it rang.
DialEnd = Literal["picked-up", "unanswered", "busy", "failed", "caller-left"]

# Where a call is in its life, as a status callback reports it; only "ended" is acted on.
CallProgress = Literal["placed", "ringing", "answered", "ended"]


class SendFailure(Exception):
    """What every adapter raises: ``transient`` says whether a retry may succeed, ``ambiguous``
    whether the request may have been accepted all the same (no answer, or a 5xx); ``code`` is
    the provider's error code when it gave one (21610: the recipient replied STOP)."""

    def __init__(
        self, message: str, *, code: int | None, transient: bool, ambiguous: bool = False
    ) -> None:
        super().__init__(message)
        self.code = code
        self.transient = transient
        self.ambiguous = ambiguous


@runtime_checkable
class Telephony(Protocol):
    """A phone provider. Every method raises :class:`SendFailure` when the provider refuses or
    cannot be reached, and never logs a phone number or a message body."""

    def send_sms(self, *, from_: str, to: str, body: str) -> str:
        """Send one text (up to 1,600 characters) from one of the line's numbers; its id."""
        ...

    def find_sent(self, *, from_: str, to: str, body: str, since: dt.datetime) -> list[str]:
        """The ids of texts with this body from ``from_`` to ``to`` created at or after
        ``since``, newest first (empty when none): after an attempt that may or may not have
        gone out, whether it did."""
        ...

    def place_call(
        self, *, purpose: CallPurpose, conversation_id: int, from_: str, to: str, ring_seconds: int
    ) -> str:
        """Call ``to`` from ``from_`` for ``purpose`` about conversation ``conversation_id``,
        letting it ring ``ring_seconds``; the call's id. What the callee hears, and the call's
        end, come back through the provider's webhooks."""
        ...

    def delete_recording(self, recording_sid: str) -> None:
        """Delete the provider's copy of a recording; an unknown id counts as deleted, so
        calling this again is safe."""
        ...
