"""``warmline user ...``: dashboard accounts (SPEC §11), each change in the audit log.

Passwords come from standard input when it is not a terminal (``echo "$PW" | warmline user add``),
else from a hidden prompt asked twice; they are never taken as an argument, where ``ps`` and the
shell's history would keep them.
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from warmline.audit import cli_actor
from warmline.cli.common import admin_mode, fail, friendly, session_scope, setup, table, utc_now
from warmline.services import users as user_service

ROLE = click.Choice(("coordinator", "supervisor", "viewer"))


def read_password() -> str:
    """The new password: the first line of standard input, or typed twice at a hidden prompt."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        fail("no password on standard input (give it as the first line)")
    return line


def _when(at: dt.datetime | None, tz: object) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else "-"  # type: ignore[arg-type]


@click.group()
def user() -> None:
    """Dashboard accounts: coordinators, supervisors and viewers."""


@user.command("add")
@click.argument("email")
@click.option("--role", type=ROLE, required=True, help="What the account may do (SPEC §11).")
@click.option("--totp", is_flag=True, help="Turn on the second factor; shows its secret once.")
@friendly
def user_add(email: str, role: str, totp: bool) -> None:
    """Add an account for EMAIL; the password is read from standard input or a prompt."""
    password = read_password()
    wl = setup(admin_mode())
    now, actor = utc_now(), cli_actor()
    with session_scope(wl) as session:
        account = user_service.add_user(session, actor, email, password, role, now)
        click.echo(f"added {account.role} {account.email} (user {account.id})")
        if totp:
            _, secret, uri = user_service.enable_totp(
                session, actor, account.email, wl.vault, wl.settings.line.name, now
            )
            _show_totp(secret, uri)


def _show_totp(secret: str, uri: str) -> None:
    click.echo("second factor on: add it to an authenticator app now, it is not shown again")
    click.echo(f"secret: {secret}")
    click.echo(f"uri: {uri}")


@user.command("list")
@friendly
def user_list() -> None:
    """Every account: role, active, second factor, last login, failed logins since."""
    from warmline.accounts.users import list_users

    wl = setup(admin_mode())
    tz = wl.settings.line.timezone
    with session_scope(wl) as session:
        rows = [
            (
                u.email,
                u.role,
                "yes" if u.active else "no",
                "on" if u.totp_secret is not None else "off",
                _when(u.last_login_at, tz),
                u.failed_logins,
            )
            for u in list_users(session)
        ]
    headers = ("email", "role", "active", "totp", "last login", "failed logins")
    click.echo(table(headers, rows) if rows else "no accounts yet: warmline user add EMAIL --role")


@user.command("deactivate")
@click.argument("email")
@friendly
def user_deactivate(email: str) -> None:
    """EMAIL can no longer log in (the account and its audit trail stay)."""
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        account = user_service.deactivate(session, cli_actor(), email, utc_now())
        click.echo(f"deactivated {account.email}")


@user.command("activate")
@click.argument("email")
@friendly
def user_activate(email: str) -> None:
    """Let a deactivated EMAIL log in again."""
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        account = user_service.activate(session, cli_actor(), email, utc_now())
        click.echo(f"activated {account.email}")


@user.command("role")
@click.argument("email")
@click.argument("role", type=ROLE)
@friendly
def user_role(email: str, role: str) -> None:
    """Give EMAIL another ROLE."""
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        account = user_service.set_role(session, cli_actor(), email, role, utc_now())
        click.echo(f"{account.email} is now a {account.role}")


@user.command("reset-password")
@click.argument("email")
@friendly
def user_reset_password(email: str) -> None:
    """Give EMAIL a new password, read from standard input or a prompt."""
    password = read_password()
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        account = user_service.reset_password(session, cli_actor(), email, password, utc_now())
        click.echo(f"new password set for {account.email}")


@user.command("totp")
@click.argument("email")
@click.option("--enable/--disable", "enable", required=True, help="Turn the second factor on/off.")
@friendly
def user_totp(email: str, enable: bool) -> None:
    """Turn EMAIL's second factor on (a new secret, shown once) or off."""
    wl = setup(admin_mode())
    now, actor = utc_now(), cli_actor()
    with session_scope(wl) as session:
        if enable:
            account, secret, uri = user_service.enable_totp(
                session, actor, email, wl.vault, wl.settings.line.name, now
            )
            click.echo(f"new second factor for {account.email}")
            _show_totp(secret, uri)
        else:
            account = user_service.disable_totp(session, actor, email, now)
            click.echo(f"second factor off for {account.email}")
