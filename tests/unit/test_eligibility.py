"""Eligibility and choice (SPEC §7), table-tested."""

import datetime as dt

import pytest

from warmline.routing.eligibility import Candidate, choose, free_relay, is_eligible

POOL = ("+15550100001", "+15550100002")
T0 = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)


def cand(i=1, **kw):
    base = dict(
        volunteer_id=i,
        active=True,
        on_shift=True,
        paused=False,
        capacity=2,
        open_relays=frozenset(),
    )
    return Candidate(**(base | kw))


@pytest.mark.parametrize(
    ("candidate", "kw", "eligible"),
    [
        (cand(), {}, True),
        (cand(active=False), {}, False),
        (cand(on_shift=False), {}, False),
        (cand(paused=True), {}, False),
        (cand(on_call=True), {}, False),
        (cand(open_relays=frozenset(POOL)), {}, False),  # capacity reached
        (cand(capacity=3, open_relays=frozenset(POOL)), {}, False),  # no free relay number
        (cand(capacity=1, open_relays=frozenset(POOL[:1])), {}, False),
        (cand(), {"excluded": [1]}, False),  # passed this conversation
        (cand(languages=frozenset({"en"})), {"language": "es"}, False),
        (cand(languages=frozenset({"en", "es"})), {"language": "es"}, True),
        (cand(), {"language": "es"}, True),  # volunteer with no languages set
        (cand(languages=frozenset({"en"})), {"language": None}, True),
    ],
)
def test_is_eligible(candidate, kw, eligible):
    assert is_eligible(candidate, pool=POOL, **({"language": None} | kw)) is eligible


def test_free_relay_is_first_unbound_number():
    assert free_relay(cand(open_relays=frozenset(POOL[:1])), POOL) == POOL[1]
    assert free_relay(cand(), POOL) == POOL[0]


def test_choice_fewest_open_then_longest_since_last_assignment():
    busy = cand(1, open_relays=frozenset(POOL[:1]))
    recent = cand(2, last_assigned_at=T0)
    earlier = cand(3, last_assigned_at=T0 - dt.timedelta(hours=1))
    assert choose([busy, recent, earlier], pool=POOL).volunteer_id == 3
    never = cand(4)
    assert choose([recent, earlier, never], pool=POOL).volunteer_id == 4


def test_returning_contact_goes_to_previous_volunteer_when_eligible():
    a, b = cand(1), cand(2, open_relays=frozenset(POOL[:1]))
    assert choose([a, b], pool=POOL, previous_id=2).volunteer_id == 2
    assert choose([a, cand(2, paused=True)], pool=POOL, previous_id=2).volunteer_id == 1


def test_nobody_eligible():
    assert choose([cand(on_shift=False)], pool=POOL) is None
    assert choose([], pool=POOL) is None
