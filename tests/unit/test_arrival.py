"""Which texts take the short way: only a known contact's ordinary text in an open conversation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace

import pytest

from warmline.routing.arrival import Arrival, ContactRow, ConversationRow, is_plain

CONTACT = ContactRow(id=1, alias="Blue Heron", blocked=False, opted_out=False)
ASSIGNED = ConversationRow(
    id=7,
    status="assigned",
    relay_number="+15550001111",
    awaiting_reply_since=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    volunteer_id=3,
    volunteer_phone="+15551230003",
)
PLAIN = Arrival(first_time=True, contact=CONTACT, conversation=ASSIGNED)


def scan_finding(level: str):
    return lambda text: SimpleNamespace(level=level)


def test_an_ordinary_text_in_an_assigned_or_waiting_conversation_is_plain():
    assert is_plain(PLAIN, "it's been a long day", 0, scan_finding("none"))
    assert is_plain(PLAIN, "it's been a long day", 0, None)  # no scanner configured
    queued = replace(ASSIGNED, status="queued", volunteer_id=None, volunteer_phone=None)
    assert is_plain(replace(PLAIN, conversation=queued), "still waiting", 0, None)


@pytest.mark.parametrize(
    ("arrival", "why"),
    [
        (replace(PLAIN, contact=None), "a new contact"),
        (replace(PLAIN, conversation=None), "no open conversation"),
        (replace(PLAIN, contact=replace(CONTACT, blocked=True)), "blocked"),
        (replace(PLAIN, contact=replace(CONTACT, opted_out=True)), "opted out"),
        (replace(PLAIN, conversation=replace(ASSIGNED, status="ringing")), "a call"),
        (
            replace(PLAIN, conversation=replace(ASSIGNED, volunteer_id=None, volunteer_phone=None)),
            "assigned to nobody",
        ),
    ],
)
def test_anything_else_about_the_sender_takes_the_general_way(arrival, why):
    assert not is_plain(arrival, "it's been a long day", 0, None), why


@pytest.mark.parametrize("body", ["STOP", " stop ", "start", "HELP", "unsubscribe", ""])
def test_keywords_and_empty_texts_take_the_general_way(body):
    assert not is_plain(PLAIN, body, 0, None)


def test_a_picture_or_anything_the_scan_finds_takes_the_general_way():
    assert not is_plain(PLAIN, "look at this", 1, None)
    assert not is_plain(PLAIN, "i want to die", 0, scan_finding("crisis"))
    assert not is_plain(PLAIN, "i feel hopeless", 0, scan_finding("concern"))
