"""A recording fake of the telephony port, for tests that need no Twilio and no stand-in.

It records what warmline asked for: ``sent[to]`` (the bodies texted to each number, in order),
``calls`` (each call placed) and ``deleted`` (recording ids). ``fail_next`` makes the next
request of any kind raise the given ``SendFailure`` instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from warmline.telephony.port import CallPurpose, SendFailure


@dataclass(frozen=True)
class PlacedCall:
    purpose: CallPurpose
    conversation_id: int
    from_: str
    to: str
    ring_seconds: int
    sid: str


@dataclass(frozen=True)
class SentText:
    sid: str
    from_: str
    to: str
    body: str
    at: dt.datetime | None


@dataclass
class FakeTelephony:
    """Implements ``telephony.port.Telephony``; ``clock`` stamps texts for ``find_sent``."""

    clock: Callable[[], dt.datetime] | None = None  # stamps texts, for find_sent's ``since``
    sent: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    texts: list[SentText] = field(default_factory=list)
    calls: list[PlacedCall] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failures: list[SendFailure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, failure: SendFailure) -> None:
        self.failures.append(failure)

    def _request(self, prefix: str) -> str:
        if self.failures:
            raise self.failures.pop(0)
        return f"{prefix}{next(self._ids):032x}"

    def send_sms(self, *, from_: str, to: str, body: str) -> str:
        sid = self._request("SM")
        at = self.clock() if self.clock is not None else None
        self.texts.append(SentText(sid, from_, to, body, at))
        self.sent[to].append(body)
        return sid

    def find_sent(self, *, from_: str, to: str, body: str, since: dt.datetime) -> list[str]:
        return [
            t.sid
            for t in reversed(self.texts)
            if (t.from_, t.to, t.body) == (from_, to, body) and (t.at is None or t.at >= since)
        ]

    def place_call(
        self, *, purpose: CallPurpose, conversation_id: int, from_: str, to: str, ring_seconds: int
    ) -> str:
        sid = self._request("CA")
        self.calls.append(PlacedCall(purpose, conversation_id, from_, to, ring_seconds, sid))
        return sid

    def delete_recording(self, recording_sid: str) -> None:
        self._request("RE")
        self.deleted.append(recording_sid)
