"""The edge's field readers (warmline/web/webhook_fields.py), table by table."""

from __future__ import annotations

import pytest

from warmline.web import webhook_fields as fields
from warmline.web.webhook_fields import BadField

SID = "SM" + "0123456789abcdef" * 2


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"MessageSid": SID}, SID),
        ({"MessageSid": f"  {SID} "}, SID),
        ({"SmsSid": SID}, SID),  # the older name
        ({"MessageSid": "", "SmsSid": SID}, SID),
        ({"MessageSid": "SM1"}, "SM1"),  # an odd length is stored as it is
        ({"MessageSid": "S" * 64}, "S" * 64),
    ],
)
def test_sid_accepts_short_ascii_letters_and_digits(form, expected):
    assert fields.sid(form, "MessageSid", "SmsSid") == expected


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({}, "field MessageSid is missing"),
        ({"MessageSid": "  "}, "field MessageSid is missing"),
        ({"MessageSid": "S" * 65}, "field MessageSid is not a Twilio SID"),
        ({"MessageSid": "SM-1"}, "field MessageSid is not a Twilio SID"),
        ({"MessageSid": "SM\x001"}, "field MessageSid is not a Twilio SID"),
        ({"MessageSid": "ＳＭ１２"}, "field MessageSid is not a Twilio SID"),  # full-width
    ],
)
def test_sid_refusals_name_the_field(form, reason):
    with pytest.raises(BadField) as raised:
        fields.sid(form, "MessageSid", "SmsSid")
    assert str(raised.value) == reason and raised.value.name == "MessageSid"


@pytest.mark.parametrize(
    "value", ["+15551230001", "anonymous", "client:alice", "whatsapp:+15551230001", "x" * 64]
)
def test_address_keeps_numbers_and_twilio_addresses(value):
    assert fields.address({"From": f" {value} "}, "From") == value


@pytest.mark.parametrize(
    ("value", "limit", "problem"),
    [
        ("", 64, "is missing"),
        ("x" * 65, 64, "is longer than 64 characters"),
        ("+1" + "5" * 38, fields.OWN_NUMBER_MAX, "is longer than 32 characters"),
        ("+1555\x00123", 64, "has control characters"),
        ("+1555\x1b[31m", 64, "has control characters"),
    ],
)
def test_address_refusals_never_quote_the_value(value, limit, problem):
    with pytest.raises(BadField) as raised:
        fields.address({"To": value}, "To", limit)
    assert str(raised.value) == f"field To {problem}"


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("", ""),
        ("hi\x00there", "hi\ufffdthere"),
        ("tab\tand bell\x07", "tab\tand bell\x07"),
        ("x" * fields.BODY_MAX, "x" * fields.BODY_MAX),
    ],
)
def test_body_is_kept_whole_with_nul_made_storable(value, kept):
    assert fields.body({"Body": value}) == kept


def test_body_longer_than_ten_twilio_messages_is_refused():
    with pytest.raises(BadField, match="field Body is longer than 16000 characters"):
        fields.body({"Body": "x" * (fields.BODY_MAX + 1)})


@pytest.mark.parametrize(
    ("value", "n"),
    [
        ("", 0),
        ("0", 0),
        (" 3 ", 3),
        ("100", 100),
        ("101", 100),
        ("99999999999", 100),
        ("9" * 5000, 100),  # (int() would refuse it)
        ("-1", 0),
        ("1e3", 0),
        ("٣", 0),
        ("１", 0),
        ("two", 0),
    ],
)
def test_count_is_capped_and_never_refused(value, n):
    assert fields.count({"NumMedia": value}, "NumMedia") == n


@pytest.mark.parametrize(
    ("value", "code"),
    [("30003", 30003), ("", None), ("abc", None), ("-1", None), ("123456789", None)],
)
def test_error_code_is_informative_only(value, code):
    assert fields.error_code({"ErrorCode": value}) == code


def test_status_words_are_lower_cased_and_bounded():
    assert fields.word({"CallStatus": " Completed "}, "CallStatus") == "completed"
    assert fields.word({"CallStatus": "exploded"}, "CallStatus") == "exploded"  # passed on
    for bad in ("x" * 65, "done\n\x00"):
        with pytest.raises(BadField, match="field CallStatus is not a status word"):
            fields.word({"CallStatus": bad}, "CallStatus")
    assert fields.optional_word({}, "Digits") == ""
    with pytest.raises(BadField, match="field Digits is not keypad input"):
        fields.optional_word({"Digits": "1" * 65}, "Digits")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1", True),
        ("http://example.org/r", True),
        ("javascript:alert(1)", False),
        ("https://x y", False),
        ("https://" + "x" * 500, False),
        ("", False),
    ],
)
def test_url_must_be_http_and_fit_the_column(value, ok):
    if ok:
        assert fields.url({"RecordingUrl": value}, "RecordingUrl") == value
    else:
        with pytest.raises(BadField, match="field RecordingUrl"):
            fields.url({"RecordingUrl": value}, "RecordingUrl")


@pytest.mark.parametrize(
    ("value", "strict", "lenient"),
    [
        ("12", 12, 12),
        ("999999999", 999999999, 999999999),
        ("1000000000", None, None),
        ("9" * 5000, None, None),
        ("-1", None, None),
        ("²", None, None),
        ("", None, None),
    ],
)
def test_query_ids(value, strict, lenient):
    args = {"c": value}
    assert fields.optional_query_id(args, "c") == lenient
    if strict is not None:
        assert fields.query_id(args, "c") == strict
    else:
        with pytest.raises(BadField, match="query parameter c is missing or not an id"):
            fields.query_id(args, "c")
