"""What the phone simulator accepts as a text, and where a phone's reply goes by default."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from warmline.config import Line
from warmline.telephony.simulator import BadText, SimulatedText, check_text, reply_to

LINE = Line(
    name="Riverside Warmline",
    timezone=ZoneInfo("America/New_York"),
    public_number="+15550100000",
    relay_numbers=("+15550100001", "+15550100002"),
)
CONTACT = "+15555550123"
NUMBERS = ("+15550100000", "+15550100001", "+15550100002")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"from": CONTACT, "to": "+15550100000", "body": "hi"}, (CONTACT, "+15550100000", "hi")),
        ({"from": CONTACT, "to": "+15550100002", "body": "hi"}, (CONTACT, "+15550100002", "hi")),
        # National format in the line's own country, spaces around: normalised to E.164.
        (
            {"from": " (555) 555-0123 ", "to": "555-010-0001", "body": "hi"},
            (CONTACT, "+15550100001", "hi"),
        ),
        # No body is an empty text, as Twilio delivers one.
        ({"from": CONTACT, "to": "+15550100000"}, (CONTACT, "+15550100000", "")),
    ],
)
def test_a_text_from_a_phone_to_one_of_the_lines_numbers_is_accepted(fields, expected):
    assert check_text(fields, LINE) == SimulatedText(*expected)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"to": "+15550100000", "body": "hi"}, "from is required"),
        ({"from": "  ", "to": "+15550100000"}, "from is required"),
        ({"from": CONTACT, "body": "hi"}, "to is required"),
        ({"from": "hello", "to": "+15550100000"}, "from: 'hello' is not a phone number"),
        ({"from": "+1555", "to": "+15550100000"}, "from: '+1555' is not a possible phone number"),
        ({"from": CONTACT, "to": "0"}, "to: '0' is not a"),
        (
            {"from": "+15550100000", "to": "+15550100001"},
            "from: +15550100000 is one of the line's own numbers",
        ),
        (
            {"from": "+15550100002", "to": "+15550100000"},
            "from: +15550100002 is one of the line's own numbers",
        ),
        (
            {"from": CONTACT, "to": "+15550199999"},
            "to: +15550199999 is not one of the line's numbers "
            "(+15550100000, +15550100001, +15550100002)",
        ),
        ({"from": CONTACT, "to": "+15551230001"}, "to: +15551230001 is not one of the line's"),
        ({"from": 15555550123, "to": "+15550100000"}, "from must be a string"),
        ({"from": CONTACT, "to": ["+15550100000"]}, "to must be a string"),
        ({"from": CONTACT, "to": "+15550100000", "body": {"text": "hi"}}, "body must be a string"),
    ],
)
def test_a_text_the_line_could_never_receive_is_refused_naming_the_field(fields, error):
    with pytest.raises(BadText) as refused:
        check_text(fields, LINE)
    assert str(refused.value).startswith(error)


def msg(from_: str, to: str) -> dict[str, str]:
    return {"from": from_, "to": to, "body": "...", "at": "2026-11-23T23:00:00+00:00"}


VOLUNTEER = "+15551230001"


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([], "+15550100000"),
        ([msg("+15550100001", VOLUNTEER)], "+15550100001"),
        # The latest received text wins, whatever the phone sent since.
        (
            [
                msg("+15550100001", VOLUNTEER),
                msg("+15550100002", VOLUNTEER),
                msg(VOLUNTEER, "+15550100001"),
            ],
            "+15550100002",
        ),
        ([msg("+15550100002", VOLUNTEER), msg("+15550100001", VOLUNTEER)], "+15550100001"),
        # Only what the phone sent: still the public number.
        ([msg(VOLUNTEER, "+15550100002")], "+15550100000"),
        # A text from a number that is not the line's (not possible today) is not followed.
        ([msg("+15550100001", VOLUNTEER), msg("+15559999999", VOLUNTEER)], "+15550100001"),
    ],
)
def test_a_phone_replies_by_default_to_the_number_its_latest_text_came_from(messages, expected):
    assert reply_to(messages, VOLUNTEER, NUMBERS) == expected
