"""When something happens, in words, in the line's timezone: 'today at 6:00 PM', 'mañana a las
9:30' (no locale needed)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo


class _Line(Protocol):
    @property
    def hours(self) -> str: ...

    @property
    def timezone(self) -> ZoneInfo: ...


class _Settings(Protocol):
    @property
    def line(self) -> _Line: ...


def local_time_phrase(
    settings: _Settings, at: dt.datetime | None, now: dt.datetime, lang: str | None = None
) -> str:
    """'today at 6:00 PM', 'tomorrow at 9:30 AM', 'on Friday at 6:00 PM' in the line's timezone;
    with ``lang`` "es": 'hoy a las 18:00', 'mañana a las 9:30', 'el viernes a las 18:00'."""
    if at is None and lang == "es":
        return "pronto (horario: " + settings.line.hours + ")"
    if at is None:
        return "soon (see " + settings.line.hours + ")"
    tz = settings.line.timezone
    local, today = at.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    if lang == "es":
        return _spanish_time_phrase(local, days)
    clock = local.strftime("%I:%M %p").lstrip("0")
    if days <= 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    if days < 7:
        return f"on {local.strftime('%A')} at {clock}"
    return f"on {local.strftime('%A %B')} {local.day} at {clock}"


SPANISH_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
SPANISH_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
)  # fmt: skip


def _spanish_time_phrase(local: dt.datetime, days: int) -> str:
    """The Spanish of ``local_time_phrase``, on a 24-hour clock (no locale needed)."""
    clock = f"{local.hour}:{local.minute:02d}"
    at = "a la" if local.hour == 1 else "a las"
    if days <= 0:
        return f"hoy {at} {clock}"
    if days == 1:
        return f"mañana {at} {clock}"
    weekday = SPANISH_WEEKDAYS[local.weekday()]
    if days < 7:
        return f"el {weekday} {at} {clock}"
    return f"el {weekday} {local.day} de {SPANISH_MONTHS[local.month - 1]} {at} {clock}"
