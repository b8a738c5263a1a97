"""The rota's value types: what the coordinators enter and what the rota computes.

Plain frozen dataclasses, no database and no Flask; the adapters map ORM rows into these.
Construction validates: aware datetimes, ``end > start``, ``replace`` has a replacement, a slot's
weekday is 0..6 and its times are naive wall-clock times. The rules that give these meaning are in
:mod:`warmline.scheduling.rota`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

OverrideKind = Literal["add", "remove", "replace"]
GapKind = Literal["uncovered", "no_supervisor"]


def require_aware(value: dt.datetime, name: str) -> None:
    """Raise ValueError unless ``value`` is an aware datetime."""
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def _require_period(start: dt.datetime, end: dt.datetime, what: str) -> None:
    require_aware(start, f"{what}.start")
    require_aware(end, f"{what}.end")
    if end <= start:
        raise ValueError(f"{what} must end after it starts ({start} .. {end})")


@dataclass(frozen=True)
class Assignment:
    """A volunteer on a shift; ``supervisor`` marks them as the shift's supervisor."""

    volunteer_id: int
    supervisor: bool = False


@dataclass(frozen=True)
class WeeklySlot:
    """A shift repeating every week in the rota's timezone.

    ``weekday`` is the local weekday the shift starts (0=Monday..6=Sunday); ``start`` and ``end``
    are local wall-clock times; ``end <= start`` means the shift crosses midnight and
    ``end == start`` means 24 hours. ``first_date``/``last_date`` bound, inclusively, the local
    date on which an occurrence starts.
    """

    id: int
    weekday: int
    start: dt.time
    end: dt.time
    volunteers: tuple[Assignment, ...]
    first_date: dt.date | None = None
    last_date: dt.date | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"slot {self.id}: weekday must be 0..6, got {self.weekday}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError(f"slot {self.id}: start and end are naive wall-clock times")
        if self.first_date and self.last_date and self.first_date > self.last_date:
            raise ValueError(f"slot {self.id}: first_date is after last_date")


@dataclass(frozen=True)
class OneOffShift:
    """A shift that happens once, between two aware instants."""

    id: int
    start: dt.datetime
    end: dt.datetime
    volunteers: tuple[Assignment, ...]

    def __post_init__(self) -> None:
        _require_period(self.start, self.end, f"one-off {self.id}")


@dataclass(frozen=True)
class Override:
    """A change to who is on shift during ``[start, end)``.

    ``add``: ``volunteer_id`` is on shift (as supervisor when ``supervisor``). ``remove``:
    ``volunteer_id`` is taken off. ``replace``: ``volunteer_id`` is taken off and
    ``replacement_id`` takes over the removed time, keeping its supervisor flag.
    """

    id: int
    kind: OverrideKind
    volunteer_id: int
    start: dt.datetime
    end: dt.datetime
    replacement_id: int | None = None
    supervisor: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("add", "remove", "replace"):
            raise ValueError(f"override {self.id}: unknown kind {self.kind!r}")
        if (self.kind == "replace") != (self.replacement_id is not None):
            raise ValueError(
                f"override {self.id}: replacement_id is required by, and only by, replace"
            )
        _require_period(self.start, self.end, f"override {self.id}")


@dataclass(frozen=True)
class Rota:
    """A line's rota: its timezone, weekly slots, one-off shifts and overrides."""

    timezone: ZoneInfo
    slots: tuple[WeeklySlot, ...] = ()
    one_offs: tuple[OneOffShift, ...] = ()
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class ShiftInstance:
    """A volunteer on shift from ``start`` to ``end`` (aware UTC).

    ``source`` names where it came from: ``"slot:3"``, ``"one-off:2"``, ``"override:5"``; pieces
    of one volunteer merged together join their sources with ``"+"`` (``"slot:3+override:5"``).
    """

    volunteer_id: int
    start: dt.datetime
    end: dt.datetime
    supervisor: bool
    source: str


@dataclass(frozen=True)
class Gap:
    """A period in aware UTC with nobody on shift, or nobody supervising."""

    start: dt.datetime
    end: dt.datetime
    kind: GapKind
