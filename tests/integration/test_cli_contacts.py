"""``warmline contact erase|export`` against the test database, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from warmline.cli import main
from warmline.db.models import AuditEntry, Contact, Conversation, Message

CONTACT = "+12025550141"


def texted(twilio, people) -> tuple[int, str]:
    people.volunteer("Ann")
    twilio.sms(CONTACT, "my number is private, please")
    twilio.deliver()
    with twilio.wl.db.unit_of_work() as session:
        contact = session.scalars(select(Contact)).one()
        return contact.id, contact.alias


def test_export_prints_the_contacts_data_as_json(cli, twilio, people) -> None:
    contact_id, alias = texted(twilio, people)

    data = json.loads(cli("contact", "export", "(202) 555-0141"))

    assert data["contact"] == data["contact"] | {"id": contact_id, "alias": alias}
    [conv] = data["conversations"]
    assert conv["messages"][0]["body"] == "my number is private, please"
    assert CONTACT[2:] not in json.dumps(data)
    assert json.loads(cli("contact", "export", alias.lower()))["contact"]["id"] == contact_id


def test_erase_asks_first_and_deletes_on_yes(cli, twilio, people, clock) -> None:
    contact_id, alias = texted(twilio, people)
    runner = CliRunner()

    refused = runner.invoke(main, ["contact", "erase", alias], input="n\n", obj=clock)
    assert refused.exit_code == 1 and f"Erase {alias} (contact {contact_id})?" in refused.output
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalars(select(Message.body)).first() is not None

    said = runner.invoke(main, ["contact", "erase", CONTACT], input="y\n", obj=clock)
    assert said.exit_code == 0, said.output
    assert f"{alias} (contact {contact_id}) erased: 1 message bodies" in said.output
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalars(select(Message.body)).all() == [None]
        assert session.scalars(select(Conversation.close_reason)).one() == "erased"
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.actor_kind, entry.target) == (
            "contact.erase", "cli", f"contact:{contact_id}",
        )  # fmt: skip
    again = cli("contact", "erase", str(contact_id), "--yes")
    assert "was already erased" in again


def test_erase_through_twilio_deletes_its_recordings(cli, twilio, people, monkeypatch) -> None:
    contact_id, _ = texted(twilio, people)
    sid = twilio.standin.add_recording()
    with twilio.wl.db.unit_of_work() as session:
        conv = session.scalars(select(Conversation)).one()
        conv.recording_sid, conv.recording_url, conv.recording_seconds = sid, "https://x/r", 9
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", twilio.standin.account_sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", twilio.standin.auth_token)
    monkeypatch.setenv("TWILIO_API_BASE_URL", twilio.standin.base_url)

    out = cli("contact", "erase", str(contact_id), "--yes")

    assert "Twilio's copies: 1 deleted" in out
    assert twilio.standin.recordings() == set()


def test_an_unknown_contact_is_one_line_without_the_number(cli, twilio, people) -> None:
    texted(twilio, people)
    out = cli("contact", "erase", "+12025550199", "--yes", code=2)
    assert out.strip() == "error: no contact has that number"
    assert cli("contact", "export", "Nobody", code=2).startswith("error: no contact has the alias")
