"""``warmline block ...``: numbers the line does not answer."""

from __future__ import annotations

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
def block() -> None:
    """Blocklist: blocked numbers are not routed and get no replies."""


@block.command("add")
@click.argument("number")
@friendly
def block_add(number: str) -> None:
    """Block NUMBER: no routing, no replies; its open conversation is closed."""
    from warmline.audit import cli_actor
    from warmline.services import blocks

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        contact, newly = blocks.block(session, wl.context, cli_actor(), number, utc_now())
        click.echo(f"blocked ({contact.alias})" if newly else f"already blocked ({contact.alias})")


@block.command("remove")
@click.argument("number")
@friendly
def block_remove(number: str) -> None:
    """Unblock NUMBER."""
    from warmline.audit import cli_actor
    from warmline.services import blocks

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        contact = blocks.unblock(session, wl.context, cli_actor(), number, utc_now())
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
