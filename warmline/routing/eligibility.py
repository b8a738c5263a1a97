"""Who may take a conversation, and who gets it (SPEC §7). Pure: no database, no clock.

Eligible: active, on shift now, not paused, not on a call, below capacity, has a free relay
number, not a volunteer who passed (or timed out on) this conversation, and a language match
when both sides have one. When no volunteer on shift and taking conversations (not paused, and
not one who passed it) declares the contact's language, busy or not, the language is set aside
rather than leave the contact waiting for nobody; while one who does is on shift, they wait.

Choice: a returning contact's previous volunteer when eligible (returning: their last
conversation closed at most ``return_to_volunteer_hours`` ago, :func:`returning_to`); otherwise
fewest open conversations, then longest since last assignment (never assigned counts as longest),
then the lowest id so the result is deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Candidate:
    volunteer_id: int
    active: bool
    on_shift: bool
    paused: bool
    capacity: int
    open_relays: frozenset[str]  # relay numbers bound to this volunteer's open conversations
    languages: frozenset[str] = frozenset()
    last_assigned_at: dt.datetime | None = None
    on_call: bool = False

    @property
    def open_count(self) -> int:
        return len(self.open_relays)


def returning_to(
    last_volunteer_id: int | None,
    last_closed_at: dt.datetime | None,
    now: dt.datetime,
    window: dt.timedelta,
) -> int | None:
    """The volunteer a contact returns to: the one of their last conversation when it closed
    within ``window`` before ``now`` (the boundary included), else None."""
    if last_volunteer_id is None or last_closed_at is None:
        return None
    return last_volunteer_id if now - last_closed_at <= window else None


def free_relay(candidate: Candidate, pool: Sequence[str]) -> str | None:
    """The first relay number of the pool not bound to one of the volunteer's conversations."""
    for number in pool:
        if number not in candidate.open_relays:
            return number
    return None


def is_eligible(
    c: Candidate, *, pool: Sequence[str], language: str | None, excluded: Iterable[int] = ()
) -> bool:
    if not (c.active and c.on_shift) or c.paused or c.on_call:
        return False
    if c.open_count >= c.capacity or free_relay(c, pool) is None:
        return False
    if c.volunteer_id in set(excluded):
        return False
    return not (language and c.languages and language not in c.languages)


def speaks(c: Candidate, language: str) -> bool:
    """Whether ``c`` takes conversations now and declares ``language`` (however busy)."""
    return c.active and c.on_shift and not c.paused and language in c.languages


def choose(
    candidates: Iterable[Candidate],
    *,
    pool: Sequence[str],
    language: str | None = None,
    excluded: Iterable[int] = (),
    previous_id: int | None = None,
) -> Candidate | None:
    """The volunteer who gets the conversation, or None when nobody is eligible."""
    excluded = frozenset(excluded)
    candidates = list(candidates)
    if language and not any(
        speaks(c, language) and c.volunteer_id not in excluded for c in candidates
    ):
        language = None
    eligible = [
        c for c in candidates if is_eligible(c, pool=pool, language=language, excluded=excluded)
    ]
    if not eligible:
        return None
    for c in eligible:
        if c.volunteer_id == previous_id:
            return c
    return min(eligible, key=lambda c: (c.open_count, c.last_assigned_at or _NEVER, c.volunteer_id))
