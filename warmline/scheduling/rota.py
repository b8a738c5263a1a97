"""Who is on shift: the rota as pure functions of the rota and an instant.

No database, no Flask, no clock: every instant is a parameter. Instants passed in must be aware
(ValueError otherwise); instants returned are aware UTC. Periods are half-open, ``[start, end)``.

Building the shifts
-------------------
1. **Weekly slots** give one occurrence per matching local date: it starts on the slot's weekday
   at ``start`` wall-clock time in the rota's timezone and ends at ``end`` on the same local date,
   or on the next one when ``end <= start`` (``end == start`` is 24 hours). ``first_date`` and
   ``last_date`` bound, inclusively, the local date the occurrence *starts* on, so a Sunday
   22:00→06:00 slot whose ``last_date`` is that Sunday still runs into Monday morning.
2. **One-off shifts** are taken as they are.
3. Every volunteer of a slot or one-off gets a *piece* of that shift, marked supervisor or not.
4. **Overrides** are applied one at a time in ascending ``id`` order, each to the result of the
   ones before it (so where two conflict, the later one wins):

   - ``add`` gives ``volunteer_id`` a piece for its period (supervisor if ``supervisor``);
   - ``remove`` cuts its period out of every piece of ``volunteer_id``, whatever its source
     (a later ``remove`` thus also cancels an earlier ``add``), leaving the parts outside;
   - ``replace`` cuts like ``remove`` and gives every part it cut to ``replacement_id`` with that
     part's supervisor flag; time where ``volunteer_id`` was not on shift is not handed over.

   Pieces made by overrides have source ``"override:<id>"``; the rest keep theirs.
5. **Merging:** pieces of one volunteer that overlap become one shift with the earliest start,
   the latest end, supervisor if any piece was, and the sources joined by ``"+"``. Pieces that
   merely touch (one ends when the next starts) stay separate shifts. ``shifts_between`` merges
   the pieces that intersect its window; ``on_shift`` merges those covering its instant.

Daylight saving
---------------
Wall-clock times survive DST: a slot starts and ends at its local wall-clock times on every date.

- A local time that does not exist (skipped by spring-forward) moves forward by the length of
  the skip: 02:30 on 2026-03-08 in America/New_York is 03:30 EDT, and 02:00 is 03:00 EDT; on
  Lord Howe (30-minute change) 02:15 on 2026-10-04 is 02:45. This is zoneinfo's ``fold=0`` read
  with the offset from before the change.
- A local time that happens twice (fall-back) means its **first** occurrence: 01:30 on
  2026-11-01 in New York is 01:30 EDT (05:30 UTC); on Lord Howe 01:45 on 2026-04-05 is 01:45
  +11:00.
- Both ends of every occurrence follow these rules, so when one slot ends at the wall-clock time
  the next begins (22:00→02:00 then 02:00→06:00, or at 01:30 or 02:30) the handoff is the same
  instant: no gap and no overlap, on transition nights too. A shift spanning a change is as
  long in real time as the wall clock says: an hour (30 minutes on Lord Howe) shorter in spring
  and longer in autumn.
- An occurrence whose end, so converted, is not after its start has no time that day and is
  dropped: only a shift lying within a skipped hour, e.g. 02:30→03:15 on spring-forward day
  (03:30 EDT → 03:15 EDT).

Gaps
----
``"uncovered"``: nobody is on shift. ``"no_supervisor"``: someone is, but no supervisor piece
covers the instant (measured on the pieces, so a merged shift's supervisor flag never hides a gap).
"""

from __future__ import annotations

import datetime as dt

from warmline.scheduling.rota_index import RotaIndex
from warmline.scheduling.rota_pieces import (
    UTC,
    Piece,
    apply_overrides,
    merge,
    one_off_pieces,
    slot_pieces,
)
from warmline.scheduling.rota_types import (
    Assignment,
    Gap,
    GapKind,
    OneOffShift,
    Override,
    Rota,
    ShiftInstance,
    WeeklySlot,
    require_aware,
)

__all__ = [
    "Assignment",
    "Gap",
    "OneOffShift",
    "Override",
    "Rota",
    "RotaIndex",
    "ShiftInstance",
    "WeeklySlot",
    "gaps",
    "next_opening",
    "on_shift",
    "shifts_between",
]

_TICK = dt.timedelta(microseconds=1)


def _window(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    require_aware(start, "start")
    require_aware(end, "end")
    if end < start:
        raise ValueError(f"window ends before it starts ({start} .. {end})")
    return start.astimezone(UTC), end.astimezone(UTC)


def _pieces(rota: Rota, lo: dt.datetime, hi: dt.datetime) -> list[Piece]:
    """Pieces after overrides intersecting ``[lo, hi)`` (lo, hi in UTC)."""
    base = slot_pieces(rota.slots, rota.timezone, lo, hi)
    base += one_off_pieces(rota.one_offs, lo, hi)
    return apply_overrides(base, sorted(rota.overrides, key=lambda o: o.id), lo, hi)


def on_shift(rota: Rota, at: dt.datetime) -> list[ShiftInstance]:
    """The shifts covering instant ``at`` (``start <= at < end``), overrides applied.

    At most one entry per volunteer: their pieces covering ``at`` merged (supervisor if any, the
    earliest start, the latest end). Sorted by start, then volunteer id.
    """
    require_aware(at, "at")
    at = at.astimezone(UTC)
    return merge(p for p in _pieces(rota, at, at + _TICK) if p[0] <= at < p[1])


def shifts_between(rota: Rota, start: dt.datetime, end: dt.datetime) -> list[ShiftInstance]:
    """The final shifts intersecting ``[start, end)``, not clipped, sorted by start.

    Overrides applied; overlapping pieces of one volunteer merged, so no volunteer is listed
    twice for the same instant.
    """
    lo, hi = _window(start, end)
    return merge(_pieces(rota, lo, hi)) if lo < hi else []


def gaps(rota: Rota, start: dt.datetime, end: dt.datetime) -> list[Gap]:
    """Maximal periods of ``[start, end)`` that are uncovered or have no supervisor, in order.

    Clipped to the window; an ``"uncovered"`` gap and a ``"no_supervisor"`` gap may touch.
    """
    lo, hi = _window(start, end)
    if lo == hi:
        return []
    cover: dict[dt.datetime, int] = {lo: 0, hi: 0}
    supervised: dict[dt.datetime, int] = {lo: 0, hi: 0}
    for p_start, p_end, _, supervisor, _ in _pieces(rota, lo, hi):
        s, e = max(p_start, lo), min(p_end, hi)
        cover[s] = cover.get(s, 0) + 1
        cover[e] = cover.get(e, 0) - 1
        if supervisor:
            supervised[s] = supervised.get(s, 0) + 1
            supervised[e] = supervised.get(e, 0) - 1
    found: list[Gap] = []
    on, sup = 0, 0
    instants = sorted(cover.keys() | supervised.keys())
    for here, following in zip(instants, instants[1:], strict=False):
        on += cover.get(here, 0)
        sup += supervised.get(here, 0)
        kind: GapKind | None = "uncovered" if on == 0 else "no_supervisor" if sup == 0 else None
        if kind is None:
            continue
        if found and found[-1].kind == kind and found[-1].end == here:
            found[-1] = Gap(found[-1].start, following, kind)
        else:
            found.append(Gap(here, following, kind))
    return found


def next_opening(
    rota: Rota, at: dt.datetime, horizon: dt.timedelta = dt.timedelta(days=14)
) -> dt.datetime | None:
    """The first instant in ``[at, at + horizon)`` when someone is on shift, or None.

    ``at`` itself (in UTC) when someone is on shift then.
    """
    require_aware(at, "at")
    if horizon < dt.timedelta(0):
        raise ValueError("horizon must not be negative")
    lo = at.astimezone(UTC)
    pieces = _pieces(rota, lo, lo + horizon) if horizon else []
    return max(lo, min(p[0] for p in pieces)) if pieces else None
