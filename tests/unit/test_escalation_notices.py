"""The pure rules of escalation notices (warmline/escalation/notices.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from warmline.escalation import notices

NOW = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("argument", "expected"),
    [("", None), ("   ", None), ("12", 12), ("#12", 12), (" 7 on it", 7), ("0012", 12)],
)
def test_parse_escalation_id(argument, expected):
    assert notices.parse_escalation_id(argument) == expected


@pytest.mark.parametrize("argument", ["soon", "12a", "-3", "١٢", "#", "1.5"])
def test_parse_escalation_id_refuses_non_numbers(argument):
    with pytest.raises(ValueError):
        notices.parse_escalation_id(argument)


@pytest.mark.parametrize(
    ("last_sent", "due"),
    [
        (None, True),
        (NOW - dt.timedelta(minutes=29, seconds=59), False),
        (NOW - dt.timedelta(minutes=30), True),
        (NOW, False),
    ],
)
def test_resources_due_outside_the_window_only(last_sent, due):
    assert notices.resources_due(last_sent, NOW, 30) is due


def m(category: str, phrase: str, level: str = "crisis") -> dict[str, str]:
    return {"category": category, "phrase": phrase, "level": level}


def test_what_matched_names_categories_and_phrases_once_each():
    matches = [
        m("suicide", "kill myself"),
        m("self_harm", "cut myself"),
        m("suicide", "kill myself"),
    ]
    assert notices.what_matched(matches) == "suicide: 'kill myself'; self-harm: 'cut myself'"


def test_what_matched_filters_by_level_and_caps_the_list():
    matches = [m("suicide", "hopeless", "concern")] + [m("suicide", f"p{i}") for i in range(5)]
    assert notices.what_matched(matches, "concern") == "suicide: 'hopeless'"
    assert notices.what_matched(matches, "crisis").endswith("'p2'; and 2 more")


@pytest.mark.parametrize(
    ("targets", "phrase"),
    [
        (["supervisor:3"], "the supervisor on shift was alerted"),
        (["supervisor:3", "supervisor:4"], "the supervisors on shift were alerted"),
        (["coordinators:2"], "the coordinators were alerted"),
        (["coordinators:0"], "no supervisor or coordinator could be alerted"),
        ([], "no supervisor or coordinator could be alerted"),
    ],
)
def test_alerted_phrase(targets, phrase):
    assert notices.alerted_phrase(targets) == phrase


def test_alerts_carry_the_id_and_how_to_ack():
    assert notices.crisis_alert(12, "Blue Heron", "suicide: 'kill myself'") == (
        "Warmline ESCALATION #12: Blue Heron may be in crisis (suicide: 'kill myself'). "
        "Reply #ack 12"
    )
    assert notices.volunteer_alert(3, "Sam", "Blue Heron", None).endswith(
        "asks for a supervisor about Blue Heron. Reply #ack 3"
    )
    assert notices.volunteer_alert(3, "Sam", None, "help!").endswith(
        "supervisor: help! Reply #ack 3"
    )


def test_alerted_ids_reads_alerts_and_realerts_only():
    actions = [
        {"action": "alerted", "to": ["supervisor:3", "coordinators:1"]},
        {"action": "volunteer_told", "volunteer_id": 9},
        {"action": "realerted", "to": ["supervisor:31"]},
    ]
    assert notices.alerted_ids(actions) == {"supervisor:3", "supervisor:31"}
    assert notices.alerted_ids(actions, "coordinators:") == {"coordinators:1"}
