"""RotaIndex: a rota compiled for fast "who is on shift at this instant" lookups.

Build once per rota (the rota is immutable). Weekly slots are grouped by local weekday; for each
local date a lookup touches, that date's occurrences are converted to UTC once, with the same
rules as :func:`warmline.scheduling.rota.on_shift`, and kept in an interval table (boundaries
plus the set active between each pair, found by bisection). One-offs and overrides get tables at
build time. A lookup then reads the tables of the few local dates around the instant and applies
the overrides that touch the shifts found, so the result equals ``on_shift(rota, at)``.

Safe to share between threads: the per-date cache only ever stores equal values for a key.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar

from warmline.scheduling.rota_pieces import (
    ONE_DAY,
    UTC,
    Piece,
    apply_overrides,
    merge,
    one_off_span,
    slot_occurrence,
)
from warmline.scheduling.rota_types import (
    Override,
    Rota,
    ShiftInstance,
    WeeklySlot,
    require_aware,
)

T = TypeVar("T")
_TICK = dt.timedelta(microseconds=1)
_CACHED_DATES = 64


class IntervalTable(Generic[T]):
    """Items with half-open UTC periods, answering "which cover t" and "which meet [a, b)"."""

    def __init__(self, items: Sequence[tuple[dt.datetime, dt.datetime, T]]) -> None:
        ordered = sorted(items, key=lambda item: item[0])
        self._starts = [item[0] for item in ordered]
        self._by_start = [item[2] for item in ordered]
        edges: dict[dt.datetime, list[tuple[int, int]]] = {}
        for n, (start, end, _) in enumerate(ordered):
            edges.setdefault(start, []).append((1, n))
            edges.setdefault(end, []).append((-1, n))
        self._bounds = sorted(edges)
        active: dict[int, T] = {}
        self._active: list[tuple[T, ...]] = []
        for bound in self._bounds:
            for change, n in edges[bound]:
                if change > 0:
                    active[n] = ordered[n][2]
                else:
                    active.pop(n, None)
            self._active.append(tuple(active.values()))

    def covering(self, at: dt.datetime) -> tuple[T, ...]:
        i = bisect_right(self._bounds, at) - 1
        return self._active[i] if i >= 0 else ()

    def meeting(self, lo: dt.datetime, hi: dt.datetime) -> list[T]:
        """Items intersecting ``[lo, hi)``: those covering ``lo`` plus those starting inside."""
        later = self._by_start[bisect_right(self._starts, lo) : bisect_left(self._starts, hi)]
        return [*self.covering(lo), *later]


class RotaIndex:
    """Fast, equal-result replacement for ``on_shift(rota, at)`` over one rota."""

    def __init__(self, rota: Rota) -> None:
        self._tz = rota.timezone
        self._by_weekday: dict[int, list[tuple[WeeklySlot, tuple[tuple[int, bool], ...], str]]]
        self._by_weekday = {}
        for slot in rota.slots:
            crew = tuple((a.volunteer_id, a.supervisor) for a in slot.volunteers)
            self._by_weekday.setdefault(slot.weekday, []).append((slot, crew, f"slot:{slot.id}"))
        one_off_pieces: list[tuple[dt.datetime, dt.datetime, Piece]] = []
        for shift in rota.one_offs:
            start, end = one_off_span(shift)
            for a in shift.volunteers:
                piece = (start, end, a.volunteer_id, a.supervisor, f"one-off:{shift.id}")
                one_off_pieces.append((start, end, piece))
        self._one_offs = IntervalTable(one_off_pieces)
        self._overrides: IntervalTable[Override] = IntervalTable(
            [(o.start.astimezone(UTC), o.end.astimezone(UTC), o) for o in rota.overrides]
        )
        self._days: dict[dt.date, IntervalTable[Piece]] = {}

    def on_shift(self, at: dt.datetime) -> list[ShiftInstance]:
        """Same result as :func:`warmline.scheduling.rota.on_shift` for this rota."""
        require_aware(at, "at")
        at = at.astimezone(UTC)
        day = at.astimezone(self._tz).date()
        base: list[Piece] = list(self._one_offs.covering(at))
        for offset in (-2, -1, 0, 1):
            base.extend(self._day(day + offset * ONE_DAY).covering(at))
        adds = [o for o in self._overrides.covering(at) if o.kind == "add"]
        spans = [(p[0], p[1]) for p in base] + [(o.start, o.end) for o in adds]
        if not spans:
            return []
        lo = min(s[0] for s in spans).astimezone(UTC)
        hi = max(s[1] for s in spans).astimezone(UTC)
        relevant = sorted(self._overrides.meeting(lo, hi), key=lambda o: o.id)
        pieces = apply_overrides(base, relevant, at, at + _TICK)
        return merge(p for p in pieces if p[0] <= at < p[1])

    def _day(self, day: dt.date) -> IntervalTable[Piece]:
        table = self._days.get(day)
        if table is None:
            table = IntervalTable(list(self._occurrences(day)))
            if len(self._days) >= _CACHED_DATES:
                self._days.pop(next(iter(self._days), day), None)
            self._days[day] = table
        return table

    def _occurrences(self, day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime, Piece]]:
        for slot, crew, source in self._by_weekday.get(day.weekday(), ()):
            span = slot_occurrence(slot, day, self._tz)
            if span:
                for volunteer_id, supervisor in crew:
                    yield (span[0], span[1], (span[0], span[1], volunteer_id, supervisor, source))
