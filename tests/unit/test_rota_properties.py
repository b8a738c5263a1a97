"""Properties of the rota over random rotas and windows, around real DST transitions."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from warmline.scheduling.rota import (
    Assignment,
    OneOffShift,
    Override,
    Rota,
    RotaIndex,
    WeeklySlot,
    gaps,
    on_shift,
    shifts_between,
)

ZONES = [ZoneInfo(k) for k in ("America/New_York", "Australia/Lord_Howe", "Europe/London", "UTC")]
# Windows start near the 2026 transitions of these zones.
ANCHORS = [
    dt.datetime(2026, m, d, tzinfo=dt.UTC)
    for m, d in ((3, 7), (3, 28), (4, 3), (10, 2), (10, 24), (10, 31))
]
TIMES = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
VOLUNTEERS = st.integers(1, 6)
CREW = st.lists(st.builds(Assignment, VOLUNTEERS, st.booleans()), max_size=3).map(tuple)
MINUTES = st.integers(-3 * 24 * 60, 10 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))
LENGTHS = st.integers(15, 30 * 60).map(lambda m: dt.timedelta(minutes=m))
DATES = st.one_of(st.none(), st.dates(dt.date(2026, 2, 20), dt.date(2026, 11, 10)))

settings.register_profile("rota", max_examples=150, deadline=None, database=None)


@st.composite
def rotas(draw) -> tuple[Rota, dt.datetime]:
    anchor = draw(st.sampled_from(ANCHORS))
    slots = tuple(
        WeeklySlot(
            n, draw(st.integers(0, 6)), draw(TIMES), draw(TIMES), draw(CREW), *sorted_dates(draw)
        )
        for n in range(draw(st.integers(0, 8)))
    )
    one_offs = []
    for n in range(draw(st.integers(0, 3))):
        start = anchor + draw(MINUTES)
        one_offs.append(OneOffShift(n, start, start + draw(LENGTHS), draw(CREW)))
    overrides = []
    for n in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["add", "remove", "replace"]))
        start = anchor + draw(MINUTES)
        replacement = draw(VOLUNTEERS) if kind == "replace" else None
        overrides.append(
            Override(
                n,
                kind,
                draw(VOLUNTEERS),
                start,
                start + draw(LENGTHS),
                replacement,
                draw(st.booleans()),
            )
        )
    rota = Rota(
        draw(st.sampled_from(ZONES)),
        slots,
        tuple(one_offs),
        tuple(draw(st.permutations(overrides))),
    )
    return rota, anchor


def sorted_dates(draw) -> tuple[dt.date | None, dt.date | None]:
    first, last = draw(DATES), draw(DATES)
    if first and last and first > last:
        first, last = last, first
    return first, last


def union(intervals):
    merged: list[list[dt.datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(i) for i in merged]


@settings(settings.get_profile("rota"))
@given(rotas(), MINUTES, LENGTHS, st.lists(st.integers(0, 10**6 - 1), min_size=1, max_size=8))
def test_window_is_covered_time_plus_uncovered_gaps(rota_anchor, offset, length, probes):
    rota, anchor = rota_anchor
    lo, hi = anchor + offset, anchor + offset + length * 4
    shifts = shifts_between(rota, lo, hi)
    found = gaps(rota, lo, hi)

    covered = union((max(s.start, lo), min(s.end, hi)) for s in shifts)
    uncovered = [(g.start, g.end) for g in found if g.kind == "uncovered"]
    assert union(covered + uncovered) == [(lo, hi)]
    assert all(a >= d or c >= b for a, b in covered for c, d in uncovered)
    for g in found:
        if g.kind == "no_supervisor":
            assert any(a <= g.start and g.end <= b for a, b in covered)
    assert all(lo <= g.start < g.end <= hi for g in found)

    by_volunteer: dict[int, list] = {}
    for s in shifts:
        by_volunteer.setdefault(s.volunteer_id, []).append((s.start, s.end))
    for spans in by_volunteer.values():
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))

    index = RotaIndex(rota)
    for probe in probes:
        instant = lo + (hi - lo) * probe // 10**6
        now = on_shift(rota, instant)
        assert index.on_shift(instant) == now
        assert len({s.volunteer_id for s in now}) == len(now)
        gap = next((g for g in found if g.start <= instant < g.end), None)
        assert (gap is not None and gap.kind == "uncovered") == (not now)
