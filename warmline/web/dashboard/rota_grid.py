"""The rota week as a grid of local hours × days, from :func:`warmline.queries.rota.week`.

Pure: no database, no Flask. One cell per wall-clock hour of each local day. A cell's ``kind``:

- ``"closed"``: the whole hour is outside the opening hours;
- ``"uncovered"``: open for some of the hour with nobody on shift then;
- ``"no_supervisor"``: someone is on shift but, for some of the hour, no supervisor;
- ``"covered"``: open and covered with a supervisor for all the open part;
- ``"none"``: the hour does not exist that day (skipped when daylight saving starts).

The worst kind wins (uncovered over no supervisor), so a gap of ten minutes still shows. On the
day daylight saving ends the repeated hour's cell covers both of its instants. ``people`` are
the volunteers on shift at any time in the hour, supervisors first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from warmline.queries.rota import Day, WeekView
from warmline.scheduling.shift_text import local_instant

LABELS = {
    "closed": "closed",
    "uncovered": "nobody on shift",
    "no_supervisor": "no supervisor",
    "covered": "covered",
    "none": "no such hour (clocks go forward)",
}


@dataclass(frozen=True)
class Person:
    name: str
    supervisor: bool


@dataclass(frozen=True)
class Cell:
    kind: str
    people: tuple[Person, ...]

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass(frozen=True)
class Grid:
    dates: tuple[dt.date, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # (hour, one cell per date)


def grid(view: WeekView) -> Grid:
    tz = ZoneInfo(view.timezone)
    rows = tuple((hour, tuple(_cell(day, tz, hour) for day in view.days)) for hour in range(24))
    return Grid(tuple(d.date for d in view.days), rows)


def _cell(day: Day, tz: ZoneInfo, hour: int) -> Cell:
    start = local_instant(tz, day.date, dt.time(hour))
    end = day.end if hour == 23 else local_instant(tz, day.date, dt.time(hour + 1))
    if start.astimezone(tz).hour != hour or end <= start:
        return Cell("none", ())
    people: dict[str, Person] = {}
    for s in day.shifts:
        if s.start < end and s.end > start:
            known = people.get(s.name)
            people[s.name] = Person(
                s.name, s.supervisor or (known is not None and known.supervisor)
            )
    ordered = tuple(sorted(people.values(), key=lambda p: (not p.supervisor, p.name)))
    closed = sum(_overlap(p.start, p.end, start, end) for p in day.closed)
    if closed >= (end - start).total_seconds():
        return Cell("closed", ordered)
    kinds = {g.kind for g in day.gaps if g.start < end and g.end > start}
    for kind in ("uncovered", "no_supervisor"):
        if kind in kinds:
            return Cell(kind, ordered)
    return Cell("covered", ordered)


def _overlap(a: dt.datetime, b: dt.datetime, c: dt.datetime, d: dt.datetime) -> float:
    return max(0.0, (min(b, d) - max(a, c)).total_seconds())


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
