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
        hits = []
        for end, values in self._automaton.iter(norm.text):
            for kind, index, length in values:
                start = end - length + 1
                first = norm.word_index(start + 1)
                last = norm.word_index(end - 1 if norm.text[end] == " " else end)
                hits.append(_Hit(kind, index, first, last))
        return hits

    def _fuzzy_hits(self, norm: Normalised) -> list[_Hit]:
        min_length = self._min_length
        long_words = [w for w in norm.words if len(w) >= min_length]
        if not long_words:
            return []
        hits = []
        lookup = self._fuzzy.lookup
        for word in long_words:
            target = lookup(word)
            if target is not None:
                phrase_index = self._single[target]
                for i, w in enumerate(norm.words):
                    if w == word:
                        hits.append(_Hit(_PHRASE, phrase_index, i, i, fuzzy=True))
        return list({(h.first, h.index): h for h in hits}.values())

    def _resolve(self, norm: Normalised, hits: list[_Hit]) -> Scan:
        spans = norm.spans

        def span_of(hit: _Hit) -> tuple[int, int]:
            return (spans[hit.first][0], spans[hit.last][1])

        idioms = [h for h in hits if h.kind == _IDIOM]
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

        kept.sort(key=lambda h: (h.first, -h.last, self.lexicon.phrases[h.index].prefix))
        matches: list[Match] = []
        reported: list[_Hit] = []
        for hit in kept:
            phrase = self.lexicon.phrases[hit.index]
            if any(
                self.lexicon.phrases[r.index].category == phrase.category
                and r.first <= hit.first
                and hit.last <= r.last
                for r in reported
            ):
                continue
            reported.append(hit)
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
        self, hit: _Hit, idioms: list[_Hit], norm: Normalised, spans: list[tuple[int, int]]
    ) -> str | None:
        for idiom in idioms:
            if idiom.first <= hit.last and hit.first <= idiom.last:
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
