"""Scoring the escalation scan on a labelled corpus (issue 12, SPEC §8 "Quality").

A corpus file is UTF-8, one message a line, `#` comment lines and blank lines ignored:

    <label> | <category> | <lang> | <message>

- label: `crisis` (must scan as crisis), `concern` or `none` (must not);
- category: one of `CRISIS_CATEGORIES` (label crisis) or `OTHER_CATEGORIES` (concern or none);
- lang: `en` or `es`.

Recall is the share of crisis messages the scan calls crisis; the false-alarm rate is the share
of the other messages (concern and none) it calls crisis. Both are reported overall, per language
and per category, and per category and language. Nothing here reads the clock or the lexicon: the
caller passes the scan as a function from text to level.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("crisis", "concern", "none")
LANGUAGES = ("en", "es")
CRISIS_CATEGORIES = (
    "explicit",
    "intent",
    "means_possession",
    "means_ingested",
    "slang",
    "misspelling",
    "third_person",
    "danger_to_texter",
    "harm_to_others",
    "hopelessness",
    "small_talk_then_crisis",
    "farewell",
    "plan_with_time",
    "symptoms",
    "negation_then_threat",
)
OTHER_CATEGORIES = (
    "lookalike_overdose",
    "lookalike_shooting",
    "lookalike_cutting",
    "lookalike_other",
    "negated",
    "idiom",
    "past_recovered",
    "concern_distress",
    "ordinary",
)
SEPARATOR = " | "
_FIELD_BREAK = re.compile(r"\s*\|\s*")


class CorpusError(ValueError):
    """A corpus line that does not follow the format; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    label: str
    category: str
    lang: str
    text: str
    line: int

    @property
    def crisis(self) -> bool:
        return self.label == "crisis"


def parse_corpus(content: str, source: str) -> list[Example]:
    """The examples of a corpus file's text; `CorpusError` ("source:line: why") on the first bad
    line: wrong field count, unknown label, category or language, a crisis label on a non-crisis
    category or the reverse, an empty message, or a message repeated (ignoring case and spaces)."""
    examples: list[Example] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(content.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        parts = _FIELD_BREAK.split(line, maxsplit=3)
        if len(parts) != 4:
            raise CorpusError(
                f"{where}: expected '<label> | <category> | <lang> | <message>', "
                f"got {len(parts)} fields"
            )
        label, category, lang, text = parts
        if SEPARATOR in text:
            raise CorpusError(f"{where}: the message contains '{SEPARATOR}'")
        if label not in LABELS:
            raise CorpusError(f"{where}: unknown label {label!r} (one of {', '.join(LABELS)})")
        if lang not in LANGUAGES:
            raise CorpusError(f"{where}: unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
        if category in CRISIS_CATEGORIES:
            if label != "crisis":
                raise CorpusError(f"{where}: category {category} is for crisis messages only")
        elif category in OTHER_CATEGORIES:
            if label == "crisis":
                raise CorpusError(f"{where}: category {category} is for non-crisis messages")
        else:
            raise CorpusError(f"{where}: unknown category {category!r}")
        if not text:
            raise CorpusError(f"{where}: empty message")
        key = " ".join(text.casefold().split())
        if key in seen:
            raise CorpusError(f"{where}: same message as line {seen[key]}")
        seen[key] = number
        examples.append(Example(label, category, lang, text, number))
    return examples


def load_corpus(path: str | Path) -> list[Example]:
    """`parse_corpus` of a file; `CorpusError` also when it cannot be read as UTF-8 text."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read: {exc}") from exc
    return parse_corpus(content, str(path))


@dataclass
class Score:
    """Counts for one slice of a corpus: crisis messages and how many scanned as crisis, other
    messages and how many scanned as crisis (false alarms)."""

    crisis: int = 0
    caught: int = 0
    other: int = 0
    false_alarms: int = 0

    def add(self, example: Example, flagged: bool) -> None:
        if example.crisis:
            self.crisis += 1
            self.caught += flagged
        else:
            self.other += 1
            self.false_alarms += flagged

    @property
    def recall(self) -> float | None:
        return self.caught / self.crisis if self.crisis else None

    @property
    def false_alarm_rate(self) -> float | None:
        return self.false_alarms / self.other if self.other else None


@dataclass
class Evaluation:
    """Scores of one corpus: overall, per language, per category, per (category, language); the
    messages the scan got wrong, in file order."""

    overall: Score = field(default_factory=Score)
    by_language: dict[str, Score] = field(default_factory=dict)
    by_category: dict[str, Score] = field(default_factory=dict)
    by_category_language: dict[tuple[str, str], Score] = field(default_factory=dict)
    missed: list[Example] = field(default_factory=list)
    false_alarms: list[Example] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.overall.crisis + self.overall.other


def evaluate(examples: Iterable[Example], level_of: Callable[[str], str]) -> Evaluation:
    """Scan every example with `level_of` (text -> "crisis" | "concern" | "none") and count."""
    result = Evaluation()
    for example in examples:
        flagged = level_of(example.text) == "crisis"
        for score in (
            result.overall,
            result.by_language.setdefault(example.lang, Score()),
            result.by_category.setdefault(example.category, Score()),
            result.by_category_language.setdefault((example.category, example.lang), Score()),
        ):
            score.add(example, flagged)
        if example.crisis and not flagged:
            result.missed.append(example)
        elif flagged and not example.crisis:
            result.false_alarms.append(example)
    return result


def _cell(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "-"


def _recall_cell(score: Score | None) -> str:
    return _cell(score.caught, score.crisis) if score else "-"


def _alarm_cell(score: Score | None) -> str:
    return _cell(score.false_alarms, score.other) if score else "-"


def _languages(result: Evaluation) -> list[str]:
    """The languages present, the corpus format's first and in its order."""
    known = [lang for lang in LANGUAGES if lang in result.by_language]
    return [*known, *sorted(set(result.by_language) - set(LANGUAGES))]


def _row(name: str, measure: str, cells: Sequence[str]) -> str:
    return f"{name:<24} {measure:<12}" + "".join(f" {cell:>17}" for cell in cells)


def format_report(result: Evaluation, title: str) -> str:
    """A plain-text table: recall on crisis messages and false alarms on the others, for all
    messages, per language, then per category (columns: all, then each language)."""
    languages = _languages(result)
    overall = result.overall
    lines = [
        f"{title}: {result.total} messages, {overall.crisis} crisis, {overall.other} other",
        _row("", "", ["all", *languages]),
        _row(
            "all messages",
            "recall",
            [_recall_cell(overall), *(_recall_cell(result.by_language.get(x)) for x in languages)],
        ),
        _row(
            "all messages",
            "false alarms",
            [_alarm_cell(overall), *(_alarm_cell(result.by_language.get(x)) for x in languages)],
        ),
    ]
    known = [*CRISIS_CATEGORIES, *OTHER_CATEGORIES]
    categories = [c for c in known if c in result.by_category]
    categories += sorted(set(result.by_category) - set(known))
    for category in categories:
        score = result.by_category[category]
        per_language = [result.by_category_language.get((category, x)) for x in languages]
        if score.crisis:
            lines.append(
                _row(category, "recall", [_recall_cell(score), *map(_recall_cell, per_language)])
            )
        if score.other:
            lines.append(
                _row(
                    category, "false alarms", [_alarm_cell(score), *map(_alarm_cell, per_language)]
                )
            )
    return "\n".join(lines)


def format_errors(result: Evaluation) -> str:
    """The messages the scan got wrong, one a line with their line number, category and language."""
    lines = [f"missed ({len(result.missed)}):"]
    lines += [f"  {e.line}: [{e.category} {e.lang}] {e.text}" for e in result.missed]
    lines.append(f"false alarms ({len(result.false_alarms)}):")
    lines += [f"  {e.line}: [{e.category} {e.lang}] {e.text}" for e in result.false_alarms]
    return "\n".join(lines)
