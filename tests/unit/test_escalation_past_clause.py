"""The past covers only its own clause: an earlier "used to" never silences a crisis said now."""

import pytest

from warmline.escalation.lexicon import default_lexicon_path, load_lexicon
from warmline.escalation.matcher import Matcher

MATCHER = Matcher(load_lexicon(default_lexicon_path()))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("i used to cope but now i want to die", "crisis"),
        ("i used to be happy and i want to die", "crisis"),
        ("antes era feliz pero ahora quiero morir", "crisis"),
        ("when i was 16 i tried to overdose, now im 30", "none"),
    ],
)
def test_the_past_stops_at_a_conjunction_but_not_at_a_new_i(text, level):
    assert (MATCHER.scan(text).level == "crisis") == (level == "crisis")


@pytest.mark.parametrize(
    "text",
    [
        "im not safe now, i want to die",
        "thank you, you really helped. im going to kill myself tonight",
        "no estoy bien ahora, me quiero matar",
    ],
)
def test_safety_said_in_the_negative_or_thanks_never_lower_a_crisis(text):
    assert MATCHER.scan(text).level == "crisis"
