"""Scanning a message against the escalation lexicon.

Rules, in order:

1. **Normalise** the message and every phrase the same way (`normalise.py`: Unicode, case,
   accents, punctuation, leetspeak, numbers, repeated letters).
2. **Exact phrases**: every lexicon phrase and idiom is found in one pass of an Aho-Corasick
   automaton, as whole words only ("skill" never matches "kill", "therapist" never "rapist").
3. **Misspellings** (`fuzzy.py`): a long word one edit away from a single-word crisis phrase
   matches that phrase.
4. **Idioms**: a phrase match that shares any word with an idiom match is suppressed
   ("killing me" inside "this traffic is killing me", "muero" inside "me muero de risa").
5. **Negation**: a phrase match is suppressed when a negation cue ("not", "never", "dont", "no",
   "nunca", ...) is among the `negation_window` words (default 3) before its first word, in the
   same clause. A clause ends at . ! ? ; : , ¿ ¡ … or a line break in the original text, and at
   a `clause_breaks` word ("but", "and", "pero", ...); the window does not look past either.
6. **Overlaps**: of the matches left, one whose words lie within another match of the same
   category is dropped (the longer phrase is reported).

The scan's level is the highest level among the matches left: crisis > concern > none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import ahocorasick

from warmline.escalation.fuzzy import FuzzyIndex
from warmline.escalation.lexicon import Lexicon
from warmline.escalation.normalise import Normalised, normalise

Level = Literal["crisis", "concern", "none"]

_RANK = {"none": 0, "concern": 1, "crisis": 2}
_CLAUSE_PUNCTUATION = frozenset(".!?;:,\n\r\u00bf\u00a1\u2026")
_PHRASE, _IDIOM = 0, 1


@dataclass(frozen=True)
class Match:
    category: str
    level: str
    phrase: str
    span: tuple[int, int]
    language: str


@dataclass(frozen=True)
class Suppressed:
    phrase: str
    span: tuple[int, int]
    reason: str


@dataclass(frozen=True)
class Scan:
    level: Level
    matches: tuple[Match, ...]
    suppressed: tuple[Suppressed, ...]


_NOTHING = Scan("none", (), ())


@dataclass(frozen=True)
class _Hit:
    kind: int
    index: int  # into lexicon.phrases or lexicon.idioms
    first: int  # first word index
    last: int  # last word index (inclusive)
    fuzzy: bool = False


class Matcher:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        entries: dict[str, list[tuple[int, int, int]]] = {}
        for i, phrase in enumerate(lexicon.phrases):
            key = " " + " ".join(phrase.words) + ("" if phrase.prefix else " ")
            entries.setdefault(key, []).append((_PHRASE, i, len(key)))
        for i, idiom in enumerate(lexicon.idioms):
            key = " " + " ".join(idiom.words) + " "
            entries.setdefault(key, []).append((_IDIOM, i, len(key)))
        self._automaton = ahocorasick.Automaton()
        for key, values in entries.items():
            self._automaton.add_word(key, tuple(values))
        self._automaton.make_automaton()

        self._single: dict[str, int] = {}
        vocabulary: set[str] = set(lexicon.negation_cues | lexicon.clause_breaks)
        for i, phrase in enumerate(lexicon.phrases):
            vocabulary.update(phrase.words)
            if phrase.level == "crisis" and len(phrase.words) == 1 and not phrase.prefix:
                self._single.setdefault(phrase.words[0], i)
        for idiom in lexicon.idioms:
            vocabulary.update(idiom.words)
        self._min_length = lexicon.fuzzy_min_length
        self._fuzzy = FuzzyIndex(
            self._single, lexicon.fuzzy_min_length, vocabulary | lexicon.fuzzy_ignore
        )

    def scan(self, text: str) -> Scan:
        """Scan one message; pure, and never raises on any str."""
        norm = normalise(text)
        hits = self._exact_hits(norm)
        hits.extend(self._fuzzy_hits(norm))
        if not hits:
            return _NOTHING
        return self._resolve(norm, hits)

    def _exact_hits(self, norm: Normalised) -> list[_Hit]:
        found = list(self._automaton.iter(norm.text))
        if not found:
            return []
        word_index = norm.word_index
        text = norm.text
        hits = []
        for end, values in found:
            for kind, index, length in values:
                first = word_index(end - length + 2)
                last = word_index(end - 1 if text[end] == " " else end)
                hits.append(_Hit(kind, index, first, last))
        return hits

    def _fuzzy_hits(self, norm: Normalised) -> list[_Hit]:
        min_length = self._min_length
        lookup = self._fuzzy.lookup
        hits = []
        for i, word in enumerate(norm.words):
            if len(word) >= min_length:
                target = lookup(word)
                if target is not None:
                    hits.append(_Hit(_PHRASE, self._single[target], i, i, fuzzy=True))
        return hits

    def _resolve(self, norm: Normalised, hits: list[_Hit]) -> Scan:
        spans = norm.spans

        def span_of(hit: _Hit) -> tuple[int, int]:
            return (spans[hit.first][0], spans[hit.last][1])

        idioms: dict[int, _Hit] = {}
        for h in hits:
            if h.kind == _IDIOM:
                for i in range(h.first, h.last + 1):
                    idioms.setdefault(i, h)
        kept: list[_Hit] = []
        suppressed: list[Suppressed] = []
        for hit in hits:
            if hit.kind != _PHRASE:
                continue
            phrase = self.lexicon.phrases[hit.index]
            reason = self._idiom_reason(hit, idioms, norm, spans)
            if reason is None:
                reason = self._negation_reason(hit, norm, spans)
            if reason is None:
                kept.append(hit)
            else:
                suppressed.append(Suppressed(phrase.text, span_of(hit), reason))

        phrases = self.lexicon.phrases
        kept.sort(key=lambda h: (h.first, -h.last, phrases[h.index].prefix))
        matches: list[Match] = []
        reach: dict[str, int] = {}  # per category, the last word covered by a reported match
        for hit in kept:
            phrase = phrases[hit.index]
            if reach.get(phrase.category, -1) >= hit.last:
                continue
            reach[phrase.category] = hit.last
            matches.append(
                Match(phrase.category, phrase.level, phrase.text, span_of(hit), phrase.language)
            )
        level: Level = "none"
        for m in matches:
            if _RANK[m.level] > _RANK[level]:
                level = "crisis" if m.level == "crisis" else "concern"
        suppressed.sort(key=lambda s: s.span)
        return Scan(level, tuple(matches), tuple(dict.fromkeys(suppressed)))

    def _idiom_reason(
        self, hit: _Hit, idioms: dict[int, _Hit], norm: Normalised, spans: list[tuple[int, int]]
    ) -> str | None:
        for i in range(hit.first, hit.last + 1):
            idiom = idioms.get(i)
            if idiom is not None:
                start, end = spans[idiom.first][0], spans[idiom.last][1]
                name = self.lexicon.idioms[idiom.index].text
                return f"idiom {name!r} in {norm.original[start:end]!r}"
        return None

    def _negation_reason(
        self, hit: _Hit, norm: Normalised, spans: list[tuple[int, int]]
    ) -> str | None:
        words = norm.words
        cues = self.lexicon.negation_cues
        breaks = self.lexicon.clause_breaks
        original = norm.original
        j = hit.first - 1
        stop = hit.first - self.lexicon.negation_window
        while j >= 0 and j >= stop:
            gap = original[spans[j][1] : spans[j + 1][0]]
            if any(c in _CLAUSE_PUNCTUATION for c in gap):
                return None
            if words[j] in breaks:
                return None
            if words[j] in cues:
                start, end = spans[j]
                return f"negated by {original[start:end]!r}"
            j -= 1
        return None
