"""``warmline rota now|week|gaps|feed-urls``: who is on shift, and where nobody is."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from warmline.cli.common import (
    admin_mode,
    friendly,
    local_at,
    local_text,
    session_scope,
    setup,
    table,
    utc_now,
)

if TYPE_CHECKING:
    from warmline.queries.rota import WeekView

KIND_WORDS = {"uncovered": "nobody on shift", "no_supervisor": "no supervisor"}


def _length(start: dt.datetime, end: dt.datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


@click.group()
def rota() -> None:
    """Who is on shift: now, this week, and the gaps."""


@rota.command("now")
@click.option("--at", "at_text", help="Local 'YYYY-MM-DD HH:MM' instead of now.")
@friendly
def rota_now(at_text: str | None) -> None:
    """Who is on shift now (or --at a local time)."""
    from warmline.queries import now

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    at = local_at(at_text, tz, utc_now())
    with session_scope(wl) as session:
        shifts = now.on_shift(session, wl.settings, at)
    rows = [
        (
            s.name,
            "supervisor" if s.supervisor else "volunteer",
            local_text(s.shift_start, tz),
            local_text(s.shift_end, tz),
        )
        for s in sorted(shifts, key=lambda s: (s.name, s.volunteer_id))
    ]
    click.echo(f"On shift at {local_text(at, tz)} ({tz.key}):")
    click.echo(table(("volunteer", "as", "from", "until"), rows) if rows else "nobody")


@rota.command("week")
@click.option("--at", "at_text", help="Local 'YYYY-MM-DD HH:MM': the week starting that day.")
@friendly
def rota_week(at_text: str | None) -> None:
    """Each day's shifts, in local time, for the 7 days from today (or --at)."""
    from warmline.queries import rota as rota_view

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    at = local_at(at_text, tz, utc_now())
    with session_scope(wl) as session:
        view = rota_view.week(session, wl.settings, at.astimezone(tz).date())
    rows = week_rows(view)
    click.echo(f"Shifts for the week from {view.first_date:%a %Y-%m-%d} ({tz.key}):")
    click.echo(table(("day", "from", "until", "volunteer", "as"), rows) if rows else "no shifts")


def week_rows(view: WeekView) -> list[tuple[str, str, str, str, str]]:
    """(day, from, until, volunteer, role) for each shift of the week, in its local time.

    A shift is listed on the local day it starts; one already running at the first day's
    midnight is listed on that day, its start in brackets. ``until`` gets ``+N`` when it ends N
    local dates later. The day is written once, on its first row.
    """
    tz = ZoneInfo(view.timezone)
    rows: list[tuple[str, str, str, str, str]] = []
    for n, day in enumerate(view.days):
        listed = [s for s in day.shifts if s.start >= day.start or n == 0]
        for i, s in enumerate(listed):
            start, end = s.start.astimezone(tz), s.end.astimezone(tz)
            later = (end.date() - start.date()).days
            rows.append(
                (
                    f"{day.date:%a %Y-%m-%d}" if i == 0 else "",
                    f"{start:%H:%M}" if s.start >= view.start else f"({start:%a %H:%M})",
                    f"{end:%H:%M}" + (f" +{later}" if later else ""),
                    s.name,
                    "supervisor" if s.supervisor else "volunteer",
                )
            )
    return rows


@rota.command("gaps")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 366))
@click.option("--at", "at_text", help="Local 'YYYY-MM-DD HH:MM' instead of now.")
@friendly
def rota_gaps(days: int, at_text: str | None) -> None:
    """Open hours in the next N days with nobody on shift, or no supervisor."""
    from warmline.queries import rota as rota_view

    wl = setup(admin_mode())
    tz: ZoneInfo = wl.settings.line.timezone
    at = local_at(at_text, tz)
    with session_scope(wl) as session:
        found = rota_view.gaps(session, wl.settings, at, at + dt.timedelta(days=days))
    rows = [
        (
            KIND_WORDS[g.kind],
            local_text(g.start, tz),
            local_text(g.end, tz),
            _length(g.start, g.end),
        )
        for g in found
    ]
    click.echo(f"Gaps in the {days} day(s) from {local_text(at, tz)} ({tz.key}):")
    if not wl.settings.opening_hours.always_open:
        click.echo(f"(only opening hours count: {wl.settings.line.hours})")
    click.echo(table(("gap", "from", "until", "length"), rows) if rows else "none: all covered")


@rota.command("feed-urls")
@friendly
def rota_feed_urls() -> None:
    """The secret calendar URLs: the whole rota's and each active volunteer's."""
    from warmline.scheduling.feeds import feed_urls

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        rows = feed_urls(session, wl.settings)
    click.echo(table(("calendar", "url"), rows))
    if not wl.settings.public_url:
        click.echo("(set WARMLINE_PUBLIC_URL to print full URLs)")
