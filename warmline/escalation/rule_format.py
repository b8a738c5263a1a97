"""The rule patterns of the escalation lexicon (SPEC §8): parsing, and what they are made of.

A pattern is a sequence of parts separated by spaces: a literal word ("off", "the"; "word*" for
any ending), `{slot}` (any value of that slot, each one or more words), and `~N` between two
parts, which lets up to N other words (0 to `MAX_GAP`) come between them. Consecutive literal
words are one part. Values are normalised like messages (normalise.py); "#" stands for a number
of 10 or more and "#mg" for one with a unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from warmline.escalation.normalise import normalise_words

MAX_GAP = 8
_GAP_RE = re.compile(r"^~(\d+)$")

Fail = Callable[[str, str], Exception]  # (where, why) -> the error to raise

Atom = tuple[tuple[str, ...], bool]  # normalised words, and whether the last word is a prefix


@dataclass(frozen=True)
class Part:
    """One part of a rule pattern: any of `atoms`, after up to `gap` other words."""

    text: str  # as written: "{self_act}" or "end*"
    atoms: frozenset[Atom]
    gap: int  # other words allowed between the previous part and this one (0 for the first)


@dataclass(frozen=True)
class Rule:
    """One pattern of a `[[rules]]` entry."""

    name: str
    pattern: str
    parts: tuple[Part, ...]
    category: str
    level: str
    language: str
    negatable: bool
    source: str
    unless: frozenset[Atom] = frozenset()  # a message holding any of these is not a match


def phrase_words(body: str) -> list[str]:
    """Normalised words of a phrase; "#" (a number) and "#mg" (a number with a unit) kept."""
    words: list[str] = []
    for word in body.split():
        if word.startswith("#") and (word == "#" or word[1:].isalpha()):
            words.append(word.lower())
        else:
            words.extend(normalise_words(word))
    return words


def parse_pattern(
    raw: str, source: str, slots: dict[str, list[str]], fail: Fail
) -> tuple[Part, ...]:
    """The parts of a rule pattern; `fail(where, why)` makes the error for a bad one."""
    parts: list[Part] = []
    gap: int | None = None
    literal: list[str] = []

    def flush() -> None:
        nonlocal gap
        if literal:
            text = " ".join(literal)
            parts.append(Part(text, frozenset([parse_atom(text, source, raw, fail)]), gap or 0))
            literal.clear()
            gap = None

    for token in raw.split():
        m = _GAP_RE.match(token)
        if m:
            flush()
            if not parts or gap is not None:
                raise fail(source, f"{raw!r}: {token} must stand between two parts")
            gap = int(m.group(1))
            if gap > MAX_GAP:
                raise fail(source, f"{raw!r}: gaps are at most ~{MAX_GAP}")
        elif token.startswith("{") or token.endswith("}"):
            flush()
            name = token[1:-1]
            if not (token.startswith("{") and token.endswith("}")) or not name:
                raise fail(source, f"{raw!r}: {token!r} is not a {{slot}}")
            if name not in slots:
                raise fail(source, f"{raw!r} uses unknown slot {{{name}}}")
            atoms = frozenset(parse_atom(v, f"slots.{name}", v, fail) for v in slots[name])
            parts.append(Part(token, atoms, gap or 0))
            gap = None
        else:
            literal.append(token)
            if token.endswith("*"):
                flush()
    flush()
    if gap is not None:
        raise fail(source, f"{raw!r}: a gap cannot end a pattern")
    if not parts:
        raise fail(source, f"{raw!r} has no parts")
    return tuple(parts)


def parse_atom(text: str, source: str, raw: str, fail: Fail) -> Atom:
    """One value of a part: its normalised words, and whether the last one ends in "*"."""
    prefix = text.endswith("*")
    body = text[:-1] if prefix else text
    if "*" in body:
        raise fail(source, f"{raw!r}: '*' is only allowed at the end of a word")
    words = phrase_words(body)
    if not words:
        raise fail(source, f"{raw!r}: {text!r} has no letters or digits")
    return tuple(words), prefix
