"""The escalation matcher: normalisation, boundaries, spans, negation, idioms, misspellings."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmline.escalation.check import format_scan_json, format_scan_text
from warmline.escalation.lexicon import default_lexicon_path, load_lexicon
from warmline.escalation.matcher import Matcher, Scan
from warmline.escalation.normalise import forget_words, normalise

MATCHER = Matcher(load_lexicon(default_lexicon_path()))


def scan(text: str) -> Scan:
    return MATCHER.scan(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I want to DIE", ["i", "want", "to", "die"]),
        ("diiiiie", ["die"]),
        ("kill", ["kil"]),
        ("don't", ["dont"]),
        ("can’t go on", ["cant", "go", "on"]),
        ("Está bien", ["esta", "bien"]),
        ("ｋｉｌｌ", ["kil"]),
        ("k1ll mys3lf", ["kil", "myself"]),
        ("ki11", ["kil"]),
        ("su1c1de", ["suicide"]),
        ("$uicide @ll", ["suicide", "al"]),
        ("call 988 or 911 at 3am", ["cal", "#", "or", "#", "at", "3am"]),
        ("took 4000mg and 10x", ["tok", "#mg", "and", "#x"]),
        ("i wanna d!e, ki|| me", ["i", "wana", "die", "kil", "me"]),
        ("help!! now", ["help", "now"]),
        ("at 3 am", ["at", "3", "am"]),
        ("took 30 pills", ["tok", "#", "pils"]),
        ("self-harm...", ["self", "harm"]),
        ("😭😭 help", ["help"]),
        ("", []),
        ("   ", []),
        ("straße", ["strase"]),
    ],
)
def test_normalise(text, words):
    assert normalise(text).words == words


@pytest.mark.parametrize(
    "text",
    ["'' don't '", "'''", "k1ll '' myseeelf 4000mg", "I took 30 pills, 30 pills", "it's 3am"],
)
def test_a_word_reads_the_same_whether_seen_before_or_not(text):
    """Rules 2-5 are worked out once per distinct word and remembered: the memo changes no
    result, and a run of apostrophes is no word (word i is still span i)."""
    forget_words()
    cold = normalise(text)
    warm = normalise(text)
    assert cold.words == warm.words
    assert len(cold.words) == len(cold.spans)
    assert "" not in cold.words
    assert cold.words == [w for part in text.split() for w in normalise(part).words]


def test_the_word_memo_keeps_no_long_token_and_no_number():
    """A text of long made-up tokens (a paste, a flood) is worked out but not remembered, so
    the memo stays small whatever is sent; nor is a token with a digit, so no number from a
    message (a phone number's pieces) stays in memory after it."""
    from warmline.escalation import normalise as module

    forget_words()
    flood = " ".join(
        "".join(chr(97 + (i >> k) % 26) for k in range(0, 20, 5)) + "ab" * 30 for i in range(500)
    )
    assert len(normalise(flood).words) == 500
    assert len(module._WORDS) == 0
    assert normalise("call me at 202 555 0187 or k1ll").text == " cal me at # # 0187 or kil "
    assert sorted(module._WORDS) == ["at", "call", "me", "or"]


def whole_text_normalisation(text: str) -> str:
    """Rules 2-5 as they ran before the word memo: regular expressions over the whole text."""
    from warmline.escalation import normalise as n

    for pattern, repl in ((n._BANG_RE, "i"), (n._STAR_RE, n.CENSORED)):
        text = pattern.sub(repl, text)
    text = n._BAR_RE.sub(lambda m: "l" * len(m.group()), text)
    joined = " ".join(n._TOKEN_RE.findall(n.fold(text)[0])).replace("'", "")
    if n._LEET_HINT_RE.search(joined):
        joined = " ".join(n._deleet_word(w) for w in joined.split(" "))
    joined = n._NUMBER_UNIT_RE.sub("#", n._NUMBER_RE.sub("#", joined))
    return " " + n._REPEAT_RE.sub(n._FIRST_GROUP, joined) + " "


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab1l0 '’*|!-éÉ😭ﬁ4@$9\n")),
    st.text(alphabet=st.sampled_from("ab1l0 '’*|!-éÉ😭ﬁ4@$9\n")),
)
def test_the_word_memo_gives_what_the_whole_text_rules_gave(seen, text):
    """Whatever the memo already holds (here: the words of another text), a text normalises as
    the rules over its whole text did, and word i is still span i."""
    forget_words()
    normalise(seen)
    got = normalise(text)
    assert got.text == whole_text_normalisation(text)
    assert len(got.words) == len(got.spans)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I want to kill myself", "crisis"),
        ("I WANT TO KILL MYSELF!!!", "crisis"),
        ("i want to kiiiill myselfff", "crisis"),
        ("k1ll mys3lf", "crisis"),
        ("Kill.Myself", "crisis"),
        ("kill-myself", "crisis"),
        ("what a skill", "none"),
        ("my therapist is kind", "none"),
        ("I killed myselfish thoughts", "none"),
        ("pillsbury doughboy", "none"),
        ("I feel hopeless", "concern"),
        ("I feel hopeless and I want to die", "crisis"),
        ("lol", "none"),
    ],
)
def test_levels_and_word_boundaries(text, level):
    assert scan(text).level == level


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("I want to kill myself", "kill myself"),
        ("I want to KIIILL  myself", "KIIILL  myself"),
        ("Okay. I took 30 Tylenol!", "I took 30 Tylenol"),
        ("ｋｉｌｌ ｍｙｓｅｌｆ", "ｋｉｌｌ ｍｙｓｅｌｆ"),
        ("😭😭 I want to die 😭", "want to die"),
        ("Me quiero morir", "Me quiero morir"),
        ("me quiero suicidar ahora", "me quiero suicidar"),
        ("ﬁne, I'm suicidal", "suicidal"),
        ("e\u0301 quiero matarme", "matarme"),
        ("quiero matarme\u0301", "matarme\u0301"),
        ("I can't breathe", "can't breathe"),
    ],
)
def test_spans_point_at_the_original_text(text, excerpt):
    result = scan(text)
    assert result.level == "crisis"
    start, end = result.matches[0].span
    assert text[start:end] == excerpt


def test_match_reports_category_level_phrase_and_language():
    (match,) = scan("kill myself").matches
    assert (match.category, match.level, match.phrase, match.language, match.rule) == (
        "suicide",
        "crisis",
        "kill myself",
        "en",
        None,
    )


def test_a_rule_holding_a_phrase_of_its_category_reports_the_phrase():
    (match,) = scan("I really want to kill myself").matches
    assert (match.phrase, match.rule) == ("kill myself", None)


def test_rule_match_reports_the_rule_and_the_words_of_each_part():
    (match,) = scan("I took all my pills").matches
    assert (match.category, match.level, match.rule, match.language) == (
        "suicide",
        "crisis",
        "ingested",
        "en",
    )
    assert match.phrase == "{ingest} ~6 {quantity} ~4 {substance}"
    assert match.words == ("I took", "all my", "pills")


@pytest.mark.parametrize(
    ("text", "level", "cue"),
    [
        ("I'm not suicidal", "none", "not"),
        ("I'm not suicidal, just lonely", "none", "not"),
        ("I would never kill myself", "none", "never"),
        ("I'm not going to kill myself", "none", "not"),
        ("I don't want to die", "none", "don't"),
        ("no quiero morir", "none", "no"),
        ("nunca me quiero suicidar", "none", "nunca"),
        ("I'm not okay. I want to die", "crisis", None),
        ("I'm not okay, I want to die", "crisis", None),
        ("I'm not okay\nI want to die", "crisis", None),
        ("I'm not sad but I want to die", "crisis", None),
        ("not sure why, I'm so tired and I want to die", "crisis", None),
        ("I'm not okay i really do want to die", "crisis", None),
    ],
)
def test_negation_window(text, level, cue):
    result = scan(text)
    assert result.level == level
    if cue is not None:
        assert any(s.reason == f"negated by {cue!r}" for s in result.suppressed)


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "my feet are killing me",
        "she's killing it",
        "I'm dying to see you",
        "I nearly died of laughter",
        "that dress is to die for",
        "just killing time",
        "killer workout today",
        "me muero de risa",
        "mi mamá me va a matar",
        "me voy a cortar el pelo, quiero cortarme el pelo",
        "my mom is going to kill me when she sees this",
    ],
)
def test_idioms_are_not_crisis(text):
    assert scan(text).level != "crisis"


def test_idiom_suppression_names_the_idiom():
    result = scan("I want to die my hair pink")
    assert result.level == "none"
    (suppressed,) = result.suppressed
    assert suppressed.phrase == "want to die"
    assert suppressed.reason == "idiom 'die my hair' in 'die my hair'"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("thinking about sucide", "suicide"),
        ("thinking about suicde", "suicide"),
        ("I'm suicdal", "suicidal"),
        ("overdoes again last night", "overdos*"),
        ("overdossed last night", "overdos*"),
        ("feeling unalivee", "unalive"),
    ],
)
def test_long_misspellings_match(text, phrase):
    result = scan(text)
    assert result.level == "crisis"
    assert result.matches[0].phrase == phrase


@pytest.mark.parametrize(
    "text",
    [
        "km",  # one edit from "kms": short words are never fuzzed
        "kis",
        "keys",
        "that's odd",
        "the steak was overdone",
        "suicides are in the news",
        "a suitcase",
    ],
)
def test_short_and_listed_words_are_not_fuzzed(text):
    assert scan(text).level != "crisis"


@pytest.mark.parametrize(
    "text",
    ["kms", "kys", "i wanna unalive myself", "gonna od tonight", "im going to od"],
)
def test_slang(text):
    assert scan(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "me quiero morir",
        "ME QUIERO MORIR",
        "me tomé todas mis pastillas",
        "me tome todas mis pastillas",
        "no tengo razón para vivir",
        "no tengo razon para vivir",
        "quiero quitarme la vida",
    ],
)
def test_spanish_with_and_without_accents(text):
    result = scan(text)
    assert result.level == "crisis"
    assert result.matches[0].language == "es"


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "😭" * 50, "مرحبا كيف حالك", "שלום", "\u202eevil", "\x00\ud800", "'''"],
)
def test_odd_input_is_none(text):
    assert scan(text) == Scan("none", (), ())


def test_huge_text():
    text = ("I'm fine, just a long day at work. " * 3000)[:100_000] + " I want to kill myself"
    result = scan(text)
    assert result.level == "crisis"
    start, end = result.matches[-1].span
    assert text[start:end] == "kill myself"


def test_overlapping_matches_of_one_category_report_the_longest():
    matches = scan("I took a whole bottle of tylenol").matches
    assert [(m.rule, m.words) for m in matches] == [
        ("ingested", ("I took", "a whole bottle", "tylenol"))
    ]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_scan_never_raises_and_spans_are_in_range(text):
    result = scan(text)
    for item in (*result.matches, *result.suppressed):
        start, end = item.span
        assert 0 <= start < end <= len(text)
    assert result.level in ("crisis", "concern", "none")


def test_format_scan_text():
    text = "I'm not suicidal but I took all my pills"
    out = format_scan_text(text, scan(text))
    assert out.splitlines() == [
        f"crisis: {text!r}",
        "  match suicide/crisis rule 'ingested' '{ingest} ~6 {quantity} ~4 {substance}' (en) "
        "at 21-40: 'I took all my pills' — words 'I took' + 'all my' + 'pills'",
        "  suppressed phrase 'suicidal' at 8-16: 'suicidal' (negated by 'not')",
    ]


def test_format_scan_text_shows_typos():
    text = "thinking about sucide"
    out = format_scan_text(text, scan(text))
    assert out.splitlines()[1] == (
        "  match suicide/crisis phrase 'suicide' (en) at 15-21: 'sucide'; "
        "'sucide' read as 'suicide'"
    )


def test_format_scan_text_says_why_none():
    assert format_scan_text("hello", scan("hello")).splitlines()[-1] == "  none: no phrase matched"
    assert format_scan_text("not suicidal", scan("not suicidal")).splitlines()[-1] == (
        "  none: every phrase found was suppressed"
    )


def test_format_scan_json():
    text = "kms\nnow"
    line = format_scan_json(text, scan(text))
    assert "\n" not in line
    assert json.loads(line) == {
        "text": text,
        "level": "crisis",
        "matches": [
            {
                "category": "suicide",
                "level": "crisis",
                "phrase": "kms",
                "span": [0, 3],
                "rule": None,
                "words": ["kms"],
                "typos": [],
            }
        ],
        "suppressed": [],
        "classifier": None,
    }
