"""The relay rule (``routing.relay.decide``), without a database: what a contact's message
becomes for their volunteer, and when the response clock starts."""

from __future__ import annotations

import pytest

from warmline.routing.relay import Relay, decide


@pytest.mark.parametrize(
    ("body", "num_media", "sent"),
    [
        ("it's been a long day", 0, ("[Blue Heron] it's been a long day",)),
        ("", 1, ("[Blue Heron] sent a picture; warmline does not forward pictures.",)),
        (None, 3, ("[Blue Heron] sent 3 pictures; warmline does not forward pictures.",)),
        (
            "look",
            2,
            (
                "[Blue Heron] sent 2 pictures; warmline does not forward pictures.",
                "[Blue Heron] look",
            ),
        ),
        ("", 0, ()),  # an empty text: nothing to relay, but the volunteer still owes a reply
    ],
)
def test_what_the_volunteer_is_sent(body, num_media, sent):
    assert decide("Blue Heron", body, num_media, clock_running=True).texts == sent


def test_the_words_are_relayed_as_written():
    body = "  two  spaces, {braces} and [brackets]  "
    assert decide("Teal Fox", body, 0, True).texts == (f"[Teal Fox] {body}",)


@pytest.mark.parametrize(("running", "starts"), [(False, True), (True, False)])
def test_the_response_clock_starts_only_when_it_is_not_running(running, starts):
    assert decide("Blue Heron", "hello?", 0, clock_running=running) == Relay(
        ("[Blue Heron] hello?",), start_clock=starts
    )
