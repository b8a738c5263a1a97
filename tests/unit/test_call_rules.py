"""The rules of a call (warmline.routing.call_rules), table-tested without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from warmline.routing.call_rules import after_dial, callees, final_outcome
from warmline.routing.eligibility import Candidate

T0 = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)


def cand(vid: int, **kw: object) -> Candidate:
    values: dict[str, object] = {
        "volunteer_id": vid,
        "active": True,
        "on_shift": True,
        "paused": False,
        "capacity": 2,
        "open_relays": frozenset(),
    }
    return Candidate(**(values | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "rung"),
    [
        ({}, True),
        ({"active": False}, False),
        ({"on_shift": False}, False),
        ({"paused": True}, False),
        ({"on_call": True}, False),
        ({"open_relays": frozenset({"+15550100001", "+15550100002"})}, False),  # capacity full
        ({"open_relays": frozenset({"+15550100001"})}, True),  # texting, but not full
    ],
)
def test_who_is_free_for_a_call(changes, rung):
    assert bool(callees([cand(1, **changes)])) is rung


def test_callees_order_fewest_open_then_longest_waiting_then_id_and_exclusions():
    pool = [
        cand(1, open_relays=frozenset({"+15550100001"})),
        cand(2, last_assigned_at=T0),
        cand(3, last_assigned_at=T0 - dt.timedelta(hours=1)),
        cand(4),
        cand(5),
    ]
    assert [c.volunteer_id for c in callees(pool)] == [4, 5, 3, 2, 1]
    assert [c.volunteer_id for c in callees(pool, excluded=[4, 3])] == [5, 2, 1]
    assert [c.volunteer_id for c in callees(pool, limit=1)] == [4]


def test_never_more_than_ten_at_once():
    assert len(callees([cand(i) for i in range(1, 15)], limit=99)) == 10


@pytest.mark.parametrize(
    ("end", "accepted", "caller_gone", "result"),
    [
        ("picked-up", True, False, "answered"),
        ("picked-up", True, True, "answered"),
        ("picked-up", False, False, "next"),  # a voicemail or a volunteer who declined
        ("busy", False, False, "next"),
        ("unanswered", False, False, "next"),
        ("failed", False, False, "next"),
        ("caller-left", False, False, "gone"),
        ("unanswered", False, True, "gone"),
    ],
)
def test_after_dial(end, accepted, caller_gone, result):
    assert after_dial(end, accepted, caller_gone) == result


@pytest.mark.parametrize(
    ("outcome", "accepted", "rung", "final"),
    [
        (None, True, True, "answered"),
        ("crisis-transfer", False, False, "crisis-transfer"),
        ("voicemail", False, True, "voicemail"),
        (None, False, True, "missed"),
        (None, False, False, "abandoned"),
    ],
)
def test_final_outcome(outcome, accepted, rung, final):
    assert final_outcome(outcome, accepted, rung) == final
