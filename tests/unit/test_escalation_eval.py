"""The default lexicon on the labelled escalation corpus (issue 12, SPEC §8 "Quality").

`data/escalation/test.txt` is the TEST half: written first, then frozen, never tuned against.
`data/escalation/dev.txt` is the DEV half, written independently; the detector is tuned on it.
Both are in the format of `warmline/escalation/evaluation.py`. The issue's targets, overall and in
each language: recall >= 0.97 on crisis messages, false alarms <= 0.03 on the rest (concern and
none). The detector is what `bootstrap.make_scanner` builds: the rules OR the classifier
(`classifier.py`, trained on the dev half by `scripts/train_escalation_model.py`).

The dev half is the classifier's training set, so its figures here are in-sample; the dev
estimate is the script's 5-fold cross-validation (`--report`; recall 0.957, false alarms 0.031
after the second round, 2026-12-01, summed in the model file's header), itself optimistic since
the rules were tuned on most of dev. The frozen test half is the honest estimate. It does not meet
the targets yet: its target test is a strict expected failure, which turns into a failure the day
the detector meets them, so that the mark is then removed. What it scored after the second round
of rules and the retrained model (2026-12-01: recall 0.872, false alarms 0.062; en 0.878 / 0.067,
es 0.863 / 0.050; the rules alone 0.798 and 0.044) is a floor no change may fall below. The
first round had scored 0.867 / 0.062 (es 0.87 / 0.045): Spanish lost two catches and gained two
false alarms in the second round, hence its lower floor. The false-alarm ceiling is looser than
the rules' alone: the classifier buys crisis messages caught for false alarms, a trade chosen on
dev data only (recall first: a missed crisis is the failure a warmline cannot afford).
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
# What the frozen test half scored after the second round (issue 12); never to get worse.
TEST_HALF_FLOOR = {"all": (0.87, 0.062), "en": (0.875, 0.068), "es": (0.86, 0.050)}


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
        "dev.txt",
    ],
)
def test_half_meets_the_recall_and_false_alarm_targets(name, matcher):
    result = evaluate(half(name), lambda text: matcher.scan(text).level)
    table = format_report(result, name)
    print("\n" + table)
    failures = shortfalls(result, ["all", *LANGUAGES])
    assert not failures, table + "\n" + "\n".join(failures)


def test_the_frozen_half_never_scores_worse_than_after_the_second_round(matcher):
    result = evaluate(half("test.txt"), lambda text: matcher.scan(text).level)
    table = format_report(result, "test.txt")
    worse = []
    for scope, (least_recall, most_alarms) in TEST_HALF_FLOOR.items():
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
