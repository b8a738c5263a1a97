"""``warmline swap``, ``warmline rota week|gaps|feed-urls`` and ``warmline volunteer reminders``.

Times are read and shown in the line's timezone; the services work in UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import click

from warmline.cli import (
    admin_mode,
    friendly,
    main,
    session_scope,
    setup,
    table,
    utc_now,
    volunteer,
)
from warmline.cli_rota import _at, _local, rota
from warmline.people import volunteer_names

KIND_WORDS = {"uncovered": "nobody on shift", "no_supervisor": "no supervisor"}


def _length(start: dt.datetime, end: dt.datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


@main.group()
def swap() -> None:
    """Shift swaps: offer a shift, take one, or reassign it (coordinators)."""


@swap.command("offer")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.option("--at", "at_text", required=True, help="Local 'YYYY-MM-DD HH:MM' within the shift.")
@friendly
def swap_offer(volunteer_ref: str, at_text: str) -> None:
    """Offer the volunteer's shift covering --at to anyone who will take it."""
    from warmline.scheduling import swaps
    from warmline.scheduling.store import load_rota

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    now = utc_now()
    with session_scope(wl) as session:
        s = swaps.offer(
            session,
            load_rota(session, tz),
            volunteer_ref,
            _at(at_text, tz, now),
            now,
            wl.settings.line.region,
        )
        click.echo(f"swap {s.id} offered: {_local(s.start, tz)} to {_local(s.end, tz)}")


@swap.command("take")
@click.argument("swap_id", type=int)
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def swap_take(swap_id: int, volunteer_ref: str) -> None:
    """VOLUNTEER takes the offered swap SWAP_ID."""
    from warmline.scheduling import swaps
    from warmline.scheduling.store import load_rota

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        s = swaps.take(
            session,
            load_rota(session, tz),
            swap_id,
            volunteer_ref,
            utc_now(),
            wl.context,
            wl.settings.line.region,
        )
        names = volunteer_names(session)
        click.echo(
            f"swap {s.id} taken by {names[s.taken_by_id or 0]}: "
            f"{_local(s.start, tz)} to {_local(s.end, tz)}"
        )


@swap.command("reassign")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.option("--at", "at_text", required=True, help="Local 'YYYY-MM-DD HH:MM' within the shift.")
@click.option("--to", "to_ref", required=True, help="Who takes the shift (id or phone).")
@friendly
def swap_reassign(volunteer_ref: str, at_text: str, to_ref: str) -> None:
    """Give the volunteer's shift covering --at to another volunteer at once."""
    from warmline.scheduling import swaps
    from warmline.scheduling.store import load_rota

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    now = utc_now()
    with session_scope(wl) as session:
        rota_now = load_rota(session, tz)
        s = swaps.reassign(
            session,
            rota_now,
            volunteer_ref,
            _at(at_text, tz, now),
            to_ref,
            now,
            wl.context,
            wl.settings.line.region,
        )
        names = volunteer_names(session)
        click.echo(
            f"shift reassigned to {names[s.taken_by_id or 0]} (swap {s.id}): "
            f"{_local(s.start, tz)} to {_local(s.end, tz)}"
        )


@swap.command("cancel")
@click.argument("swap_id", type=int)
@friendly
def swap_cancel(swap_id: int) -> None:
    """Withdraw an open offer."""
    from warmline.scheduling import swaps

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        swaps.cancel(session, swap_id, utc_now())
    click.echo(f"swap {swap_id} cancelled")


@swap.command("list")
@click.option("--all", "show_all", is_flag=True, help="Taken and cancelled ones too.")
@friendly
def swap_list(show_all: bool) -> None:
    """Swaps of shifts that have not ended yet (open ones unless --all)."""
    from warmline.scheduling import swaps

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        names = volunteer_names(session)
        found = swaps.list_swaps(session, utc_now(), None if show_all else "open")
        rows = [
            (
                s.id,
                s.status,
                names.get(s.offered_by_id, "?"),
                _local(s.start, tz),
                _local(s.end, tz),
                names.get(s.taken_by_id, "-") if s.taken_by_id else "-",
            )
            for s in found
        ]
    click.echo(
        table(("id", "status", "offered by", "from", "until", "taken by"), rows)
        if rows
        else "no swaps"
    )


@volunteer.command("reminders")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.argument("minutes", metavar="MINUTES")
@friendly
def volunteer_reminders(volunteer_ref: str, minutes: str) -> None:
    """Set the volunteer's shift reminders: minutes before, e.g. 1440,60; 'none' for none."""
    from warmline.people import find_volunteer
    from warmline.scheduling.reminders import parse_reminder_minutes

    wl = setup(admin_mode())
    values = parse_reminder_minutes(minutes)
    with session_scope(wl) as session:
        v = find_volunteer(session, volunteer_ref, wl.settings.line.region)
        v.reminder_minutes = ",".join(map(str, values))
        said = ", ".join(f"{m} min" for m in values) or "none"
        click.echo(f"{v.name}'s reminders: {said} before each shift")


@rota.command("week")
@click.option("--at", "at_text", help="Local 'YYYY-MM-DD HH:MM': the week starting that day.")
@friendly
def rota_week(at_text: str | None) -> None:
    """Each day's shifts, in local time, for the 7 days from today (or --at)."""
    from warmline.scheduling.store import load_rota
    from warmline.scheduling.week import week_rows

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    at = _at(at_text, tz, utc_now())
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
    at = _at(at_text, tz)
    with session_scope(wl) as session:
        rota_now = load_rota(session, tz)
        found = open_gaps(wl.settings.opening_hours, rota_now, at, at + dt.timedelta(days=days))
    rows = [
        (KIND_WORDS[g.kind], _local(g.start, tz), _local(g.end, tz), _length(g.start, g.end))
        for g in found
    ]
    click.echo(f"Gaps in the {days} day(s) from {_local(at, tz)} ({tz.key}):")
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
