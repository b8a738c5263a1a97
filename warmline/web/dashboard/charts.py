"""Server-drawn SVG charts for /reports: geometry only, in plain numbers a template draws.

Why SVG from the server rather than a JavaScript library: the figures are few and static, the
page works with scripts off, prints, and needs no vendored library to keep patched; each chart
also has its numbers in a table for screen readers and for reading exact values.

Pure functions, no Flask. Coordinates are in the SVG's own units (``viewBox``); the page scales
the SVG to its width.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDE = 1100  # a chart across the page
NARROW = 520  # a chart in half the page
LEFT = 36  # room for the value axis labels
BOTTOM = 22  # room for the category labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str
    show_label: bool


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Columns:
    """A vertical bar chart: ``bars`` left to right, ``ticks`` on the value axis."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    baseline: float


def nice_top(peak: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above ``peak`` (at least 1)."""
    if peak <= 1:
        return 1
    scale = 1.0
    while scale * 10 < peak:
        scale *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * scale >= peak:
            return step * scale
    return 10 * scale


def columns(
    points: list[tuple[str, float]], *, height: int = 220, label_every: int = 1, width: int = WIDE
) -> Columns:
    """Bars for ``(label, value)`` pairs; every ``label_every``-th label is shown."""
    top = nice_top(max((v for _, v in points), default=0))
    plot = height - BOTTOM - 8
    slot = (width - LEFT) / max(len(points), 1)
    bars = tuple(
        Bar(
            x=LEFT + i * slot + slot * 0.12,
            y=8 + plot - plot * value / top,
            width=slot * 0.76,
            height=plot * value / top,
            value=value,
            label=label,
            show_label=i % label_every == 0,
        )
        for i, (label, value) in enumerate(points)
    )
    ticks = tuple(Tick(8 + plot - plot * f, _number(top * f)) for f in (0, 0.25, 0.5, 0.75, 1))
    return Columns(width, height, bars, ticks, 8 + plot)


@dataclass(frozen=True)
class Row:
    """One horizontal bar (or stacked bars) of a :class:`Rows` chart."""

    label: str
    y: float
    parts: tuple[tuple[float, float, float, str], ...]  # (x, width, value, css class)
    total: float


@dataclass(frozen=True)
class Rows:
    width: int
    height: int
    rows: tuple[Row, ...]
    label_width: int


def rows(
    items: list[tuple[str, tuple[float, ...]]],
    *,
    classes: tuple[str, ...] = ("bar", "bar second", "bar third"),
    row_height: int = 26,
    label_width: int = 150,
    width: int = NARROW,
) -> Rows:
    """Horizontal bars, one per ``(label, values)``; several values are stacked in order."""
    top = nice_top(max((sum(v) for _, v in items), default=0))
    span = width - label_width - 60  # room for the total at the end
    found = []
    for i, (label, values) in enumerate(items):
        x, parts = float(label_width), []
        for value, css in zip(values, classes, strict=False):
            w = span * value / top
            parts.append((x, w, value, css))
            x += w
        found.append(Row(label, 6 + i * row_height, tuple(parts), sum(values)))
    return Rows(width, 12 + len(items) * row_height, tuple(found), label_width)


def shade(value: int, peak: int) -> str:
    """A background for a heatmap cell: the accent colour, stronger with ``value``."""
    if peak <= 0 or value <= 0:
        return "#f4f5f3"
    strength = 0.12 + 0.78 * value / peak
    return f"rgba(45, 106, 100, {strength:.2f})"


def ink(value: int, peak: int) -> str:
    """Text colour readable on :func:`shade`'s background."""
    return "#ffffff" if peak > 0 and value / peak > 0.55 else "#1f2a30"


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
