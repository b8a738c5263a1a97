"""``warmline shift|override|rota|block|escalation`` commands."""

from __future__ import annotations

import datetime as dt
import sys

import click

from warmline.cli import admin_mode, friendly, main, session_scope, setup, table, utc_now
from warmline.scheduling.editing import WEEKDAYS


def _at(value: str | None, tz: object) -> dt.datetime:
    from warmline.scheduling.editing import local_datetime

    return local_datetime(tz, value) if value else utc_now()  # type: ignore[arg-type]


def _local(at: dt.datetime, tz: object) -> str:
    return at.astimezone(tz).strftime("%a %Y-%m-%d %H:%M")  # type: ignore[arg-type]


@main.group()
def shift() -> None:
    """Shifts: weekly recurring slots and one-off shifts."""


@shift.command("add")
@click.option("--day", "day_name", help="Weekday of a recurring shift: mon..sun.")
@click.option("--date", "on", help="Date of a one-off shift: YYYY-MM-DD.")
@click.option("--start", required=True, help="Local start, HH:MM.")
@click.option("--end", required=True, help="Local end, HH:MM (earlier than start: next day).")
@click.option("--volunteer", "volunteers", multiple=True, help="Phone or id; repeatable.")
@click.option("--supervisor", "supervisors", multiple=True, help="Phone or id; repeatable.")
@click.option("--from", "first_date", help="First date of a recurring shift.")
@click.option("--until", "last_date", help="Last date of a recurring shift.")
@friendly
def shift_add(
    day_name: str | None,
    on: str | None,
    start: str,
    end: str,
    volunteers: tuple[str, ...],
    supervisors: tuple[str, ...],
    first_date: str | None,
    last_date: str | None,
) -> None:
    """Add a weekly shift (--day) or a one-off shift (--date)."""
    from warmline.people import AdminError
    from warmline.scheduling import editing

    if bool(day_name) == bool(on):
        raise AdminError("give either --day (weekly) or --date (one-off)")
    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        if day_name:
            slot = editing.add_weekly_slot(
                session,
                day_name=day_name,
                start=start,
                end=end,
                volunteers=list(volunteers),
                supervisors=list(supervisors),
                now=utc_now(),
                first_date=first_date,
                last_date=last_date,
            )
            click.echo(
                f"added weekly shift {slot.id}: {WEEKDAYS[slot.weekday]} "
                f"{slot.start_local:%H:%M}-{slot.end_local:%H:%M}"
            )
        else:
            shifts = editing.add_one_off(
                session,
                tz,
                on=on or "",
                start=start,
                end=end,
                volunteers=list(volunteers),
                supervisors=list(supervisors),
                now=utc_now(),
            )
            click.echo(
                f"added one-off shift for {len(shifts)} volunteer(s): "
                f"{_local(shifts[0].start, tz)} to {_local(shifts[0].end, tz)}"
            )


def _dates(first: dt.date | None, last: dt.date | None) -> str:
    if first is None and last is None:
        return "every week"
    return f"{first or '...'} to {last or '...'}"


@shift.command("list")
def shift_list() -> None:
    """Weekly shifts and upcoming one-off shifts."""
    from warmline.people import volunteer_names
    from warmline.scheduling import editing

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        names = volunteer_names(session)

        def who(pairs: list[tuple[int, bool]]) -> str:
            return ", ".join(names[i] + (" (sup)" if s else "") for i, s in pairs)

        rows = [
            (
                s.id,
                "weekly",
                WEEKDAYS[s.weekday],
                f"{s.start_local:%H:%M}",
                f"{s.end_local:%H:%M}",
                _dates(s.first_date, s.last_date),
                who([(a.volunteer_id, a.supervisor) for a in s.assignments]),
            )
            for s in editing.list_slots(session)
        ] + [
            (
                o.id,
                "one-off",
                _local(o.start, tz)[:14],
                _local(o.start, tz)[-5:],
                _local(o.end, tz)[-5:],
                "",
                who([(o.volunteer_id, o.supervisor)]),
            )
            for o in editing.list_one_offs(session, utc_now())
        ]
    click.echo(table(("id", "kind", "day", "start", "end", "dates", "volunteers"), rows))


@shift.command("remove")
@click.argument("slot_id", type=int)
@friendly
def shift_remove(slot_id: int) -> None:
    """Remove a weekly shift by id."""
    from warmline.scheduling import editing

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        editing.remove_slot(session, slot_id)
    click.echo(f"removed shift {slot_id}")


@main.group()
def override() -> None:
    """Overrides: add, remove or replace a volunteer for a period."""


@override.command("add")
@click.argument("kind", type=click.Choice(["add", "remove", "replace"]))
@click.option("--volunteer", required=True, help="Who is added, removed or replaced.")
@click.option("--with", "replacement", help="Who takes over (replace).")
@click.option("--start", required=True, help="Local 'YYYY-MM-DD HH:MM'.")
@click.option("--end", required=True, help="Local 'YYYY-MM-DD HH:MM'.")
@click.option("--supervisor", is_flag=True, help="The added volunteer supervises.")
@click.option("--reason", default=None)
@friendly
def override_add(
    kind: str,
    volunteer: str,
    replacement: str | None,
    start: str,
    end: str,
    supervisor: bool,
    reason: str | None,
) -> None:
    """Add, remove or replace a volunteer between two local times."""
    from warmline.scheduling import editing

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        o = editing.add_override(
            session,
            tz,
            kind=kind,
            volunteer=volunteer,
            start=start,
            end=end,
            now=utc_now(),
            replacement=replacement,
            supervisor=supervisor,
            reason=reason,
        )
        click.echo(f"added override {o.id}: {kind} {_local(o.start, tz)} to {_local(o.end, tz)}")


@main.group()
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
    at = _at(at_text, tz)
    with session_scope(wl) as session:
        shifts = on_shift_now(session, tz, at)
        names = volunteer_names(session)
        rows = [
            (
                names[i],
                "supervisor" if s.supervisor else "volunteer",
                _local(s.start, tz),
                _local(s.end, tz),
            )
            for i, s in sorted(shifts.items(), key=lambda kv: names[kv[0]])
        ]
    click.echo(f"On shift at {_local(at, tz)} ({tz.key}):")
    click.echo(table(("volunteer", "as", "from", "until"), rows) if rows else "nobody")


@main.group()
def block() -> None:
    """Blocklist: blocked numbers are not routed and get no replies."""


@block.command("add")
@click.argument("number")
@friendly
def block_add(number: str) -> None:
    """Block NUMBER: no routing, no replies; its open conversation is closed."""
    from warmline.routing.blocking import block as block_number

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        contact = block_number(session, wl.context, number, utc_now())
        click.echo(f"blocked ({contact.alias})")


@block.command("remove")
@click.argument("number")
@friendly
def block_remove(number: str) -> None:
    """Unblock NUMBER."""
    from warmline.routing.blocking import unblock

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        contact = unblock(session, wl.context, number, utc_now())
    click.echo("unblocked" if contact else "that number was not blocked")


@block.command("list")
def block_list() -> None:
    """Blocked contacts by alias (numbers are never shown)."""
    from warmline.people import blocked_contacts

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        rows = [(c.id, c.alias, c.created_at.date()) for c in blocked_contacts(session)]
    click.echo(table(("id", "alias", "first seen"), rows) if rows else "no blocked numbers")


@main.group()
def escalation() -> None:
    """The escalation lexicon."""


@escalation.command("check")
@click.argument("texts", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per text per line.")
def escalation_check(texts: tuple[str, ...], as_json: bool) -> None:
    """Print what the lexicon matches in TEXTS (or each line of standard input), and why."""
    from warmline.config import ConfigError, load_settings
    from warmline.escalation.check import format_scan_json, format_scan_text
    from warmline.escalation.lexicon import LexiconError, load_lexicon
    from warmline.escalation.matcher import Matcher

    try:
        matcher = Matcher(load_lexicon(load_settings("demo").escalation_path))
    except (LexiconError, ConfigError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    lines = texts or tuple(line.rstrip("\n") for line in sys.stdin)
    for text in lines:
        scan = matcher.scan(text)
        click.echo(format_scan_json(text, scan) if as_json else format_scan_text(text, scan))


from warmline import cli_schedule  # noqa: E402,F401  (registers swap, rota week|gaps|feed-urls)
