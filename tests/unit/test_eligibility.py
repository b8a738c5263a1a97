"""The routing rules of SPEC §7 as plain tables (warmline.routing.eligibility, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from warmline.routing.eligibility import Candidate, choose, free_relay, is_eligible, returning_to

POOL = ("+15550100001", "+15550100002")
T0 = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)


def cand(vid: int = 1, **kw) -> Candidate:
    values = dict(
        volunteer_id=vid,
        active=True,
        on_shift=True,
        paused=False,
        capacity=2,
        open_relays=frozenset(),
    )
    return Candidate(**(values | kw))


@pytest.mark.parametrize(
    ("candidate", "language", "excluded", "expected"),
    [
        (cand(), None, (), True),
        (cand(active=False), None, (), False),
        (cand(on_shift=False), None, (), False),
        (cand(paused=True), None, (), False),
        (cand(on_call=True), None, (), False),
        (cand(capacity=1, open_relays=frozenset({POOL[0]})), None, (), False),  # at capacity
        (cand(capacity=3, open_relays=frozenset(POOL)), None, (), False),  # pool exhausted
        (cand(capacity=2, open_relays=frozenset({POOL[1]})), None, (), True),
        (cand(), None, (1,), False),  # passed this conversation
        (cand(languages=frozenset({"en"})), "es", (), False),
        (cand(languages=frozenset({"en", "es"})), "es", (), True),
        (cand(languages=frozenset()), "es", (), True),  # declares none: takes anyone
        (cand(languages=frozenset({"en"})), None, (), True),  # contact's language unknown
    ],
)
def test_is_eligible(candidate, language, excluded, expected):
    assert is_eligible(candidate, pool=POOL, language=language, excluded=excluded) is expected


def test_free_relay_is_the_first_unbound_number_of_the_pool():
    assert free_relay(cand(), POOL) == POOL[0]
    assert free_relay(cand(open_relays=frozenset({POOL[0]})), POOL) == POOL[1]
    assert free_relay(cand(open_relays=frozenset(POOL)), POOL) is None


def test_fewest_open_conversations_wins():
    busy = cand(1, open_relays=frozenset({POOL[0]}))
    idle = cand(2, last_assigned_at=T0)
    assert choose([busy, idle], pool=POOL).volunteer_id == 2


def test_equal_load_longest_since_last_assignment_wins_and_never_counts_as_longest():
    recent = cand(1, last_assigned_at=T0)
    earlier = cand(2, last_assigned_at=T0 - dt.timedelta(minutes=5))
    never = cand(3)
    assert choose([recent, earlier], pool=POOL).volunteer_id == 2
    assert choose([recent, earlier, never], pool=POOL).volunteer_id == 3


def test_ties_go_to_the_lowest_id():
    assert choose([cand(7), cand(3), cand(5)], pool=POOL).volunteer_id == 3


def test_previous_volunteer_wins_when_eligible_even_if_busier():
    previous = cand(1, open_relays=frozenset({POOL[0]}))
    assert choose([previous, cand(2)], pool=POOL, previous_id=1).volunteer_id == 1


def test_previous_volunteer_who_is_not_eligible_is_skipped():
    previous = cand(1, paused=True)
    assert choose([previous, cand(2)], pool=POOL, previous_id=1).volunteer_id == 2
    assert choose([cand(1), cand(2)], pool=POOL, previous_id=1, excluded=[1]).volunteer_id == 2


def test_nobody_eligible_is_none():
    assert choose([], pool=POOL) is None
    assert choose([cand(1, paused=True)], pool=POOL) is None
    assert choose([cand(1)], pool=POOL, excluded=[1]) is None


def test_a_contact_waits_for_a_busy_volunteer_who_speaks_their_language():
    busy_es = cand(1, capacity=1, open_relays=frozenset({POOL[0]}), languages=frozenset({"es"}))
    free_en = cand(2, languages=frozenset({"en"}))
    assert choose([busy_es, free_en], pool=POOL, language="es") is None
    assert choose([busy_es, free_en], pool=POOL, language="en").volunteer_id == 2


@pytest.mark.parametrize(
    "es_speaker",
    [
        cand(1, on_shift=False, languages=frozenset({"es"})),
        cand(1, paused=True, languages=frozenset({"es"})),
        cand(1, active=False, languages=frozenset({"es"})),
    ],
)
def test_language_is_set_aside_when_nobody_taking_conversations_speaks_it(es_speaker):
    free_en = cand(2, languages=frozenset({"en"}))
    assert choose([es_speaker, free_en], pool=POOL, language="es").volunteer_id == 2


def test_language_is_set_aside_when_the_only_speaker_passed_the_conversation():
    es = cand(1, languages=frozenset({"es"}))
    en = cand(2, languages=frozenset({"en"}))
    assert choose([es, en], pool=POOL, language="es", excluded=[1]).volunteer_id == 2


def test_a_speaker_of_the_language_is_preferred_over_a_less_busy_one():
    es = cand(1, open_relays=frozenset({POOL[0]}), languages=frozenset({"en", "es"}))
    en = cand(2, languages=frozenset({"en"}))
    assert choose([es, en], pool=POOL, language="es").volunteer_id == 1


HOURS_72 = dt.timedelta(hours=72)


@pytest.mark.parametrize(
    ("last_volunteer", "closed_ago", "returns_to"),
    [
        (7, dt.timedelta(hours=1), 7),
        (7, HOURS_72, 7),  # the boundary is included
        (7, HOURS_72 + dt.timedelta(seconds=1), None),
        (7, None, None),  # never closed (their first conversation is still open)
        (None, dt.timedelta(hours=1), None),  # closed with no volunteer (never assigned)
    ],
)
def test_a_contact_returns_to_the_volunteer_of_a_recent_conversation(
    last_volunteer, closed_ago, returns_to
):
    closed_at = None if closed_ago is None else T0 - closed_ago
    assert returning_to(last_volunteer, closed_at, T0, HOURS_72) == returns_to


def test_the_returning_contacts_volunteer_is_chosen_over_a_less_busy_one():
    busy, idle = cand(1, open_relays=frozenset({POOL[0]})), cand(2)
    previous = returning_to(1, T0 - dt.timedelta(hours=3), T0, HOURS_72)
    assert choose([busy, idle], pool=POOL, previous_id=previous) == busy
    gone_too_long = returning_to(1, T0 - dt.timedelta(days=4), T0, HOURS_72)
    assert choose([busy, idle], pool=POOL, previous_id=gone_too_long) == idle
