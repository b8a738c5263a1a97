"""``warmline contact erase|export``: a contact's rights over what the line kept (SPEC §12)."""

from __future__ import annotations

import json

import click

from warmline.audit import cli_actor
from warmline.cli.common import admin_mode, fail, friendly, session_scope, setup, utc_now


@click.group()
def contact() -> None:
    """A contact's data: erase it, or export it to hand to them."""


@contact.command("erase")
@click.argument("contact_ref", metavar="ALIAS_OR_NUMBER")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@friendly
def contact_erase(contact_ref: str, yes: bool) -> None:
    """Erase a contact's messages, number and voicemails (ours and Twilio's copies); the
    anonymous counts reports use stay. ALIAS_OR_NUMBER: the alias ("Blue Heron"), the contact
    id, or their phone number."""
    from warmline.services.contacts import ContactError, erase_contact, find_contact

    wl = setup(admin_mode())
    ref = _ref(contact_ref)
    try:
        with session_scope(wl) as session:
            found = find_contact(session, wl.context, ref)
            alias, contact_id = found.alias, found.id
        if not yes:
            click.confirm(
                f"Erase {alias} (contact {contact_id})? Their messages, number and voicemails "
                "are deleted for good",
                abort=True,
            )
        with session_scope(wl) as session:
            done = erase_contact(session, wl.context, cli_actor(), contact_id, utc_now(), wl.sender)
    except ContactError as exc:
        fail(str(exc))
        return
    what = "was already erased; erased again" if done.already else "erased"
    click.echo(
        f"{done.alias} (contact {done.contact_id}) {what}: {done.messages} message bodies, "
        f"{done.texts} texts, {done.recordings} voicemails deleted"
    )
    if done.twilio_deleted or done.twilio_pending:
        pending = done.twilio_pending
        left = f"; {pending} left for the worker to retry" if pending else ""
        click.echo(f"Twilio's copies: {done.twilio_deleted} deleted{left}")


@contact.command("export")
@click.argument("contact_ref", metavar="ALIAS_OR_NUMBER")
@friendly
def contact_export(contact_ref: str) -> None:
    """Everything kept about a contact, as JSON on standard output, to hand to them."""
    from warmline.services.contacts import ContactError, export_contact

    wl = setup(admin_mode())
    try:
        with session_scope(wl) as session:
            data = export_contact(session, wl.context, cli_actor(), _ref(contact_ref), utc_now())
    except ContactError as exc:
        fail(str(exc))
        return
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _ref(value: str) -> str | int:
    """A bare number of up to nine digits is a contact id; anything else an alias or a phone
    number (a phone number has more digits)."""
    text = value.strip()
    return int(text) if text.isdigit() and len(text) <= 9 else text
