"""``warmline shift|override|rota|block|escalation`` commands."""

from __future__ import annotations

import datetime as dt
import sys

import click

from warmline.cli import admin_mode, friendly, main, session_scope, setup, table, utc_now
from warmline.scheduling.editing import WEEKDAYS


def _at(value: str | None, tz: object, now: dt.datetime | None = None) -> dt.datetime:
    """A local 'YYYY-MM-DD HH:MM' typed by the coordinator, or else ``now`` (the clock)."""
    from warmline.scheduling.editing import local_datetime

    if value:
        return local_datetime(tz, value)  # type: ignore[arg-type]
    return now or utc_now()


def _local(at: dt.datetime, tz: object) -> str:
    return at.astimezone(tz).strftime("%a %Y-%m-%d %H:%M")  # type: ignore[arg-type]


@main.group()
def shift() -> None:
    """Shifts: weekly recurring slots (ids w1, w2...) and one-off shifts (o1, o2...)."""


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
    """Add a weekly shift (--day) or a one-off shift (--date); says back what it understood."""
    from warmline.people import AdminError
    from warmline.scheduling import editing, shift_text

    if bool(day_name) == bool(on):
        raise AdminError("give either --day (weekly) or --date (one-off)")
    if on and (first_date or last_date):
        raise AdminError("--from and --until are for weekly shifts (--day), not --date")
    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    now = utc_now()
    with session_scope(wl) as session:
        if day_name:
            slot = editing.add_weekly_slot(
                session,
                day_name=day_name,
                start=start,
                end=end,
                volunteers=list(volunteers),
                supervisors=list(supervisors),
                now=now,
                first_date=first_date,
                last_date=last_date,
                region=wl.settings.line.region,
                tz=tz,
            )
            dates = shift_text.dates(slot.first_date, slot.last_date)
            click.echo(
                f"added weekly shift w{slot.id}: "
                f"{shift_text.weekly_span(slot.weekday, slot.start_local, slot.end_local)}"
                + ("" if dates == "every week" else f", {dates}")
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
                now=now,
                region=wl.settings.line.region,
            )
            ids = ", ".join(f"o{s.id}" for s in shifts)
            click.echo(
                f"added one-off shift{'s' if len(shifts) > 1 else ''} {ids}: "
                f"{shift_text.span(shifts[0].start, shifts[0].end, tz)}"
            )


@shift.command("list")
@friendly
def shift_list() -> None:
    """Weekly shifts (w1...) and one-off shifts (o1...) that have not ended."""
    from warmline.people import volunteer_names
    from warmline.scheduling import editing, shift_text

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    now = utc_now()
    with session_scope(wl) as session:
        names = volunteer_names(session)

        def who(pairs: list[tuple[int, bool]]) -> str:
            return ", ".join(names[i] + (" (sup)" if s else "") for i, s in pairs)

        rows = [
            (
                f"w{s.id}",
                "weekly",
                WEEKDAYS[s.weekday],
                f"{s.start_local:%H:%M}",
                f"{s.end_local:%H:%M}",
                shift_text.dates(s.first_date, s.last_date),
                who([(a.volunteer_id, a.supervisor) for a in s.assignments]),
            )
            for s in editing.list_slots(session)
        ] + [
            (
                f"o{o.id}",
                "one-off",
                _local(o.start, tz)[:14],
                _local(o.start, tz)[-5:],
                _local(o.end, tz)[-5:],
                "",
                who([(o.volunteer_id, o.supervisor)]),
            )
            for o in editing.list_one_offs(session, now)
        ]
    click.echo(
        table(("id", "kind", "day", "start", "end", "dates", "volunteers"), rows)
        if rows
        else "no shifts"
    )


@shift.command("remove")
@click.argument("shift_ref", metavar="ID")
@friendly
def shift_remove(shift_ref: str) -> None:
    """Remove a weekly (w3) or one-off (o3) shift; a bare 3 only when just one of them exists."""
    from warmline.scheduling import editing

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        said = editing.remove_shift(session, wl.settings.line.timezone, shift_ref)
    click.echo(f"removed {said}")


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
    from warmline.scheduling import editing, shift_text

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
            region=wl.settings.line.region,
        )
        click.echo(f"added override {o.id}: {kind} {shift_text.span(o.start, o.end, tz)}")


@override.command("list")
@click.option("--all", "show_all", is_flag=True, help="Past ones too.")
@friendly
def override_list(show_all: bool) -> None:
    """Overrides that have not ended (all of them with --all), by start."""
    from warmline.people import volunteer_names
    from warmline.scheduling import editing

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        names = volunteer_names(session)
        rows = [
            (
                o.id,
                o.kind + (" (sup)" if o.supervisor else ""),
                names.get(o.volunteer_id, "?"),
                names.get(o.replacement_id, "-") if o.replacement_id else "-",
                _local(o.start, tz),
                _local(o.end, tz),
                o.reason or "-",
            )
            for o in editing.list_overrides(session, None if show_all else utc_now())
        ]
    click.echo(
        table(("id", "kind", "volunteer", "with", "from", "until", "reason"), rows)
        if rows
        else "no overrides"
    )


@override.command("remove")
@click.argument("override_id", type=int)
@friendly
def override_remove(override_id: int) -> None:
    """Remove override OVERRIDE_ID (one made by a swap: the swap is cancelled)."""
    from warmline.scheduling import editing

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        swap = editing.remove_override(session, override_id, utc_now())
    click.echo(
        f"removed override {override_id}"
        + (
            f"; swap {swap.id} is cancelled and the shift is back with who offered it"
            if swap
            else ""
        )
    )


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
    at = _at(at_text, tz, utc_now())
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
        contact, newly = block_number(session, wl.context, number, utc_now())
        click.echo(f"blocked ({contact.alias})" if newly else f"already blocked ({contact.alias})")


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
@friendly
def block_list() -> None:
    """Blocked numbers: the last four digits, the contact's alias and the date blocked."""
    from warmline.routing.blocking import blocked_numbers

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        rows = [
            (
                f"…{b.last_four}",
                b.alias,
                f"{b.blocked_at.astimezone(tz):%Y-%m-%d}" if b.blocked_at else "-",
            )
            for b in blocked_numbers(session, wl.vault)
        ]
    click.echo(table(("number", "alias", "blocked on"), rows) if rows else "no blocked numbers")


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
    from warmline.escalation.classifier import load_model
    from warmline.escalation.lexicon import LexiconError, load_lexicon
    from warmline.escalation.matcher import Matcher

    try:
        matcher = Matcher(load_lexicon(load_settings("demo").escalation_path), load_model())
    except (LexiconError, ConfigError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    lines = texts or tuple(line.rstrip("\n") for line in sys.stdin)
    for text in lines:
        scan = matcher.scan(text)
        click.echo(format_scan_json(text, scan) if as_json else format_scan_text(text, scan))


from warmline import cli_schedule  # noqa: E402,F401  (registers swap, rota week|gaps|feed-urls)
