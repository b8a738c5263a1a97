"""Format of the labelled escalation corpus (issue 12, notes/CORPUS_FORMAT.md).

Two halves live in tests/unit/data/escalation/: ``test.txt`` (written first, then frozen) and
``dev.txt`` (written independently, to tune on). Each non-comment line is
``<label> | <category> | <lang> | <message>``. These tests check only the shape of the data —
valid fields, sizes, coverage and no duplicates within or across halves — so a malformed or
thin corpus cannot silently weaken the detector's evaluation. They never look at the detector.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from warmline.escalation.evaluation import CRISIS_CATEGORIES, LABELS
from warmline.escalation.evaluation import LANGUAGES as LANGS
from warmline.escalation.evaluation import OTHER_CATEGORIES as NON_CRISIS_CATEGORIES

DATA = Path(__file__).parent / "data" / "escalation"
TEST_HALF = DATA / "test.txt"
DEV_HALF = DATA / "dev.txt"

SEPARATOR = " | "
NON_CRISIS_LABELS = ("concern", "none")
CATEGORIES = CRISIS_CATEGORIES + NON_CRISIS_CATEGORIES

MIN_MESSAGES = 760
MIN_SPANISH = 160
MIN_NON_CRISIS_SHARE = 0.55


@dataclass(frozen=True)
class Entry:
    """One labelled message and where it came from (for error messages)."""

    where: str
    label: str
    category: str
    lang: str
    message: str


def normalise(message: str) -> str:
    """The duplicate key: lower case, runs of whitespace collapsed, ends stripped."""
    return re.sub(r"\s+", " ", message.lower()).strip()


def field_problems(label: str, category: str, lang: str, message: str) -> list[str]:
    """What is wrong with the four fields of one line (empty when nothing is)."""
    problems = []
    if label not in LABELS:
        problems.append(f"unknown label {label!r}")
    if category not in CATEGORIES:
        problems.append(f"unknown category {category!r}")
    elif label == "crisis" and category not in CRISIS_CATEGORIES:
        problems.append(f"non-crisis category {category} labelled 'crisis'")
    elif label in NON_CRISIS_LABELS and category not in NON_CRISIS_CATEGORIES:
        problems.append(f"crisis category {category} labelled {label!r}")
    if lang not in LANGS:
        problems.append(f"unknown lang {lang!r}")
    if not message.strip() or message != message.strip():
        problems.append("empty message or stray whitespace around it")
    return problems


def parse(path: Path) -> tuple[list[Entry], list[str]]:
    """Entries of one half and a list of format problems, each naming file and line."""
    entries: list[Entry] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path.name}:{number}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split(SEPARATOR)
        if len(fields) != 4:
            problems.append(f"{where}: expected 4 fields separated by ' | ', got {len(fields)}")
            continue
        label, category, lang, message = fields
        problems += [f"{where}: {problem}" for problem in field_problems(*fields)]
        entries.append(Entry(where, label, category, lang, message))
    return entries, problems


def halves() -> list[Path]:
    """The halves present: the test half always, the dev half once it has been written."""
    return [TEST_HALF] + ([DEV_HALF] if DEV_HALF.exists() else [])


HALVES = pytest.mark.parametrize("path", halves(), ids=lambda p: p.name)


def test_the_frozen_test_half_exists_with_a_header() -> None:
    lines = TEST_HALF.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines[:40] if line.startswith("#")]
    assert lines and lines[0].startswith("#"), "test.txt must open with its header comments"
    assert any("frozen" in line.lower() for line in header), "the header must say it is frozen"


@HALVES
def test_every_line_is_well_formed(path: Path) -> None:
    _, problems = parse(path)
    assert not problems, "\n".join(problems)


@HALVES
def test_no_duplicate_messages_within_a_half(path: Path) -> None:
    entries, _ = parse(path)
    first: dict[str, str] = {}
    duplicates = []
    for entry in entries:
        key = normalise(entry.message)
        if key in first:
            duplicates.append(f"{entry.where} repeats {first[key]}: {entry.message!r}")
        first.setdefault(key, entry.where)
    assert not duplicates, "\n".join(duplicates)


def test_no_message_appears_in_both_halves() -> None:
    if not DEV_HALF.exists():
        pytest.skip("dev.txt not written yet")
    test_keys = {normalise(e.message): e.where for e in parse(TEST_HALF)[0]}
    shared = [
        f"{e.where} is also {test_keys[normalise(e.message)]}: {e.message!r}"
        for e in parse(DEV_HALF)[0]
        if normalise(e.message) in test_keys
    ]
    assert not shared, "\n".join(shared)


@HALVES
def test_size_targets(path: Path) -> None:
    entries, _ = parse(path)
    spanish = sum(e.lang == "es" for e in entries)
    non_crisis = sum(e.label in NON_CRISIS_LABELS for e in entries)
    assert len(entries) >= MIN_MESSAGES, f"{len(entries)} messages, need {MIN_MESSAGES}"
    assert spanish >= MIN_SPANISH, f"{spanish} Spanish messages, need {MIN_SPANISH}"
    share = non_crisis / len(entries)
    assert share >= MIN_NON_CRISIS_SHARE, f"non-crisis share {share:.3f} < {MIN_NON_CRISIS_SHARE}"


@HALVES
def test_every_category_in_both_languages(path: Path) -> None:
    entries, _ = parse(path)
    present = Counter((e.category, e.lang) for e in entries)
    missing = [f"{c}/{lang}" for c in CATEGORIES for lang in LANGS if not present[(c, lang)]]
    assert not missing, f"{path.name} lacks: {', '.join(missing)}"


def test_parse_reports_malformed_lines(tmp_path: Path) -> None:
    sample = tmp_path / "sample.txt"
    sample.write_text(
        "# header\n"
        "\n"
        "crisis | explicit | en | i want to die\n"
        "crisis | ordinary | en | hello\n"
        "none | idiom | fr | je meurs de rire\n"
        "maybe | idiom | en | dead tired\n"
        "none | idiom | en | a | b\n"
        "none | nonsense | en | hi\n"
        "none | ordinary\n"
        "concern | explicit | en | i want to die tonight\n",
        encoding="utf-8",
    )
    entries, problems = parse(sample)
    assert len(entries) == 6 and entries[0].message == "i want to die"
    assert problems == [
        "sample.txt:4: non-crisis category ordinary labelled 'crisis'",
        "sample.txt:5: unknown lang 'fr'",
        "sample.txt:6: unknown label 'maybe'",
        "sample.txt:7: expected 4 fields separated by ' | ', got 5",
        "sample.txt:8: unknown category 'nonsense'",
        "sample.txt:9: expected 4 fields separated by ' | ', got 2",
        "sample.txt:10: crisis category explicit labelled 'concern'",
    ]


def test_normalise_makes_case_and_spacing_variants_duplicates() -> None:
    assert normalise("I  want\tto DIE ") == normalise("i want to die")
    assert normalise("i want to die") != normalise("i want to dye")
