"""The rota's machinery: wall-clock to UTC, slot occurrences, overrides, merging.

Shared by the plain functions in :mod:`warmline.scheduling.rota` and by
:class:`warmline.scheduling.rota_index.RotaIndex`, so both compute the same shifts. The rules are
written out in the docstring of :mod:`warmline.scheduling.rota`.

A *piece* is a tuple ``(start, end, volunteer_id, supervisor, source)`` with aware UTC times: one
volunteer's stretch of one shift, before merging.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from zoneinfo import ZoneInfo

from warmline.scheduling.rota_types import OneOffShift, Override, ShiftInstance, WeeklySlot

UTC = dt.UTC
ONE_DAY = dt.timedelta(days=1)
Piece = tuple[dt.datetime, dt.datetime, int, bool, str]


def wall_to_utc(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant (aware UTC) of local wall-clock ``day`` ``at`` in ``tz``.

    zoneinfo's ``fold=0``: a time skipped by spring-forward is read with the offset before the
    change, so it lands the gap's length later (02:30 → 03:30 EDT); a time repeated by fall-back
    is its first occurrence (01:30 → 01:30 EDT).
    """
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def slot_occurrence(
    slot: WeeklySlot, day: dt.date, tz: ZoneInfo
) -> tuple[dt.datetime, dt.datetime] | None:
    """The (start, end) in UTC of ``slot`` starting on local ``day``, or None.

    None when ``day`` is not the slot's weekday, lies outside its date bounds, or when the
    occurrence has no length once converted (only possible inside a spring-forward gap).
    """
    if day.weekday() != slot.weekday:
        return None
    if (slot.first_date and day < slot.first_date) or (slot.last_date and day > slot.last_date):
        return None
    start = wall_to_utc(day, slot.start, tz)
    end = wall_to_utc(day if slot.end > slot.start else day + ONE_DAY, slot.end, tz)
    return (start, end) if end > start else None


def local_days(lo: dt.datetime, hi: dt.datetime, tz: ZoneInfo) -> Iterator[dt.date]:
    """Local start dates of occurrences that may touch ``[lo, hi)``.

    A slot lasts at most 24 wall-clock hours, so it starts at most one local day before the day
    it covers; one more day either side absorbs DST shifts near midnight.
    """
    day = lo.astimezone(tz).date() - 2 * ONE_DAY
    last = hi.astimezone(tz).date() + ONE_DAY
    while day <= last:
        yield day
        day += ONE_DAY


def slot_pieces(
    slots: Sequence[WeeklySlot], tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime
) -> list[Piece]:
    """Pieces of the weekly slots' occurrences intersecting ``[lo, hi)``."""
    by_weekday: dict[int, list[WeeklySlot]] = {}
    for slot in slots:
        by_weekday.setdefault(slot.weekday, []).append(slot)
    pieces: list[Piece] = []
    for day in local_days(lo, hi, tz):
        for slot in by_weekday.get(day.weekday(), ()):
            span = slot_occurrence(slot, day, tz)
            if span and span[0] < hi and span[1] > lo:
                pieces.extend(assignment_pieces(span, slot.volunteers, f"slot:{slot.id}"))
    return pieces


def one_off_span(shift: OneOffShift) -> tuple[dt.datetime, dt.datetime]:
    return shift.start.astimezone(UTC), shift.end.astimezone(UTC)


def one_off_pieces(
    one_offs: Iterable[OneOffShift], lo: dt.datetime, hi: dt.datetime
) -> list[Piece]:
    """Pieces of the one-off shifts intersecting ``[lo, hi)``."""
    pieces: list[Piece] = []
    for shift in one_offs:
        span = one_off_span(shift)
        if span[0] < hi and span[1] > lo:
            pieces.extend(assignment_pieces(span, shift.volunteers, f"one-off:{shift.id}"))
    return pieces


def assignment_pieces(
    span: tuple[dt.datetime, dt.datetime], volunteers: Iterable, source: str
) -> Iterator[Piece]:
    for assignment in volunteers:
        yield (span[0], span[1], assignment.volunteer_id, assignment.supervisor, source)


def apply_overrides(
    base: Iterable[Piece], overrides: Sequence[Override], lo: dt.datetime, hi: dt.datetime
) -> list[Piece]:
    """Apply ``overrides`` (sorted by id) to ``base``; return the pieces intersecting ``[lo, hi)``.

    Each override acts on the result of those before it: ``add`` creates a piece; ``remove`` cuts
    its period out of the volunteer's pieces; ``replace`` does the same and hands each cut part to
    the replacement with that part's supervisor flag.
    """
    by_volunteer: dict[int, list[Piece]] = {}
    for piece in base:
        by_volunteer.setdefault(piece[2], []).append(piece)
    for ov in overrides:
        start, end = ov.start.astimezone(UTC), ov.end.astimezone(UTC)
        if ov.kind == "add":
            if start < hi and end > lo:
                piece = (start, end, ov.volunteer_id, ov.supervisor, f"override:{ov.id}")
                by_volunteer.setdefault(ov.volunteer_id, []).append(piece)
            continue
        pieces = by_volunteer.get(ov.volunteer_id)
        if not pieces:
            continue
        kept: list[Piece] = []
        handed: list[Piece] = []
        for p in pieces:
            if p[0] >= end or p[1] <= start:
                kept.append(p)
                continue
            if p[0] < start:
                kept.append((p[0], start, p[2], p[3], p[4]))
            if p[1] > end:
                kept.append((end, p[1], p[2], p[3], p[4]))
            if ov.replacement_id is not None:
                cut = (max(p[0], start), min(p[1], end))
                handed.append((*cut, ov.replacement_id, p[3], f"override:{ov.id}"))
        by_volunteer[ov.volunteer_id] = kept
        for piece in handed:
            by_volunteer.setdefault(piece[2], []).append(piece)
    return [p for ps in by_volunteer.values() for p in ps if p[0] < hi and p[1] > lo]


def merge(pieces: Iterable[Piece]) -> list[ShiftInstance]:
    """One volunteer's overlapping pieces become one shift: earliest start, latest end,
    supervisor if any piece is, sources joined with "+" in start order. Pieces that only touch
    stay separate. Sorted by start, then volunteer id."""
    by_volunteer: dict[int, list[Piece]] = {}
    for piece in pieces:
        by_volunteer.setdefault(piece[2], []).append(piece)
    shifts: list[ShiftInstance] = []
    for volunteer_id, own in by_volunteer.items():
        own.sort(key=lambda p: (p[0], p[1], p[4], p[3]))
        start, end, supervisor, sources = own[0][0], own[0][1], own[0][3], [own[0][4]]
        for p in own[1:]:
            if p[0] < end:
                end, supervisor = max(end, p[1]), supervisor or p[3]
                if p[4] not in sources:
                    sources.append(p[4])
                continue
            shifts.append(ShiftInstance(volunteer_id, start, end, supervisor, "+".join(sources)))
            start, end, supervisor, sources = p[0], p[1], p[3], [p[4]]
        shifts.append(ShiftInstance(volunteer_id, start, end, supervisor, "+".join(sources)))
    shifts.sort(key=lambda s: (s.start, s.volunteer_id, s.end))
    return shifts
