"""``warmline api-token ...``: bearer tokens of the JSON API (SPEC §11), audited.

A token is printed once, as the last line of ``api-token add`` (so a script can take it with
``tail -n 1``); only its SHA-256 is stored, and ``list`` shows names, never tokens.
"""

from __future__ import annotations

import click

from warmline.audit import cli_actor
from warmline.cli.common import admin_mode, friendly, session_scope, setup, table, utc_now
from warmline.cli.users import ROLE
from warmline.services import tokens as token_service


@click.group("api-token")
def api_token() -> None:
    """Bearer tokens for the JSON API."""


@api_token.command("add")
@click.argument("name")
@click.option("--role", type=ROLE, required=True, help="What the token may do (SPEC §11).")
@friendly
def api_token_add(name: str, role: str) -> None:
    """Add a token called NAME; prints it once, as the last line."""
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        token, plain = token_service.add_token(session, cli_actor(), name, role, utc_now())
        click.echo(f"added token {token.name!r} ({token.role}); it is shown once, keep it now:")
    click.echo(plain)  # after the commit: a token printed is a token that exists


@api_token.command("list")
@friendly
def api_token_list() -> None:
    """Every token by name: role, created, last used, revoked (never the token itself)."""
    from warmline.accounts.tokens import list_tokens

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone

    def when(at: object) -> str:
        return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else "-"  # type: ignore[attr-defined]

    with session_scope(wl) as session:
        rows = [
            (t.name, t.role, when(t.created_at), when(t.last_used_at), when(t.revoked_at))
            for t in list_tokens(session)
        ]
    headers = ("name", "role", "created", "last used", "revoked")
    click.echo(table(headers, rows) if rows else "no API tokens yet: warmline api-token add NAME")


@api_token.command("revoke")
@click.argument("name")
@friendly
def api_token_revoke(name: str) -> None:
    """Revoke the token called NAME: it answers 401 from now on."""
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        token = token_service.revoke_token(session, cli_actor(), name, utc_now())
        click.echo(f"revoked token {token.name!r}")
