"""The escalation scan's second stage (issue 12): the shipped model, its scorer, and how the
matcher combines it with the rules (warmline/escalation/classifier.py, matcher.py rules 9, 10)."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmline.escalation.check import format_scan_json, format_scan_text
from warmline.escalation.classifier import (
    WINDOW,
    Classifier,
    ModelError,
    dump_model,
    features,
    load_model,
    parse_model,
    windows,
)
from warmline.escalation.evaluation import load_corpus
from warmline.escalation.lexicon import default_lexicon_path, load_lexicon
from warmline.escalation.matcher import CLASSIFIER, Matcher
from warmline.escalation.normalise import normalise


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(default_lexicon_path())


def always(threshold: float = 0.0, weights: dict[str, float] | None = None) -> Classifier:
    """A classifier that calls everything crisis (threshold 0), driven by `weights`."""
    return Classifier(weights or {"w:taco": 2.0}, 0.0, threshold)


# Retraining fits one model per batch of the dev half (48) and the final one: 4 to 8 minutes on
# the 2-core development machine, past the suite's 300 s default.
@pytest.mark.timeout(1200)
def test_retraining_reproduces_the_shipped_model(model):
    """A stale model (the dev half or the features changed, the file not regenerated) fails here:
    retraining from the dev half must give the same threshold, bounds and scores."""
    from scripts.train_escalation_model import DEV, train

    fresh = parse_model(train().splitlines(), "retrained")
    assert fresh.threshold == pytest.approx(model.threshold, abs=1e-3)
    assert (fresh.harmless, fresh.harmless_rules) == (model.harmless, model.harmless_rules)
    assert fresh.bias == pytest.approx(model.bias, abs=1e-3)
    for example in load_corpus(DEV):
        words = normalise(example.text).words
        assert fresh.probability(words) == pytest.approx(model.probability(words), abs=2e-3), (
            example.line
        )


def test_the_runtime_scorer_is_the_linear_model_on_the_training_features(model):
    """The memoised per-word sums give the same score as the feature vector training sees."""
    for text in ["i took all my pills an hour ago", "shooting hoops w my cousin", "", "kms"]:
        words = normalise(text).words
        z = model.bias + sum(model.weights.get(f, 0.0) * v for f, v in features(words).items())
        assert model.probability(words) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-9)


def test_features_are_words_pairs_and_padded_character_runs():
    got = features(["im", "ok"])
    scale = 1 / math.sqrt(3)
    assert got["w:im"] == pytest.approx(scale)
    assert {"b:^ im", "b:im ok", "b:ok $"} <= set(got)
    assert {"c: im", "c: im ", "c:im "} <= set(got)
    assert "c: i" not in got  # runs are 3 to 5 characters
    assert not any(f.startswith("s:") for f in got)  # no pair of words one apart in two words
    assert features(["took", "the", "pills"])["s:took pills"] == pytest.approx(1 / 2)


def test_pairs_one_word_apart_count_in_every_window_and_are_named_when_they_drive():
    """"took the pills", "took my pills", "took her pills": one feature for what varies in the
    middle. It is scored inside long messages' windows too, and a verdict names it."""
    known = {f"w:{w}": 0.0 for w in ("i", "took", "the", "my", "pills", "ok")}  # familiar
    clf = Classifier({"s:took pills": 4.0, **known}, -1.0, 0.4)
    short = clf.verdict(["i", "took", "the", "pills"])
    assert short.probability == pytest.approx(1 / (1 + math.exp(-(-1.0 + 4.0 / math.sqrt(5)))))
    assert short.drivers == (("took _ pills", pytest.approx(4.0 / math.sqrt(5), abs=1e-3)),)
    long = ["ok"] * 50 + ["took", "my", "pills"] + ["ok"] * 50
    assert clf.verdict(long).probability == pytest.approx(
        1 / (1 + math.exp(-(-1.0 + 4.0 / math.sqrt(WINDOW + 1))))
    )
    assert clf.verdict(long).drivers[0][0] == "took _ pills"
    apart = ["took", "a", "b", "pills"]  # two words between: not this feature
    assert clf.verdict(apart).probability == pytest.approx(1 / (1 + math.exp(1.0)))


def test_the_shipped_model_separates_plain_cases(model):
    crisis = normalise("i just swallowed the whole bottle of my sleeping pills").words
    harmless = normalise("shooting hoops with my cousin after school").words
    assert model.probability(crisis) > model.probability(harmless)
    assert model.probability(harmless) < model.threshold


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # the commonest first texts: asking for help or someone to talk to, politely
        ("hello? can someone talk to me please", "none"),
        ("hay alguien? necesito hablar porfa", "none"),
        ("please", "none"),
        ("please please", "none"),
        ("plz?", "none"),
        # the same words with a sign of acute risk
        ("please help me, i just took all my pills", "crisis"),
        ("por favor ayudenme, tengo la pistola en la mano", "crisis"),
    ],
)
def test_a_polite_first_text_asking_for_help_is_not_a_crisis_by_its_politeness(
    lexicon, model, text, level
):
    """The twelfth round's model called "hola, necesito ayuda por favor" crisis: "please",
    "favor" and "ayuda" stood mostly in crisis messages of the corpus. A batch of first texts
    asking for help (dev half, forty-eighth batch) taught it otherwise. The fifteenth round's
    model (C 32) weighs "please" alone at p 0.55 against its 0.542 threshold: "please" counts as a
    word that says nothing alone (`CONTENTLESS`), so the classifier never calls crisis on it."""
    assert Matcher(lexicon, model).scan(text).level == level


def test_verdict_lists_the_words_that_raised_the_score_largest_first():
    clf = Classifier({"w:taco": 3.0, "w:cold": -1.0, "b:hot taco": 1.0, "w:hot": 0.5}, 0.0, 0.5)
    verdict = clf.verdict(["hot", "taco", "cold"])
    assert [w for w, _ in verdict.drivers] == ["taco", "hot taco", "hot"]
    assert verdict.drivers[0][1] == pytest.approx(3.0 / 2, abs=1e-3)
    assert verdict.confident


VOCABULARY = ["a", "b", "c", "d", "e"]
PAIRS = [(x, y) for x in ["^", *VOCABULARY] for y in [*VOCABULARY, "$"]]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(VOCABULARY), min_size=WINDOW + 1, max_size=3 * WINDOW),
    st.lists(st.floats(-2, 2), min_size=len(VOCABULARY), max_size=len(VOCABULARY)),
    st.lists(st.floats(-2, 2), min_size=len(PAIRS), max_size=len(PAIRS)),
    st.lists(st.floats(-2, 2), min_size=len(PAIRS), max_size=len(PAIRS)),
)
def test_a_long_message_scores_as_its_best_window_would_alone(words, single, pair, skip):
    """Each window of a long message is summed from per-word tables; whatever the weights, it
    must score what the same words score as a message of their own (no pair or pair one word
    apart counted across the window's edge)."""
    weights = {f"w:{w}": v for w, v in zip(VOCABULARY, single, strict=True)}
    weights |= {f"b:{x} {y}": v for (x, y), v in zip(PAIRS, pair, strict=True)}
    weights |= {f"s:{x} {y}": v for (x, y), v in zip(PAIRS, skip, strict=True) if "^" != x}
    clf = Classifier(weights, 0.0, 0.5)
    alone = max(clf.probability(part) for part in windows(words))
    assert clf.probability(words) == pytest.approx(alone, abs=1e-9)


def test_model_file_round_trips_and_rejects_malformed_lines():
    text = dump_model({"w:a": 0.5, "b:^ a": -0.25}, -1.5, 0.9, "note")
    clf = parse_model(text.splitlines(), "m")
    assert (clf.weights, clf.bias, clf.threshold) == ({"w:a": 0.5, "b:^ a": -0.25}, -1.5, 0.9)
    with pytest.raises(ModelError, match="m:2: not"):
        parse_model(["bias\t0", "oops", "threshold\t0.5"], "m")
    with pytest.raises(ModelError, match="bias or threshold missing"):
        parse_model(["0.5\tw:a"], "m")
    assert clf.harmless == 0.0  # a model file of before the bound never lowers the rules
    with_bound = parse_model(
        dump_model({"w:a": 0.5}, 0.0, 0.9, "", harmless=0.05).splitlines(), "m"
    )
    assert with_bound.harmless == 0.05
    with pytest.raises(ModelError, match="harmless 0.95 is not between 0 and the threshold"):
        parse_model(["bias\t0", "threshold\t0.9", "harmless\t0.95"], "m")
    # the rules' bound: one bound for both in a file of before it, its own line after
    assert with_bound.harmless_rules == 0.05
    two = dump_model({"w:a": 0.5}, 0.0, 0.9, "", harmless=0.05, harmless_rules=0.3)
    assert (parse_model(two.splitlines(), "m").harmless_rules, two.count("harmless")) == (0.3, 2)
    with pytest.raises(ModelError, match="harmless_rules 0.9 is not between 0 and the threshold"):
        parse_model(["bias\t0", "threshold\t0.9", "harmless\t0.05", "harmless_rules\t0.9"], "m")
    with pytest.raises(ModelError, match="harmless_rules 0.01 is below harmless 0.05"):
        parse_model(["bias\t0", "threshold\t0.9", "harmless\t0.05", "harmless_rules\t0.01"], "m")


def test_load_model_names_an_unreadable_file(tmp_path):
    with pytest.raises(ModelError, match="cannot read"):
        load_model(tmp_path / "missing.txt")


def test_rules_decide_alone_when_they_find_crisis_and_the_model_has_no_harmless_bound(lexicon):
    scan = Matcher(lexicon, always()).scan("i want to kill myself")
    assert scan.level == "crisis"
    assert scan.classifier is None
    assert all(m.rule != CLASSIFIER for m in scan.matches)


def test_classifier_escalates_what_the_rules_miss_and_says_why(lexicon):
    scan = Matcher(lexicon, always()).scan("taco tonight")
    assert scan.level == "crisis"
    (match,) = scan.matches
    assert (match.category, match.rule, match.level) == (CLASSIFIER, CLASSIFIER, "crisis")
    assert match.words == ("taco",)
    assert match.span == (0, len("taco tonight"))
    assert scan.classifier is not None and scan.classifier.confident


def test_below_its_threshold_the_classifier_changes_nothing_but_is_reported(lexicon):
    scan = Matcher(lexicon, always(threshold=0.999)).scan("taco tonight")
    assert (scan.level, scan.matches) == ("none", ())
    assert scan.classifier is not None and not scan.classifier.confident


def test_a_message_the_rules_lowered_for_recovery_is_not_raised_again(lexicon):
    """Rule 7 stays: "doing much better now" lowers crisis matches to concern, and the
    classifier does not undo it."""
    text = "i wanted to kill myself last year but im doing much better now"
    rules = Matcher(lexicon).scan(text)
    assert rules.lowered, rules
    scan = Matcher(lexicon, always()).scan(text)
    assert scan.level == rules.level != "crisis"
    assert scan.classifier is None


def harmless_unless(
    crisis_word: str, bound: float = 0.05, rules_bound: float | None = None
) -> Classifier:
    """A model that reads every known word as harmless (p ~ 0.011) except `crisis_word`."""
    words = ["i", "have", "a", "knife", "in", "my", "hand", "peeling", "apples", "for", "the"]
    words += ["want", "to", "kill", "myself"]
    weights = {f"w:{w}": 0.0 for w in words} | {f"w:{crisis_word}": 6.0}
    return Classifier(weights, -4.5, 0.8, harmless=bound, harmless_rules=rules_bound)


def test_rules_crisis_is_lowered_to_concern_when_every_sentence_reads_harmless(lexicon):
    """Rule 10: the rules fire on "knife in my hand"; the model, having seen such words in
    harmless texts, reads the message as harmless, so the volunteer hears of it as concern and
    the contact gets no crisis text. The check output says why."""
    text = "i have a knife in my hand, peeling apples for the pie"
    assert Matcher(lexicon).scan(text).level == "crisis"
    scan = Matcher(lexicon, harmless_unless("tonight")).scan(text)
    assert scan.level == "concern"
    assert scan.matches and all(m.level == "concern" for m in scan.matches)
    assert scan.lowered
    assert scan.classifier is not None and scan.classifier.harmless
    assert scan.classifier.probability < 0.05
    assert any("reads every sentence as harmless" in s.reason for s in scan.suppressed)
    assert "classifier: harmless, p=0.011 at most" in format_scan_text(text, scan)
    assert json.loads(format_scan_json(text, scan))["classifier"]["harmless"] is True


def test_what_only_pattern_rules_found_needs_more_of_the_model_than_a_phrase(lexicon):
    """A pattern rule ("{means_soft} ~4 {at_hand_strong}") fires on more harmless texts than a
    phrase ("kill myself") does, so its crisis is lowered below a higher bound: the same score
    (p ~ 0.011) lowers the knife in the kitchen and not "kill myself", nor a message with
    both."""
    clf = harmless_unless("tonight", bound=0.005, rules_bound=0.05)
    knife = "i have a knife in my hand, peeling apples for the pie"
    assert not Matcher(lexicon).scan(knife).by_phrase  # the rule means-at-hand alone
    assert Matcher(lexicon).scan("i want to kill myself").by_phrase
    scan = Matcher(lexicon, clf).scan(knife)
    assert scan.level == "concern"
    why = "below 0.05, the bound when only pattern rules, no phrase, found the crisis"
    assert any(why in s.reason for s in scan.suppressed)
    lowered = "each sentence, below 0.05: the rules' crisis is lowered"
    assert lowered in format_scan_text(knife, scan)
    assert json.loads(format_scan_json(knife, scan))["classifier"]["bound"] == 0.05
    for text in ("i want to kill myself", "i have a knife in my hand and i want to kill myself"):
        assert Matcher(lexicon).scan(text).level == "crisis"
        assert Matcher(lexicon, clf).scan(text).level == "crisis", text
    # the phrase bound alone (a model file of before the rules' bound) lowers neither
    assert Matcher(lexicon, harmless_unless("tonight", bound=0.005)).scan(knife).level == "crisis"


def test_a_crisis_sentence_after_small_talk_is_not_lowered_with_the_whole(lexicon):
    """Small talk dilutes a short crisis sentence in the whole message's score: each sentence is
    also scored alone, and one that does not read harmless keeps the rules' crisis."""
    clf = harmless_unless("tonight")
    talk = "i have a knife in my hand. peeling apples for the pie " * 6
    crisis = talk + ". i have a knife in my hand tonight"
    whole = normalise(crisis).words
    assert clf.probability(whole) < clf.harmless  # the whole message alone would be lowered
    assert Matcher(lexicon, clf).scan(crisis).level == "crisis"
    # cut at "but" / "pero" too, not only at punctuation
    assert Matcher(lexicon, clf).scan(talk + " but i have a knife in my hand tonight").level == (
        "crisis"
    )


def test_the_rules_crisis_stands_without_a_bound_or_on_words_the_model_never_learnt(lexicon):
    text = "i have a knife in my hand, peeling apples for the pie"
    assert Matcher(lexicon, harmless_unless("tonight", bound=0.0)).scan(text).level == "crisis"
    unknown = "i have a knife in my hand " + "zqx vbn wrt plk mnb " * 2  # mostly unknown words
    assert Matcher(lexicon).scan(unknown).level == "crisis"
    assert Matcher(lexicon, harmless_unless("tonight")).scan(unknown).level == "crisis"


def test_check_names_the_classifier_its_score_and_its_words(lexicon):
    scan = Matcher(lexicon, always()).scan("taco tonight")
    text = format_scan_text("taco tonight", scan)
    assert "classifier: crisis, p=0.760 >= threshold 0.000" in text and "'taco' (+" in text
    data = json.loads(format_scan_json("taco tonight", scan))
    assert data["level"] == "crisis"
    assert data["matches"][0]["rule"] == CLASSIFIER
    assert data["classifier"]["drivers"][0][0] == "taco"
    below = Matcher(lexicon, always(threshold=0.999)).scan("taco")
    assert "below threshold 0.999" in format_scan_text("taco", below)
    assert json.loads(format_scan_json("x", Matcher(lexicon).scan("x")))["classifier"] is None


def test_joining_words_and_single_letters_alone_are_never_called_crisis(model):
    """Words such as "and", "y" (Spanish "and") and "here" are common in long crisis messages and
    gained weight from them; a text of nothing else ("and then?", "y here") reached the threshold
    on them alone and alerted a supervisor. One word of content is enough to be judged."""
    toy = Classifier({"w:and": 5.0, "w:then": 5.0, "w:x": 5.0, "w:taco": 5.0}, 0.0, 0.5)
    assert not toy.verdict(["and", "then"]).confident
    assert toy.verdict(["and", "then"]).unfamiliar
    assert not toy.verdict(["x"] * 40).confident
    assert toy.verdict(["and", "taco"]).confident
    for text in ["and then?", "y", "y here", "and " * 40]:
        assert not model.verdict(normalise(text).words).confident, text


def test_a_long_message_is_judged_by_its_likeliest_window_not_its_length(model, lexicon):
    """A linear score summed over hundreds of words grows without bound: 8,000 harmless "x"s once
    scored 1.0 and escalated. Long messages are scored window by window: never higher than their
    likeliest window, never lower than any window alone; a crisis in a long ordinary message is
    still escalated."""

    for n in (WINDOW + 1, 500, 8_000):
        assert not model.verdict(normalise("x " * n).words).confident
    crisis = "i took the whole bottle of my sleeping pills and i cant stay awake"
    ordinary = "work was long and the bus was late again and i forgot my lunch " * 20
    words = normalise(ordinary + crisis).words
    assert len(words) > 5 * WINDOW
    parts = [model.probability(w) for w in windows(words)]
    assert model.verdict(words).probability == pytest.approx(max(parts))
    assert (
        windows(words).__next__() == words[:WINDOW] and list(windows(words))[-1] == words[-WINDOW:]
    )
    assert Matcher(lexicon, classifier=model).scan(ordinary + crisis).level == "crisis"


def test_a_message_of_words_the_model_never_learnt_is_not_called_crisis(model):
    """700 tokens such as "word57" (read "wordst") add up the weights of word pieces the model
    never learnt to read; it scored them 0.85 and above, so a long pasted text was escalated.
    The classifier does not call crisis when most words it scored are outside its vocabulary."""
    words = normalise(" ".join(f"word{i}" for i in range(700))).words
    verdict = model.verdict(words)
    assert verdict.unfamiliar and not verdict.confident
    # a crisis message in known words is still called
    crisis = normalise("i took all my sleeping pills an hour ago and i cant stay awake").words
    assert model.verdict(crisis).confident
