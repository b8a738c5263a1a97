"""Template filters: times in the line's timezone, durations in words a person reads at a glance."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask


def duration(seconds: int | float | None) -> str:
    """``None`` → "–"; under a minute "45 s"; under an hour "12 min"; else "2 h 05 min";
    a day or more "3 d 4 h"."""
    if seconds is None:
        return "–"
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def init_filters(app: Flask, tz: ZoneInfo) -> None:
    def local(at: dt.datetime | None, fmt: str = "%a %d %b %H:%M") -> str:
        return "–" if at is None else at.astimezone(tz).strftime(fmt)

    def iso(at: dt.datetime | None) -> str:
        return "" if at is None else at.isoformat()

    app.jinja_env.filters["local"] = local
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["duration"] = duration
