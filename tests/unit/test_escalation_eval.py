"""The default lexicon on the labelled escalation corpus (issue 12, SPEC §8 "Quality").

`data/escalation/test.txt` is the TEST half: written first, then frozen, never tuned against.
`data/escalation/dev.txt` is the DEV half, written independently; the detector is tuned on it.
Both are in the format of `warmline/escalation/evaluation.py`. The issue's targets, overall and in
each language: recall >= 0.97 on crisis messages, false alarms <= 0.03 on the rest (concern and
none). The detector is what `bootstrap.make_scanner` builds: the rules OR the classifier
(`classifier.py`, trained on the dev half by `scripts/train_escalation_model.py`).

The dev half is the classifier's training set and the rules were tuned on it, so its figures
here are in-sample. It was written in batches by many independent writers (the third to sixth
rounds added 28 batches, 14,000 messages, each scored before any tuning: its header says what
the detector as it stood caught, 0.59 to 0.96 of the crisis messages, with 0.03 to 0.32 false
alarms on their hard look-alikes). Its honest estimate is the training script's cross-validation
by batch, a model trained on the other batches scoring each one (recall 0.883, false alarms
0.088 after the sixth round, in the model file's header). Neither half meets the targets yet:
their target tests are strict expected failures, which turn into failures the day the detector
meets them, so that the mark is then removed.

The validation set (`data/escalation/validation.txt`, 1,985 messages) is the second one: four
writers of a seventh round wrote it after the shipped model was trained, as texts to rural and
big-city warmlines in both languages. The shipped detector catches 0.887 of its crisis messages
with 0.069 false alarms (en 0.894 / 0.066, es 0.881 / 0.072), the best estimate of what new
writers' messages meet; its floor is held like the test half's. A retrain on it was tried and
not shipped (the test half's false alarms rose by two), so it stays unseen.

The frozen test half is the independent measure. What it scores now (2026-12-01, after the sixth
round: recall 0.952, false alarms 0.062; en 0.960 / 0.070, es 0.939 / 0.045) is a floor no
change may fall below. At the start of that day it scored 0.872 / 0.062. After the fifth round
it scored 0.949 / 0.059 (en 0.950 / 0.065, es 0.949 / 0.045). The sixth round's data was written
because the fifth round's model called everyday openers crisis ("hola, estoy muy sola esta
noche"). Its model was chosen on the dev half's cross-validation alone, and on this half it
catches one crisis message more and raises two false alarms more. Spanish catches two messages
fewer and English three more. That movement is within a few messages, and it is recorded here
rather than hidden by a looser floor. The classifier buys crisis messages caught for false
alarms; how many it may add is chosen on the dev half only (recall first: a missed crisis is
the failure a warmline cannot afford).
The table per language and per category is printed (`pytest -s`) and is the assertion message;
`bench/escalation_report.py FILE --errors` lists the misses.

The older sets `data/escalation_eval.txt` (used while the first lexicon was built) and
`data/escalation_eval_holdout.txt` (`<label> | <message>`, no category or language) stay as
regression sets held to the same targets overall. They are not folded into either half: they were
written by the lexicon's authors, so they are not independent evidence for the test half, and they
carry no categories or languages for the dev half's table.
"""

from pathlib import Path

import pytest

from warmline.escalation.classifier import load_model
from warmline.escalation.evaluation import (
    CRISIS_CATEGORIES,
    LANGUAGES,
    OTHER_CATEGORIES,
    Evaluation,
    Example,
    evaluate,
    format_report,
    load_corpus,
)
from warmline.escalation.lexicon import default_lexicon_path, load_lexicon
from warmline.escalation.matcher import Matcher

DATA = Path(__file__).parent / "data"
HALVES = ["test.txt", "dev.txt"]
LEGACY = ["escalation_eval.txt", "escalation_eval_holdout.txt"]
RECALL, FALSE_ALARMS = 0.97, 0.03
# What the validation set (`data/escalation/validation.txt`: four writers of a seventh round,
# written after the shipped model was trained, never trained or tuned on) scores with it.
VALIDATION_FLOOR = {"all": (0.887, 0.070), "en": (0.894, 0.066), "es": (0.880, 0.073)}
# What the frozen test half scores after the sixth round (issue 12); never to get worse.
TEST_HALF_FLOOR = {"all": (0.951, 0.062), "en": (0.960, 0.070), "es": (0.939, 0.045)}


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_lexicon(default_lexicon_path()), load_model())


def half(name: str) -> list[Example]:
    return load_corpus(DATA / "escalation" / name)


def legacy(name: str) -> list[Example]:
    """The older `<label> | <message>` sets, as examples without category or language."""
    rows = []
    for number, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, text = line.partition(" | ")
        assert sep and label in {"crisis", "concern", "none"}, f"{name}:{number}: {line!r}"
        rows.append(Example(label, "legacy", "unlabelled", text, number))
    return rows


def rate(value: float | None) -> str:
    return "undefined (no messages)" if value is None else f"{value:.3f}"


def shortfalls(result: Evaluation, scopes: list[str]) -> list[str]:
    """Every scope ("all" or a language) whose recall or false-alarm rate misses its target."""
    failures = []
    for scope in scopes:
        score = result.overall if scope == "all" else result.by_language[scope]
        recall, alarms = score.recall, score.false_alarm_rate
        if recall is None or recall < RECALL:
            failures.append(f"{scope}: recall {rate(recall)} below {RECALL}")
        if alarms is None or alarms > FALSE_ALARMS:
            failures.append(f"{scope}: false alarms {rate(alarms)} above {FALSE_ALARMS}")
    return failures


@pytest.mark.parametrize("name", HALVES)
def test_half_follows_the_corpus_format(name):
    examples = half(name)
    spanish = [e for e in examples if e.lang == "es"]
    other = [e for e in examples if not e.crisis]
    assert len(examples) >= 760, len(examples)
    assert len(spanish) >= 160, len(spanish)
    assert len(other) >= 0.55 * len(examples), (len(other), len(examples))
    present = {(e.category, e.lang) for e in examples}
    absent = [
        f"{category} {lang}"
        for category in (*CRISIS_CATEGORIES, *OTHER_CATEGORIES)
        for lang in LANGUAGES
        if (category, lang) not in present
    ]
    assert not absent, f"categories missing from {name}: {', '.join(absent)}"


def test_halves_are_disjoint_and_together_as_large_as_the_issue_asks():
    def key(example: Example) -> str:
        return " ".join(example.text.casefold().split())

    test, dev = half("test.txt"), half("dev.txt")
    shared = {key(e) for e in test} & {key(e) for e in dev}
    assert not shared, f"{len(shared)} messages are in both halves"
    unseen = {key(e) for e in half("validation.txt")}
    assert not unseen & ({key(e) for e in test} | {key(e) for e in dev})
    assert len(test) + len(dev) >= 1500
    assert sum(e.lang == "es" for e in [*test, *dev]) >= 300


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            "test.txt",
            marks=pytest.mark.xfail(
                strict=True, reason="issue 12: the frozen half is short of the targets"
            ),
        ),
        pytest.param(
            "dev.txt",
            marks=pytest.mark.xfail(
                strict=True, reason="issue 12: short of the targets on its hard batches too"
            ),
        ),
    ],
)
def test_half_meets_the_recall_and_false_alarm_targets(name, matcher):
    result = evaluate(half(name), lambda text: matcher.scan(text).level)
    table = format_report(result, name)
    print("\n" + table)
    failures = shortfalls(result, ["all", *LANGUAGES])
    assert not failures, table + "\n" + "\n".join(failures)


@pytest.mark.parametrize(
    ("name", "floor"), [("test.txt", TEST_HALF_FLOOR), ("validation.txt", VALIDATION_FLOOR)]
)
def test_the_unseen_sets_never_score_worse_than_after_the_sixth_round(matcher, name, floor):
    result = evaluate(half(name), lambda text: matcher.scan(text).level)
    table = format_report(result, name)
    worse = []
    for scope, (least_recall, most_alarms) in floor.items():
        score = result.overall if scope == "all" else result.by_language[scope]
        if score.recall is None or score.recall < least_recall:
            worse.append(f"{scope}: recall {rate(score.recall)} below {least_recall}")
        alarms = score.false_alarm_rate
        if alarms is None or alarms > most_alarms:
            worse.append(f"{scope}: false alarms {rate(alarms)} above {most_alarms}")
    assert not worse, table + "\n" + "\n".join(worse)


@pytest.mark.parametrize("name", LEGACY)
def test_older_set_meets_the_same_targets(name, matcher):
    examples = legacy(name)
    assert sum(e.crisis for e in examples) >= 50 and sum(not e.crisis for e in examples) >= 50
    result = evaluate(examples, lambda text: matcher.scan(text).level)
    table = format_report(result, name)
    print("\n" + table)
    failures = shortfalls(result, ["all"])
    assert not failures, table + "\n" + "\n".join(failures)
