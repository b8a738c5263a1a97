"""Rules of a call (SPEC §10). Pure: no database, no clock, no Twilio wire format (the web layer
translates Twilio's status words into the telephony port's: ``telephony.twilio_words``).

Who is rung: active, on shift, not paused, not already on a call, below their capacity (a
volunteer whose texting capacity is full is not free), and not tried already on this call. Order:
fewest open conversations, then longest since last assignment, then lowest id; at most
``MAX_SIMULTANEOUS`` (Twilio dials at most ten ``<Number>``s at once).

What a dialled volunteer's leg ending means (``after_dial``, with the port's ``DialEnd``):

* the volunteer pressed 1 (accepted): the call was answered, however the dial ended;
* ``caller-left``, or the caller's call has ended: the caller gave up while it rang (missed);
* ``busy``, ``unanswered``, ``failed``, and ``picked-up`` without a 1 (a voicemail or a
  volunteer who declined): try the next volunteer (sequential) or take a voicemail.

How a call ends (``final_outcome``): answered when a volunteer accepted; a crisis transfer or a
voicemail stays so; otherwise missed when volunteers were rung and abandoned when the caller hung
up before anyone was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from warmline.routing.eligibility import Candidate
from warmline.telephony.port import DialEnd

MAX_SIMULTANEOUS = 10
# Twilio ends a <Dial> after its timeLimit, four hours by default; a call still "assigned" some
# minutes later lost its last webhooks, and would otherwise keep its volunteer from texts.
STALE_AFTER = dt.timedelta(hours=4, minutes=10)
ACCEPT_KEY = "1"
CRISIS_KEY = "9"
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)

DialResult = Literal["answered", "next", "gone"]


def is_free_for_a_call(c: Candidate) -> bool:
    return c.active and c.on_shift and not c.paused and not c.on_call and c.open_count < c.capacity


def callees(
    candidates: Iterable[Candidate], excluded: Iterable[int] = (), limit: int = MAX_SIMULTANEOUS
) -> list[Candidate]:
    """The volunteers to ring, best first, at most ``limit``."""
    tried = frozenset(excluded)
    free = [c for c in candidates if is_free_for_a_call(c) and c.volunteer_id not in tried]
    free.sort(key=lambda c: (c.open_count, c.last_assigned_at or _NEVER, c.volunteer_id))
    return free[: max(0, min(limit, MAX_SIMULTANEOUS))]


def after_dial(end: DialEnd, accepted: bool, caller_gone: bool = False) -> DialResult:
    """What a ring of volunteers that ended as ``end`` means (see module doc)."""
    if accepted:
        return "answered"
    if caller_gone or end == "caller-left":
        return "gone"
    return "next"


def final_outcome(outcome: str | None, accepted: bool, rung: bool) -> str:
    """The outcome a call ends with, from what it reached (see module doc)."""
    if accepted:
        return "answered"
    if outcome in ("crisis-transfer", "voicemail"):
        return outcome
    return "missed" if rung else "abandoned"
