"""The texts the line sends, filled in from the line's settings."""

from __future__ import annotations

import datetime as dt

from warmline.config import Settings

COMMANDS_HELP = (
    "Warmline commands: #end [note] close the conversation; #pass hand it to someone else; "
    "#escalate [note] alert the supervisor; #ack [id] acknowledge an alert (supervisors); "
    "#off / #on pause or resume new conversations; #status your conversations and the queue; "
    "#callback take a voicemail callback; #help this list. Anything else is sent to the contact."
)


def render(settings: Settings, name: str, *, lang: str | None = None, **values: object) -> str:
    """The configured text ``name`` with {line}, {hours} and the given values filled in, in
    Spanish ([texts.es]) when ``lang`` is "es", else in English ([texts])."""
    template: str = getattr(settings.texts_es if lang == "es" else settings.texts, name)
    fields = {"line": settings.line.name, "hours": settings.line.hours} | values
    return template.format_map(_Lenient(fields))


class _Lenient(dict[str, object]):
    """Leaves an unknown {placeholder} as it is instead of failing a webhook over a typo."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def local_time_phrase(
    settings: Settings, at: dt.datetime | None, now: dt.datetime, lang: str | None = None
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


def intro_for_volunteer(alias: str, escalated: bool) -> str:
    flag = " This conversation was flagged as a possible crisis." if escalated else ""
    return (
        f"New warmline conversation with {alias}.{flag} Reply to this number to answer them; "
        "#end to close, #pass to hand over, #help for all commands."
    )


def relay_to_volunteer(alias: str, body: str) -> str:
    return f"[{alias}] {body}"


def pictures_not_forwarded(alias: str, count: int) -> str:
    note = "a picture" if count == 1 else f"{count} pictures"
    return f"[{alias}] sent {note}; warmline does not forward pictures."
