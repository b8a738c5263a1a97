"""Opt-out keywords and volunteer commands (SPEC §5.1, §6), table-tested."""

import pytest

from warmline.words import Command, command, keyword, language_choice


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


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("ESPAÑOL", "es"),
        ("espanol", "es"),
        ("Español!", "es"),
        ("¡ESPAÑOL!", "es"),
        ("  en español  ", "es"),
        ("EN  ESPANOL.", "es"),
        ("Spanish", "es"),
        ("ENGLISH", "en"),
        ("english please", None),
        ("in English", "en"),
        ("Inglés", "en"),
        ("en ingles", "en"),
        ("hablo español", None),  # a message about Spanish, not the keyword alone
        ("do you speak english?", None),
        ("espanoll", None),
        ("", None),
        ("STOP", None),
    ],
)
def test_language_choice(body, expected):
    assert language_choice(body) == expected
