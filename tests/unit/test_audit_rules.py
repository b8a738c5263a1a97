"""What an audit entry may hold: never a phone number; actions and targets in one shape."""

from __future__ import annotations

import datetime as dt

import pytest

from warmline import audit
from warmline.audit import Actor

AT = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
CLI = Actor("cli", "sam", "coordinator")


class RecordingSession:
    """Stands in for a SQLAlchemy session: ``record`` only adds."""

    def __init__(self) -> None:
        self.added: list[object] = []

    def add(self, row: object) -> None:
        self.added.append(row)


@pytest.mark.parametrize(
    "text",
    [
        "+15551230001",
        "+1 555 123 0001",
        "(555) 123-0001",
        "555.123.0001",
        "call 5551230001 back",
        "+44 7700 900123",
        "555-0100 1",  # seven digits, split
    ],
)
def test_phone_like_text(text):
    assert audit.looks_like_phone_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "safety check after escalation 12",
        "shift 2026-11-23 18:00 to 22:00",
        "between 2026-11-23T18:00:00 and 2026-11-24",
        "sam@example.org as coordinator",
        "capacity 2 to 3",
        "volunteer 123456",
    ],
)
def test_not_phone_like_text(text):
    assert not audit.looks_like_phone_number(text)


def test_record_refuses_a_phone_number_in_detail_without_repeating_it():
    session = RecordingSession()
    with pytest.raises(ValueError, match="never hold a phone number") as info:
        audit.record(session, CLI, "volunteer.edit", detail="phone +15551230001", at=AT)  # type: ignore[arg-type]
    assert "555" not in str(info.value)
    assert session.added == []


@pytest.mark.parametrize("target", ["volunteer:+15551230001", "contact:15551230001"])
def test_record_refuses_a_phone_number_as_target(target):
    with pytest.raises(ValueError):
        audit.record(RecordingSession(), CLI, "contact.erase", target=target, at=AT)  # type: ignore[arg-type]


def test_record_accepts_ids_and_short_notes():
    session = RecordingSession()
    audit.record(
        session,  # type: ignore[arg-type]
        CLI,
        "transcript.view",
        target="conversation:123456789",
        detail="reason: follow-up after escalation",
        at=AT,
    )
    (entry,) = session.added
    assert (entry.actor_kind, entry.actor_name, entry.actor_role) == ("cli", "sam", "coordinator")
    assert (entry.action, entry.target, entry.at) == (
        "transcript.view",
        "conversation:123456789",
        AT,
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "add"}, "not shaped like 'volunteer.add'"),
        ({"action": "Volunteer.Add"}, "not shaped like"),
        ({"action": "volunteer.add", "target": "volunteer 12"}, "target is not shaped"),
        ({"action": "volunteer.add", "detail": "x" * 501}, "longer than 500"),
        ({"action": "volunteer.add", "at": AT.replace(tzinfo=None)}, "aware"),
    ],
)
def test_record_refuses_malformed_entries(kwargs, message):
    with pytest.raises(ValueError, match=message):
        audit.record(RecordingSession(), CLI, **{"at": AT} | kwargs)  # type: ignore[arg-type]


def test_record_refuses_an_unknown_actor_kind():
    with pytest.raises(ValueError, match="unknown actor kind 'robot'"):
        audit.record(RecordingSession(), Actor("robot", "x", "viewer"), "a.b", at=AT)  # type: ignore[arg-type]


def test_cli_actor_is_a_coordinator_named_after_the_os_user(monkeypatch):
    monkeypatch.setenv("LOGNAME", "rosa")
    monkeypatch.setenv("USER", "rosa")
    assert audit.cli_actor() == Actor("cli", "rosa", "coordinator")
