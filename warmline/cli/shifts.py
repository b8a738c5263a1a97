"""``warmline shift|override``: weekly and one-off shifts, and changes to the rota for a while.

Times are read and shown in the line's timezone; the services work in UTC.
"""

from __future__ import annotations

import click

from warmline.cli.common import (
    admin_mode,
    friendly,
    local_text,
    session_scope,
    setup,
    table,
    utc_now,
)
from warmline.people import volunteer_names
from warmline.scheduling import shift_text
from warmline.scheduling.editing import WEEKDAYS


@click.group()
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
    from warmline.audit import cli_actor
    from warmline.people import AdminError
    from warmline.services import rota

    if bool(day_name) == bool(on):
        raise AdminError("give either --day (weekly) or --date (one-off)")
    if on and (first_date or last_date):
        raise AdminError("--from and --until are for weekly shifts (--day), not --date")
    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    now = utc_now()
    with session_scope(wl) as session:
        if day_name:
            slot = rota.add_weekly(
                session,
                cli_actor(),
                wl.settings,
                now,
                day=day_name,
                start=start,
                end=end,
                volunteers=list(volunteers),
                supervisors=list(supervisors),
                first_date=first_date,
                last_date=last_date,
            )
            click.echo(f"added weekly shift w{slot.id}: {rota.describe_slot(slot)}")
        else:
            shifts = rota.add_one_off(
                session,
                cli_actor(),
                wl.settings,
                now,
                on=on or "",
                start=start,
                end=end,
                volunteers=list(volunteers),
                supervisors=list(supervisors),
            )
            ids = ", ".join(f"o{s.id}" for s in shifts)
            click.echo(
                f"added one-off shift{'s' if len(shifts) > 1 else ''} {ids}: "
                f"{shift_text.span(shifts[0].start, shifts[0].end, tz)}"
            )


@shift.command("edit")
@click.argument("shift_ref", metavar="ID")
@click.option("--day", "day_name", help="Weekday: mon..sun.")
@click.option("--start", help="Local start, HH:MM.")
@click.option("--end", help="Local end, HH:MM (earlier than start: next day).")
@click.option("--volunteer", "volunteers", multiple=True, help="Phone or id; repeatable.")
@click.option("--supervisor", "supervisors", multiple=True, help="Phone or id; repeatable.")
@click.option("--from", "first_date", help="First date ('' for none).")
@click.option("--until", "last_date", help="Last date ('' for none).")
@click.option("--date", "on", help="New date of a one-off shift: YYYY-MM-DD.")
@friendly
def shift_edit(
    shift_ref: str,
    day_name: str | None,
    start: str | None,
    end: str | None,
    volunteers: tuple[str, ...],
    supervisors: tuple[str, ...],
    first_date: str | None,
    last_date: str | None,
    on: str | None,
) -> None:
    """Change shift ID (w3 weekly, o2 one-off); it keeps its id. What is not given stays as it
    was. For a weekly shift --volunteer or --supervisor replaces that list of people; a one-off
    shift is one person's: --volunteer or --supervisor names them (and whether they supervise)."""
    from warmline.audit import cli_actor
    from warmline.people import AdminError
    from warmline.services import rota

    kind, number = shift_text.parse_shift_ref(shift_ref)
    if kind == "o":
        if day_name or first_date is not None or last_date is not None:
            raise AdminError("a one-off shift has a --date, not a --day, --from or --until")
        if len(volunteers) + len(supervisors) > 1:
            raise AdminError(
                "a one-off shift is one person's: give one --volunteer or --supervisor"
            )
        _edit_one_off(number, on, start, end, volunteers, supervisors)
        return
    if on is not None:
        raise AdminError("--date is for one-off shifts; a weekly shift has a --day")
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        fields = rota.weekly_fields(session, number)
        given = {
            "day": day_name,
            "start": start,
            "end": end,
            "volunteers": list(volunteers) or None,
            "supervisors": list(supervisors) or None,
            "first_date": first_date,
            "last_date": last_date,
        }
        fields |= {k: v for k, v in given.items() if v is not None}
        fields["first_date"] = fields["first_date"] or None  # '' clears a date
        fields["last_date"] = fields["last_date"] or None
        slot = rota.edit_weekly(session, cli_actor(), wl.settings, utc_now(), number, **fields)
        click.echo(f"weekly shift w{slot.id} is now {rota.describe_slot(slot)}")


def _edit_one_off(
    number: int,
    on: str | None,
    start: str | None,
    end: str | None,
    volunteers: tuple[str, ...],
    supervisors: tuple[str, ...],
) -> None:
    from warmline.audit import cli_actor
    from warmline.services import rota_edits

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        fields = rota_edits.one_off_fields(session, wl.settings, number)
        given = {"on": on, "start": start, "end": end}
        fields |= {k: v for k, v in given.items() if v is not None}
        if volunteers or supervisors:
            fields["volunteer"] = (volunteers or supervisors)[0]
            fields["supervisor"] = bool(supervisors)
        shift = rota_edits.edit_one_off(
            session, cli_actor(), wl.settings, utc_now(), number, **fields
        )
        said = shift_text.span(shift.start, shift.end, wl.settings.line.timezone)
        click.echo(f"one-off shift o{shift.id} is now {said}")


@shift.command("list")
@friendly
def shift_list() -> None:
    """Weekly shifts (w1...) and one-off shifts (o1...) that have not ended."""
    from warmline.scheduling import editing

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
                local_text(o.start, tz)[:14],
                local_text(o.start, tz)[-5:],
                local_text(o.end, tz)[-5:],
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
    from warmline.audit import cli_actor
    from warmline.services import rota

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        said = rota.remove_shift(session, cli_actor(), wl.settings, utc_now(), shift_ref)
    click.echo(f"removed {said}")


@click.group()
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
    from warmline.audit import cli_actor
    from warmline.services import rota

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        o = rota.add_override(
            session,
            cli_actor(),
            wl.settings,
            utc_now(),
            kind=kind,
            volunteer=volunteer,
            start=start,
            end=end,
            replacement=replacement,
            supervisor=supervisor,
            reason=reason,
        )
        click.echo(f"added override {o.id}: {kind} {shift_text.span(o.start, o.end, tz)}")


@override.command("list")
@click.option("--all", "show_all", is_flag=True, help="Past ones too.")
@friendly
def override_list(show_all: bool) -> None:
    """Overrides that have not ended (all of them with --all), by start."""
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
                local_text(o.start, tz),
                local_text(o.end, tz),
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
    from warmline.audit import cli_actor
    from warmline.services import rota

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        swap = rota.remove_override(session, cli_actor(), utc_now(), override_id)
    click.echo(
        f"removed override {override_id}"
        + (
            f"; swap {swap.id} is cancelled and the shift is back with who offered it"
            if swap
            else ""
        )
    )
