"""Evaluation of the default lexicon on labelled messages (data/escalation_eval*.txt).

`escalation_eval.txt` was used while building the lexicon; `escalation_eval_holdout.txt` was
written afterwards and not tuned against. Recall counts crisis messages scanned as crisis; the
false-positive rate counts other messages (concern and none) scanned as crisis.
"""

from pathlib import Path

import pytest

from warmline.escalation.lexicon import default_lexicon_path, load_lexicon
from warmline.escalation.matcher import Matcher

DATA = Path(__file__).parent / "data"
LABELS = {"crisis", "concern", "none"}


def load_set(name: str) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, text = line.partition(" | ")
        assert sep and label in LABELS, f"{name}:{number}: bad line {line!r}"
        rows.append((label, text))
    return rows


@pytest.mark.parametrize("name", ["escalation_eval.txt", "escalation_eval_holdout.txt"])
def test_recall_and_false_positives(name):
    matcher = Matcher(load_lexicon(default_lexicon_path()))
    rows = load_set(name)
    crisis = [text for label, text in rows if label == "crisis"]
    other = [text for label, text in rows if label != "crisis"]
    missed = [t for t in crisis if matcher.scan(t).level != "crisis"]
    false_positives = [t for t in other if matcher.scan(t).level == "crisis"]
    recall = 1 - len(missed) / len(crisis)
    fp_rate = len(false_positives) / len(other)
    print(
        f"\n{name}: recall {recall:.3f} on {len(crisis)} crisis messages; "
        f"false positives {fp_rate:.3f} on {len(other)} others"
    )
    for text in missed:
        print(f"  missed: {text!r}")
    for text in false_positives:
        print(f"  false positive: {text!r}")
    assert len(crisis) >= 50 and len(other) >= 50
    assert recall >= 0.95
    assert fp_rate <= 0.05
