"""Twilio's status words in the telephony port's (``telephony.twilio_words``), table-tested."""

from __future__ import annotations

import pytest

from warmline.telephony.twilio_words import call_progress, dial_end, parse_seconds


@pytest.mark.parametrize(
    ("status", "end"),
    [
        ("completed", "picked-up"),  # a person, a voicemail box, or someone who declined
        ("answered", "picked-up"),
        ("no-answer", "unanswered"),
        ("busy", "busy"),
        ("failed", "failed"),
        ("canceled", "caller-left"),
        ("ringing", "failed"),  # not a word a <Dial> ends with: read as a dial that failed
    ],
)
def test_dial_ends(status, end):
    assert dial_end(status) == end


@pytest.mark.parametrize("status", ["completed", "busy", "no-answer", "failed", "canceled"])
def test_these_call_statuses_end_the_call(status):
    assert call_progress(status) == "ended"


@pytest.mark.parametrize(
    ("status", "progress"),
    [
        ("queued", "placed"),
        ("initiated", "placed"),
        ("ringing", "ringing"),
        ("in-progress", "answered"),
        ("answered", "answered"),
        ("", "placed"),  # (an optional CallStatus that was absent: the call goes on)
        ("teleported", "placed"),
    ],
)
def test_other_call_statuses_do_not(status, progress):
    assert call_progress(status) == progress


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", 0),
        ("", None),
        ("x", None),
        (None, None),
        ("²", None),
        ("9" * 12, None),
        ("-3", None),
    ],  # fmt: skip
)
def test_parse_seconds(raw, seconds):
    assert parse_seconds(raw) == seconds
