"""Benchmark of the rota: on-shift lookups (RotaIndex vs on_shift) and a 30-day gaps report.

Run: python bench/bench_rota.py   (prints a Markdown table for bench/RESULTS.md)

A seeded synthetic rota in America/New_York: 500 volunteers, 2,000 weekly slots (2-8 h, some
overnight, 1-3 volunteers, one in four with a supervisor), 20 one-offs and 200 overrides over a
30-day window that includes the spring-forward change. Each figure is the median of 5 runs.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warmline.scheduling.rota import (  # noqa: E402
    Assignment,
    OneOffShift,
    Override,
    Rota,
    RotaIndex,
    WeeklySlot,
    gaps,
    on_shift,
)

TZ = ZoneInfo("America/New_York")
WINDOW_START = dt.datetime(2026, 3, 1, tzinfo=TZ)
WINDOW = dt.timedelta(days=30)
VOLUNTEERS, SLOTS, ONE_OFFS, OVERRIDES = 500, 2000, 20, 200
RUNS, INDEX_LOOKUPS, NAIVE_LOOKUPS = 5, 5000, 200


def build_rota(rng: random.Random) -> Rota:
    def crew() -> tuple[Assignment, ...]:
        people = rng.sample(range(1, VOLUNTEERS + 1), rng.randint(1, 3))
        supervised = rng.random() < 0.25
        return tuple(Assignment(v, supervised and n == 0) for n, v in enumerate(people))

    slots = []
    for n in range(SLOTS):
        start = rng.randrange(48) * 30
        end = (start + rng.randrange(4, 17) * 30) % 1440
        slots.append(
            WeeklySlot(
                n, rng.randrange(7), dt.time(*divmod(start, 60)), dt.time(*divmod(end, 60)), crew()
            )
        )
    one_offs = []
    for n in range(ONE_OFFS):
        start = random_instant(rng)
        one_offs.append(
            OneOffShift(n, start, start + dt.timedelta(hours=rng.randint(1, 6)), crew())
        )
    overrides = []
    for n in range(OVERRIDES):
        kind = rng.choice(["add", "remove", "replace"])
        start = random_instant(rng)
        end = start + dt.timedelta(minutes=rng.randrange(30, 12 * 60))
        who = rng.randint(1, VOLUNTEERS)
        replacement = rng.randint(1, VOLUNTEERS) if kind == "replace" else None
        overrides.append(Override(n, kind, who, start, end, replacement, rng.random() < 0.2))
    return Rota(TZ, tuple(slots), tuple(one_offs), tuple(overrides))


def random_instant(rng: random.Random) -> dt.datetime:
    return (WINDOW_START + WINDOW * rng.random()).astimezone(dt.UTC)


def median_us_per_call(func, instants: list[dt.datetime]) -> float:
    runs = []
    for _ in range(RUNS):
        began = time.perf_counter()
        for instant in instants:
            func(instant)
        runs.append((time.perf_counter() - began) / len(instants) * 1e6)
    return statistics.median(runs)


def main() -> None:
    rng = random.Random(20260308)
    rota = build_rota(rng)

    began = time.perf_counter()
    index = RotaIndex(rota)
    build_ms = (time.perf_counter() - began) * 1e3

    instants = [random_instant(rng) for _ in range(INDEX_LOOKUPS)]
    began = time.perf_counter()
    for day in range(-1, 32):  # the first lookup on each local date converts that date's slots
        index.on_shift(WINDOW_START + dt.timedelta(days=day))
    warm_ms = (time.perf_counter() - began) * 1e3
    for instant in instants[:NAIVE_LOOKUPS]:
        assert index.on_shift(instant) == on_shift(rota, instant)
    on_now = statistics.mean(len(index.on_shift(i)) for i in instants[:NAIVE_LOOKUPS])

    index_us = median_us_per_call(index.on_shift, instants)
    naive_us = median_us_per_call(lambda at: on_shift(rota, at), instants[:NAIVE_LOOKUPS])
    cold_us = median_us_per_call(lambda at: RotaIndex(rota).on_shift(at), instants[:20])
    gaps_runs = []
    for _ in range(RUNS):
        began = time.perf_counter()
        report = gaps(rota, WINDOW_START, WINDOW_START + WINDOW)
        gaps_runs.append((time.perf_counter() - began) * 1e3)

    print(f"python {platform.python_version()}, {cpu_model()}")
    print(
        f"volunteers on shift per lookup (mean): {on_now:.1f}; gaps found in 30 days: {len(report)}"
    )
    print()
    print("| measure | RotaIndex | baseline: on_shift() |")
    print("|---|---:|---:|")
    print(
        f"| on-shift lookup, µs (warm, {INDEX_LOOKUPS}/{NAIVE_LOOKUPS} lookups) "
        f"| {index_us:.1f} | {naive_us:.1f} |"
    )
    print(f"| speed-up | {naive_us / index_us:.0f}× | 1× |")
    print(f"| lookup on a fresh index (build + 1 lookup), µs | {cold_us:.0f} | — |")
    print(f"| build RotaIndex, ms | {build_ms:.2f} | — |")
    print(f"| convert 33 local dates (first lookups), ms | {warm_ms:.1f} | — |")
    print(f"| gaps() over 30 days, ms | — | {statistics.median(gaps_runs):.0f} |")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
