"""``warmline volunteer ...``: the people who take conversations."""

from __future__ import annotations

from typing import Any, TextIO

import click

from warmline.cli.common import (
    admin_mode,
    friendly,
    session_scope,
    setup,
    table,
    utc_now,
)


@click.group()
def volunteer() -> None:
    """Volunteers: add, list, edit, activate, deactivate."""


def _about(v: Any) -> str:
    """'Sam Lee (supervisor, capacity 2, languages en,es)', and 'inactive' when so."""
    said = [v.role, f"capacity {v.capacity}"]
    said += [f"languages {v.languages}"] if v.languages else []
    said += [] if v.active else ["inactive"]
    return f"{v.name} ({', '.join(said)})"


@volunteer.command("add")
@click.argument("name")
@click.argument("phone")
@click.option("--role", type=click.Choice(["volunteer", "supervisor"]), default="volunteer")
@click.option("--capacity", type=int, default=None, help="Open conversations at once.")
@click.option("--languages", default="", help="Comma-separated, e.g. en,es.")
@friendly
def volunteer_add(name: str, phone: str, role: str, capacity: int | None, languages: str) -> None:
    """Add a volunteer (their own phone number; --role supervisor for supervisors)."""
    from warmline.audit import cli_actor
    from warmline.services import volunteers

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = volunteers.add(
            session,
            cli_actor(),
            wl.settings,
            utc_now(),
            name=name,
            number=phone,
            role=role,
            capacity=capacity,
            languages=languages,
        )
        click.echo(f"added volunteer {v.id}: {v.name} ({v.role}, capacity {v.capacity})")


@volunteer.command("list")
@friendly
def volunteer_list() -> None:
    """All volunteers with their role, state and capacity."""
    from warmline.people import list_volunteers

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        rows = [
            (
                v.id,
                v.name,
                v.phone,
                v.role,
                "yes" if v.active else "no",
                "yes" if v.paused else "no",
                v.capacity,
                v.languages or "-",
            )
            for v in list_volunteers(session)
        ]
    click.echo(
        table(("id", "name", "phone", "role", "active", "paused", "capacity", "languages"), rows)
    )


@volunteer.command("edit")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.option("--name", default=None)
@click.option("--phone", "number", default=None, help="Their new phone number.")
@click.option("--role", type=click.Choice(["volunteer", "supervisor"]), default=None)
@click.option("--capacity", type=int, default=None, help="Open conversations at once.")
@click.option("--languages", default=None, help="Comma-separated, e.g. en,es ('' for none).")
@friendly
def volunteer_edit(
    volunteer_ref: str,
    name: str | None,
    number: str | None,
    role: str | None,
    capacity: int | None,
    languages: str | None,
) -> None:
    """Change a volunteer's name, phone, role, capacity or languages (active or not)."""
    from warmline.audit import cli_actor
    from warmline.people import AdminError
    from warmline.services import volunteers

    if (name, number, role, capacity, languages) == (None,) * 5:
        raise AdminError(
            "nothing to change: give --name, --phone, --role, --capacity or --languages"
        )
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = volunteers.edit(
            session,
            cli_actor(),
            wl.settings,
            utc_now(),
            volunteer_ref,
            name=name,
            number=number,
            role=role,
            capacity=capacity,
            languages=languages,
        )
        click.echo(f"volunteer {v.id} is now {_about(v)}")


@volunteer.command("activate")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def volunteer_activate(volunteer_ref: str) -> None:
    """Route to a deactivated volunteer again; their shifts count once more."""
    from warmline.audit import cli_actor
    from warmline.services import volunteers

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = volunteers.activate(session, cli_actor(), wl.settings, utc_now(), volunteer_ref)
        click.echo(f"activated {_about(v)}")


@volunteer.command("deactivate")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def volunteer_deactivate(volunteer_ref: str) -> None:
    """Stop routing to a volunteer; their open conversations stay until closed."""
    from warmline.audit import cli_actor
    from warmline.services import volunteers

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v, open_count = volunteers.deactivate(
            session, cli_actor(), wl.settings, utc_now(), volunteer_ref
        )
        click.echo(
            f"deactivated {v.name}; they keep {open_count} open conversation(s) until those close"
        )


@volunteer.command("reminders")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.argument("minutes", metavar="MINUTES")
@friendly
def volunteer_reminders(volunteer_ref: str, minutes: str) -> None:
    """Set the volunteer's shift reminders: minutes before, e.g. 1440,60; 'none' for none."""
    from warmline.audit import cli_actor
    from warmline.services import volunteers

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v, values = volunteers.set_reminders(
            session, cli_actor(), wl.settings, utc_now(), volunteer_ref, minutes
        )
        said = ", ".join(f"{m} min" for m in values) or "none"
        click.echo(f"{v.name}'s reminders: {said} before each shift")


@volunteer.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@click.option("--skip-bad", is_flag=True, help="Add the good rows even when some are bad.")
@friendly
def volunteer_import(csv_file: TextIO, dry_run: bool, skip_bad: bool) -> None:
    """Add volunteers from a CSV file (columns name, phone, role, capacity, languages, active).

    Every row is checked first; with a bad row nothing is added unless --skip-bad."""
    from warmline.audit import cli_actor
    from warmline.services import volunteer_csv

    text = csv_file.read()
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        if dry_run:
            checked = volunteer_csv.preview(session, wl.settings, text, utc_now())
            for row in checked.bad:
                click.echo(f"line {row.line}: {row.error}")
            click.echo(f"{len(checked.good)} row(s) would be added, {len(checked.bad)} bad")
            return
        added, checked = volunteer_csv.commit(
            session, cli_actor(), wl.settings, text, utc_now(), skip_bad=skip_bad
        )
        for row in checked.bad:
            click.echo(f"left out line {row.line}: {row.error}")
        click.echo(f"added {len(added)} volunteer(s): {', '.join(v.name for v in added)}")


@volunteer.command("export")
@friendly
def volunteer_export() -> None:
    """Every volunteer as CSV on standard output (the columns import reads)."""
    from warmline.audit import cli_actor
    from warmline.services import volunteer_csv

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        text = volunteer_csv.export(session, cli_actor(), utc_now())
    click.echo(text, nl=False)
