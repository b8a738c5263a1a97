"""``warmline volunteer ...``: the people who take conversations."""

from __future__ import annotations

from typing import Any

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
    from warmline.people import add_volunteer

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = add_volunteer(
            session,
            name,
            phone,
            utc_now(),
            role=role,
            languages=languages,
            capacity=wl.settings.routing.default_capacity if capacity is None else capacity,
            region=wl.settings.line.region,
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
    from warmline.people import AdminError, edit_volunteer

    if (name, number, role, capacity, languages) == (None,) * 5:
        raise AdminError(
            "nothing to change: give --name, --phone, --role, --capacity or --languages"
        )
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = edit_volunteer(
            session,
            volunteer_ref,
            utc_now(),
            name=name,
            number=number,
            role=role,
            capacity=capacity,
            languages=languages,
            region=wl.settings.line.region,
        )
        click.echo(f"volunteer {v.id} is now {_about(v)}")


@volunteer.command("activate")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def volunteer_activate(volunteer_ref: str) -> None:
    """Route to a deactivated volunteer again; their shifts count once more."""
    from warmline.people import activate_volunteer

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = activate_volunteer(session, volunteer_ref, wl.settings.line.region)
        click.echo(f"activated {_about(v)}")


@volunteer.command("deactivate")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def volunteer_deactivate(volunteer_ref: str) -> None:
    """Stop routing to a volunteer; their open conversations stay until closed."""
    from warmline.people import deactivate_volunteer

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v, open_count = deactivate_volunteer(session, volunteer_ref, wl.settings.line.region)
        click.echo(
            f"deactivated {v.name}; they keep {open_count} open conversation(s) until those close"
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
