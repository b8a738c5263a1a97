"""The ``warmline`` command: thin wrappers around the services, with readable tables.

One module per command group; this one only assembles them, so no module imports another's
commands (and none imports this one).
"""

from __future__ import annotations

import click

from warmline.cli import (
    blocks,
    contacts,
    escalation,
    init,
    process,
    rota,
    shifts,
    swaps,
    tokens,
    users,
    volunteers,
)
from warmline.cli.common import OneLineErrors, database_problem, utc_now

__all__ = ["database_problem", "main", "utc_now"]


@click.group(cls=OneLineErrors)
def main() -> None:
    """warmline: a peer-support warmline on Twilio."""


for command in (
    init.init,
    process.demo,
    process.serve,
    process.worker,
    process.db,
    volunteers.volunteer,
    shifts.shift,
    shifts.override,
    swaps.swap,
    rota.rota,
    blocks.block,
    contacts.contact,
    escalation.escalation,
    users.user,
    tokens.api_token,
):
    main.add_command(command)
