"""``warmline swap ...``: volunteers giving away and taking shifts."""

from __future__ import annotations

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


@click.group()
def swap() -> None:
    """Shift swaps: offer a shift, take one, or reassign it (coordinators)."""


@swap.command("offer")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.option("--at", "at_text", required=True, help="Local 'YYYY-MM-DD HH:MM' within the shift.")
@friendly
def swap_offer(volunteer_ref: str, at_text: str) -> None:
    """Offer the volunteer's shift covering --at to anyone who will take it."""
    from warmline.audit import cli_actor
    from warmline.services import rota

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    now = utc_now()
    with session_scope(wl) as session:
        s = rota.offer_swap(
            session, cli_actor(), wl.settings, now, volunteer_ref, local_at(at_text, tz, now)
        )
        click.echo(f"swap {s.id} offered: {local_text(s.start, tz)} to {local_text(s.end, tz)}")


@swap.command("take")
@click.argument("swap_id", type=int)
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def swap_take(swap_id: int, volunteer_ref: str) -> None:
    """VOLUNTEER takes the offered swap SWAP_ID."""
    from warmline.audit import cli_actor
    from warmline.services import rota

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        s = rota.take_swap(
            session, cli_actor(), wl.settings, utc_now(), swap_id, volunteer_ref, wl.context
        )
        names = volunteer_names(session)
        click.echo(
            f"swap {s.id} taken by {names[s.taken_by_id or 0]}: "
            f"{local_text(s.start, tz)} to {local_text(s.end, tz)}"
        )


@swap.command("reassign")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.option("--at", "at_text", required=True, help="Local 'YYYY-MM-DD HH:MM' within the shift.")
@click.option("--to", "to_ref", required=True, help="Who takes the shift (id or phone).")
@friendly
def swap_reassign(volunteer_ref: str, at_text: str, to_ref: str) -> None:
    """Give the volunteer's shift covering --at to another volunteer at once."""
    from warmline.audit import cli_actor
    from warmline.services import rota

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    now = utc_now()
    with session_scope(wl) as session:
        s = rota.reassign_shift(
            session,
            cli_actor(),
            wl.settings,
            now,
            volunteer_ref,
            local_at(at_text, tz, now),
            to_ref,
            wl.context,
        )
        names = volunteer_names(session)
        click.echo(
            f"shift reassigned to {names[s.taken_by_id or 0]} (swap {s.id}): "
            f"{local_text(s.start, tz)} to {local_text(s.end, tz)}"
        )


@swap.command("cancel")
@click.argument("swap_id", type=int)
@friendly
def swap_cancel(swap_id: int) -> None:
    """Withdraw an open offer."""
    from warmline.audit import cli_actor
    from warmline.services import rota

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        rota.cancel_swap(session, cli_actor(), utc_now(), swap_id)
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
                local_text(s.start, tz),
                local_text(s.end, tz),
                names.get(s.taken_by_id, "-") if s.taken_by_id else "-",
            )
            for s in found
        ]
    click.echo(
        table(("id", "status", "offered by", "from", "until", "taken by"), rows)
        if rows
        else "no swaps"
    )
