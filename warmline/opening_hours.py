"""The line's opening hours as configured: ``[hours]`` and ``[holidays]`` (SPEC §3).

A value type and its parser, in the kernel beside :mod:`warmline.config` (which reads the file);
the rules that turn these wall-clock times into instants are in
:mod:`warmline.scheduling.hours`.

The format
----------
``[hours]`` has one key per weekday, ``mon`` .. ``sun``; ``[holidays]`` one key per local date,
``2026-12-25``. Each value is ``"closed"``, one period ``"HH:MM-HH:MM"`` or a list of periods:

- a period belongs to the day it starts on; an end at or before the start runs past midnight
  into the next day (``"18:00-02:00"``); ``"00:00-24:00"`` is the whole day; a start equal to
  the end is refused (it is ambiguous: nothing or 24 hours?);
- periods of one day must not overlap; a period running past midnight may overlap the next
  day's, and the two simply join;
- once ``[hours]`` is given, a weekday left out is closed; without ``[hours]`` the line is always
  open;
- a holiday's value replaces that date's weekday hours (a period of the day before that runs
  past midnight still ends when it says).

Any mistake raises :class:`HoursError`, one line naming the setting (``hours.fri``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = 24 * 60
_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


class HoursError(ValueError):
    """A bad ``[hours]`` or ``[holidays]`` entry; ``str()`` is one line naming it."""


@dataclass(frozen=True, order=True)
class Period:
    """Open from ``start`` to ``end``, minutes after the local midnight of the day it starts.

    ``0 <= start < end <= start + 24 h``; an ``end`` past ``DAY`` (1440) runs into the next day.
    """

    start: int
    end: int

    def __str__(self) -> str:
        end = _clock(self.end) if self.end < DAY or self.start == 0 else _clock(self.end - DAY)
        return f"{_clock(self.start)}-{end}"


Day = tuple[Period, ...]
ALL_DAY: Day = (Period(0, DAY),)


@dataclass(frozen=True)
class OpeningHours:
    """Periods per weekday (0 = Monday) and per holiday date; the default is always open."""

    weekly: tuple[Day, ...] = (ALL_DAY,) * 7
    holidays: tuple[tuple[dt.date, Day], ...] = ()

    def periods_on(self, day: dt.date) -> Day:
        """The periods starting on local date ``day``: the holiday's, else the weekday's."""
        for date, periods in self.holidays:
            if date == day:
                return periods
        return self.weekly[day.weekday()]

    @property
    def always_open(self) -> bool:
        return not self.holidays and all(d == ALL_DAY for d in self.weekly)


ALWAYS_OPEN = OpeningHours()


def parse_opening_hours(
    hours: Mapping[str, object] | None, holidays: Mapping[str, object] | None
) -> OpeningHours:
    """The ``[hours]`` and ``[holidays]`` tables (None when absent) as OpeningHours."""
    weekly: tuple[Day, ...] = ALWAYS_OPEN.weekly
    if hours is not None:
        for key in hours:
            if key not in WEEKDAYS:
                raise HoursError(f"hours.{key} is not a weekday{_suggest(key)}")
        weekly = tuple(_day(hours.get(name, "closed"), f"hours.{name}") for name in WEEKDAYS)
        if not any(weekly):
            raise HoursError(
                "[hours] leaves every weekday closed: give each open day's hours, "
                'e.g. mon = "18:00-23:00" (leave [hours] out for a line that is always open)'
            )
    special = []
    for key, value in (holidays or {}).items():
        try:
            date = dt.date.fromisoformat(key)
        except ValueError:
            raise HoursError(f"holidays.{key} is not a date (write YYYY-MM-DD)") from None
        special.append((date, _day(value, f"holidays.{key}")))
    return OpeningHours(weekly, tuple(sorted(special)))


def describe(hours: OpeningHours) -> str:
    """Words for the help text: ``"open Mon-Fri 18:00-23:00, Sat 12:00-14:00 and 18:00-02:00"``.

    Weekdays in a row with the same hours are grouped; closed days and holidays are left out.
    """
    if all(d == ALL_DAY for d in hours.weekly):
        return "open 24 hours a day"
    groups: list[tuple[int, int, Day]] = []
    for i, periods in enumerate(hours.weekly):
        if groups and groups[-1][2] == periods and groups[-1][1] == i - 1:
            groups[-1] = (groups[-1][0], i, periods)
        else:
            groups.append((i, i, periods))
    parts = []
    for first, last, periods in groups:
        if not periods:
            continue
        names = WEEKDAYS[first].title()
        if last > first:
            names = f"{names}-{WEEKDAYS[last].title()}"
        if first == 0 and last == 6:
            names = "every day"
        times = "all day" if periods == ALL_DAY else " and ".join(map(str, periods))
        parts.append(f"{names} {times}")
    return "open " + ", ".join(parts)


def _day(value: object, setting: str) -> Day:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) for v in items):
        raise HoursError(f'{setting} must be "closed", "HH:MM-HH:MM" or a list of such periods')
    texts = [v.strip() for v in items if isinstance(v, str)]
    if [t.lower() for t in texts] == ["closed"]:
        return ()
    periods = sorted(_period(t, setting) for t in texts)
    for before, after in zip(periods, periods[1:], strict=False):
        if after.start < before.end:
            raise HoursError(f"{setting}: {before} and {after} overlap")
    return tuple(periods)


def _period(text: str, setting: str) -> Period:
    if text.lower() == "closed":
        raise HoursError(f'{setting}: "closed" cannot be combined with opening hours')
    match = _PERIOD.match(text)
    if not match:
        raise HoursError(
            f'{setting}: {text!r} is not a period; write "HH:MM-HH:MM" (e.g. "18:00-23:00") '
            'or "closed"'
        )
    h1, m1, h2, m2 = map(int, match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise HoursError(f"{setting}: {text!r} is not a time of day (00:00 to 24:00)")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise HoursError(
            f'{setting}: {text!r} starts and ends at the same time; write "00:00-24:00" for the '
            "whole day"
        )
    return Period(start, end if end > start else end + DAY)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(key.lower(), WEEKDAYS, n=1, cutoff=0.5)
    hint = f"did you mean hours.{close[0]}?" if close else "use mon, tue, wed, thu, fri, sat, sun"
    return f" ({hint})"
