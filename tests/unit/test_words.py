"""Opt-out keywords and volunteer commands (SPEC §5.1, §6), table-tested."""

import pytest

from warmline.routing.words import Command, command, keyword


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", "stop"),
        ("stop", "stop"),
        ("  Stop.  ", "stop"),
        ("STOPALL", "stop"),
        ("unsubscribe", "stop"),
        ("Cancel", "stop"),
        ("END", "stop"),
        ("quit!", "stop"),
        ("REVOKE", "stop"),
        ("optout", "stop"),
        ("START", "start"),
        ("yes", "start"),
        ("Unstop", "start"),
        ("HELP", "help"),
        ("help?", "help"),
        ("Info", "help"),
        ("¿help?", "help"),
        ("please stop texting me so fast", None),
        ("stop it", None),
        ("opt out", None),
        ("help me", None),
        ("yes please", None),
        ("", None),
        ("🙂", None),
        ("stopp", None),
    ],
)
def test_keyword(body, expected):
    assert keyword(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("#end", Command("end", "")),
        ("#END thanks, went well", Command("end", "thanks, went well")),
        ("  #Pass", Command("pass", "")),
        ("#escalate\nsounds unsafe", Command("escalate", "sounds unsafe")),
        ("#ack 12", Command("ack", "12")),
        ("#", Command("", "")),
        ("#whatever x", Command("whatever", "x")),
        ("hello #end", None),
        ("I'm here for you", None),
    ],
)
def test_command(body, expected):
    assert command(body) == expected
