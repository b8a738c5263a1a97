"""``warmline rota now|week|gaps|feed-urls``: who is on shift, and where nobody is."""

from __future__ import annotations

import datetime as dt
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
from warmline.people import volunteer_names

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
    from warmline.people import volunteer_names
    from warmline.scheduling.store import on_shift_now

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    at = local_at(at_text, tz, utc_now())
    with session_scope(wl) as session:
        shifts = on_shift_now(session, tz, at)
        names = volunteer_names(session)
        rows = [
            (
                names[i],
                "supervisor" if s.supervisor else "volunteer",
                local_text(s.start, tz),
                local_text(s.end, tz),
            )
            for i, s in sorted(shifts.items(), key=lambda kv: names[kv[0]])
        ]
    click.echo(f"On shift at {local_text(at, tz)} ({tz.key}):")
    click.echo(table(("volunteer", "as", "from", "until"), rows) if rows else "nobody")


@rota.command("week")
@click.option("--at", "at_text", help="Local 'YYYY-MM-DD HH:MM': the week starting that day.")
@friendly
def rota_week(at_text: str | None) -> None:
    """Each day's shifts, in local time, for the 7 days from today (or --at)."""
    from warmline.scheduling.store import load_rota
    from warmline.scheduling.week import week_rows

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    at = local_at(at_text, tz, utc_now())
    with session_scope(wl) as session:
        rows = week_rows(load_rota(session, tz), tz, at, volunteer_names(session))
    click.echo(f"Shifts for the week from {at.astimezone(tz):%a %Y-%m-%d} ({tz.key}):")
    click.echo(table(("day", "from", "until", "volunteer", "as"), rows) if rows else "no shifts")


@rota.command("gaps")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 366))
@click.option("--at", "at_text", help="Local 'YYYY-MM-DD HH:MM' instead of now.")
@friendly
def rota_gaps(days: int, at_text: str | None) -> None:
    """Open hours in the next N days with nobody on shift, or no supervisor."""
    from warmline.scheduling.hours import open_gaps
    from warmline.scheduling.store import load_rota

    wl = setup(admin_mode())
    tz: ZoneInfo = wl.settings.line.timezone
    at = local_at(at_text, tz)
    with session_scope(wl) as session:
        rota_now = load_rota(session, tz)
        found = open_gaps(wl.settings.opening_hours, rota_now, at, at + dt.timedelta(days=days))
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
