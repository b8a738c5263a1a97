"""Scanning a message against the escalation lexicon.

Rules, in order:

1. **Normalise** the message and every phrase the same way (`normalise.py`: Unicode, case,
   accents, punctuation, leetspeak, numbers, repeated letters).
2. **Misspellings** (`fuzzy.py`): a word listed in `[fuzzy] spellings` is read as the word given
   there ("kiero" as "quiero"); a word of 4+ letters that is neither a lexicon word nor a
   common word, and is one edit from a lexicon word, is read as that word ("sucide", "myslef").
3. **Exact phrases and rule parts**: every lexicon phrase, idiom and value of a rule part is found
   in one pass of an Aho-Corasick automaton, as whole words only ("skill" never matches "kill",
   "therapist" never "rapist").
4. **Rules**: a rule matches when its parts occur in order, each within its gap (`~N`: up to N
   other words) of the previous one; one match is reported per place its first part occurs.
5. **Idioms**: a match that shares any word with an idiom match is suppressed ("killing me" inside
   "this traffic is killing me", "muero" inside "me muero de risa"). A rule is also suppressed
   when the message holds one of its `unless` phrases ("like the doctor said").
6. **Negation and the past** (`negation.py`): a match negated in its own clause ("I'm NOT
   suicidal"; a negation cue between a rule's parts), or put in the past ("I USED TO want to
   die"), is suppressed. A rule with `negatable = false` is never suppressed by negation.
7. **Recovered or a topic**: when the message is about the subject rather than the texter
   (`[negation] topic`: "a documentary", "for class"), its crisis matches are reported as
   concern; when it says the texter is safe now (`[negation] recovered`: "doing much better
   now", "ya estoy bien"), so are the crisis matches *before* that phrase, the story it closes
   (a crisis told after it is now again).
8. **Overlaps**: a rule match holding a phrase match of its category (at its level or higher)
   is dropped, so the plainer phrase is reported; then, of the matches left, one whose words lie
   within another match of the same
   category is dropped (the longer match is reported).

The scan's level is the highest level among the matches left: crisis > concern > none.

9. **Second stage** (`classifier.py`, when the matcher has one): a message the rules do not call
   crisis, and whose crisis matches were not lowered by rule 7, is crisis when the classifier's
   probability reaches its threshold; the scan then holds one `Match` of category and rule
   "classifier" whose `phrase` gives the probability and whose `words` are the words that drove
   it. Rule 6's negation still suppresses rule matches; the classifier judges the message whole.
10. **Harmless by every sentence** (`Classifier.harmless`, `Classifier.harmless_rules`): a message
   the rules call crisis is lowered to concern when the classifier reads it as harmless: the whole
   message and each of its sentences score below the model's harmless bound, far below its
   threshold, and at least half its words are ones the model learnt. The rules fire on words; the
   classifier has seen those words in harmless texts ("i have a knife in my hand, peeling apples
   for the pie", "cut myself a huge slice of cake"). The volunteer still hears of it as concern;
   `scan.classifier` holds the highest score with `harmless` set, and each lowered match a
   suppression saying so. Scoring each sentence alone keeps a short crisis sentence after small
   talk from being read as harmless with the whole. When no phrase but only pattern rules found the
   crisis, the bound is `Classifier.harmless_rules`, higher: a rule ("{ingest} ~6 {quantity} ~4
   {substance}") fires on more harmless texts ("i took all my meds this morning like always") than
   a phrase ("kill myself") does.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from itertools import repeat
from typing import Literal

import ahocorasick

from warmline.escalation.classifier import Classifier, Verdict, sentences
from warmline.escalation.fuzzy import FuzzyIndex, common_words
from warmline.escalation.lexicon import Atom, Lexicon, Rule
from warmline.escalation.negation import NegationScope
from warmline.escalation.normalise import CENSORED, Normalised, normalise
from warmline.escalation.rules import Occurrences, RuleIndex

Level = Literal["crisis", "concern", "none"]

_RANK = {"none": 0, "concern": 1, "crisis": 2}
_PHRASE, _IDIOM, _PART, _RULE = 0, 1, 2, 3
_UNREAD = "\x00"  # not in `Matcher._reading` yet (None there means "read as itself")
_READING_LIMIT = 200_000


@dataclass(frozen=True)
class Match:
    """What matched: a phrase (`rule` None) or a rule (`phrase` is its pattern).

    `words` are the excerpts of the original text each part matched (the phrase itself for a
    phrase); `typos` are the (excerpt, read as) pairs of misspelt words inside the match.
    """

    category: str
    level: str
    phrase: str
    span: tuple[int, int]
    language: str
    rule: str | None = None
    words: tuple[str, ...] = ()
    typos: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Suppressed:
    phrase: str
    span: tuple[int, int]
    reason: str


CLASSIFIER = "classifier"  # category and rule of the match the second stage reports
_LOWERED = "crisis lowered to concern"
_RULES_BOUND = "the bound when only pattern rules, no phrase, found the crisis"


@dataclass(frozen=True)
class Scan:
    """The scan of one message: its level, what matched, what was suppressed and why, and the
    classifier's verdict when it was consulted (None when the rules decided alone)."""

    level: Level
    matches: tuple[Match, ...]
    suppressed: tuple[Suppressed, ...]
    classifier: Verdict | None = None

    @property
    def lowered(self) -> bool:
        """Crisis matches were lowered to concern (recovered, or a topic): rule 7."""
        return any(s.reason.startswith(_LOWERED) for s in self.suppressed)

    @property
    def by_phrase(self) -> bool:
        """A phrase, not only pattern rules, found a crisis match: rule 10 then lowers it below
        `Classifier.harmless`, else below `Classifier.harmless_rules`. Read on the rules' scan,
        before rule 10 (after it, no match is crisis)."""
        return any(m.level == "crisis" and m.rule is None for m in self.matches)


_NOTHING = Scan("none", (), ())


@dataclass(frozen=True)
class _Hit:
    kind: int
    index: int  # into lexicon.phrases, lexicon.idioms or lexicon.rules
    first: int  # first word index
    last: int  # last word index (inclusive)
    parts: tuple[tuple[int, int], ...] = ()  # rules: (first, last) word of each part


class Matcher:
    def __init__(self, lexicon: Lexicon, classifier: Classifier | None = None) -> None:
        self.lexicon = lexicon
        self.classifier = classifier
        entries: dict[str, list[tuple[int, int, int]]] = {}  # key -> (kind, index, length)

        def key_of(words: tuple[str, ...], prefix: bool) -> str:
            return " " + " ".join(words) + ("" if prefix else " ")

        for i, phrase in enumerate(lexicon.phrases):
            key = key_of(phrase.words, phrase.prefix)
            entries.setdefault(key, []).append((_PHRASE, i, len(key)))
        for i, idiom in enumerate(lexicon.idioms):
            key = key_of(idiom.words, False)
            entries.setdefault(key, []).append((_IDIOM, i, len(key)))

        def add_part(atom: Atom, cid: int) -> None:
            key = key_of(*atom)
            entries.setdefault(key, []).append((_PART, cid, len(key)))

        self._rules = RuleIndex(lexicon, add_part)
        classes = self._rules.classes

        self._negation = NegationScope(lexicon)

        # Each key maps to (its length, the rule-part classes it is an atom of, its other
        # entries): every entry of one key starts at the same word, so a hit costs one
        # word-position lookup per key found, not one per entry; most keys are rule parts alone.
        self._automaton = ahocorasick.Automaton()
        for key, values in entries.items():
            in_parts = tuple(i for k, i, _ in values if k == _PART)
            others = tuple((k, i) for k, i, _ in values if k != _PART)
            self._automaton.add_word(key, (len(key), in_parts, others))
        self._automaton.make_automaton()

        # Typos are read towards the words of phrases and rule parts only; the words of idioms,
        # `unless` lists and negation are known (never corrected) but not read towards, so a
        # harmless word there cannot take a correction from a crisis word ("kilk" is "kill").
        crisis_words: set[str] = set()
        stems: set[str] = set()  # the last word of a "*" entry is a stem, not a word to correct to
        for phrase in lexicon.phrases:
            crisis_words.update(phrase.words)
            if phrase.prefix:
                stems.add(phrase.words[-1])
        for rule in lexicon.rules:
            for part in rule.parts:
                for words, prefix in part.atoms:
                    crisis_words.update(words)
                    if prefix:
                        stems.add(words[-1])
        known = crisis_words | lexicon.negation_cues | lexicon.clause_breaks | lexicon.fuzzy_ignore
        for idiom in lexicon.idioms:
            known.update(idiom.words)
        for atoms in classes:
            for words, _prefix in atoms:
                known.update(words)
        targets = {
            w
            for w in crisis_words - stems
            if w.isalpha() and w not in lexicon.fuzzy_ignore and w not in lexicon.negation_cues
        }
        self._min_length = lexicon.fuzzy_min_length
        self._fuzzy = FuzzyIndex(targets, lexicon.fuzzy_min_length, known | common_words())
        self._reading: dict[str, str | None] = {}  # word -> what rule 2 reads it as

    def scan(self, text: str) -> Scan:
        """Scan one message; pure, and never raises on any str."""
        norm = normalise(text)
        words = norm.words
        norm, typos = self._correct(norm)
        hits, parts = self._exact_hits(norm)
        scan = self._resolve(norm, hits, typos, parts) if hits else _NOTHING
        if self.classifier is None:
            return scan
        if scan.level == "crisis":
            return self._lower_if_harmless(text, words, scan, self.classifier)
        if scan.lowered:
            return scan
        return self._second_stage(text, words, scan, self.classifier)

    def _lower_if_harmless(
        self, text: str, words: list[str], scan: Scan, classifier: Classifier
    ) -> Scan:
        """Rule 10."""
        by_phrase = scan.by_phrase
        bound = classifier.harmless if by_phrase else classifier.harmless_rules
        if bound <= 0.0 or not words or not classifier.familiar(words):
            return scan
        whole = classifier.probability(words)
        if whole >= bound:  # most crisis messages: no need to split into sentences
            return scan
        highest = max(whole, classifier.highest(sentences(text)))
        if highest >= bound:
            return scan
        reason = (
            f"{_LOWERED}: the classifier reads every sentence as harmless "
            f"(p={highest:.3f} at most, below {bound:g}"
            f"{'' if by_phrase else ', ' + _RULES_BOUND})"
        )
        matches = tuple(
            dataclasses.replace(m, level="concern") if m.level == "crisis" else m
            for m in scan.matches
        )
        lowered = [
            Suppressed(m.phrase, m.span, reason) for m in scan.matches if m.level == "crisis"
        ]
        suppressed = tuple(sorted((*scan.suppressed, *lowered), key=lambda s: s.span))
        verdict = Verdict(highest, classifier.threshold, harmless=True, bound=bound)
        return Scan("concern", matches, suppressed, verdict)

    def _second_stage(
        self, text: str, words: list[str], scan: Scan, classifier: Classifier
    ) -> Scan:
        """Rule 9."""
        verdict = classifier.verdict(words)
        if not verdict.confident:
            return Scan(scan.level, scan.matches, scan.suppressed, verdict)
        match = Match(
            CLASSIFIER,
            "crisis",
            f"p={verdict.probability:.2f} (threshold {verdict.threshold:.2f})",
            (0, len(text)),
            "any",
            rule=CLASSIFIER,
            words=tuple(word for word, _ in verdict.drivers),
        )
        return Scan("crisis", (*scan.matches, match), scan.suppressed, verdict)

    def _correct(self, norm: Normalised) -> tuple[Normalised, dict[int, str]]:
        """Rule 2: `norm` with informal spellings and misspelt words replaced by the lexicon
        words they stand for; also returns {word index: the word it was read as}."""
        words = norm.words
        read = list(map(self._reading.get, words, repeat(_UNREAD, len(words))))
        if _UNREAD in read:
            read = [self._read(w) if r is _UNREAD else r for w, r in zip(words, read, strict=True)]
        if read.count(None) == len(read):
            return norm, {}
        typos = {i: target for i, target in enumerate(read) if target is not None}
        fixed = list(words)
        for i, target in typos.items():
            fixed[i] = target
        return dataclasses.replace(norm, text=" " + " ".join(fixed) + " "), typos

    def _read(self, word: str) -> str | None:
        """Rule 2 for one word: the lexicon word it is read as, or None (memoised)."""
        target = self.lexicon.spellings.get(word)
        if target is None and (len(word) >= self._min_length or CENSORED in word):
            target = self._fuzzy.lookup(word)
        if target == word:
            target = None
        if len(self._reading) >= _READING_LIMIT:
            self._reading.clear()
        self._reading[word] = target
        return target

    def _exact_hits(self, norm: Normalised) -> tuple[list[_Hit], Occurrences]:
        text = norm.text
        found = list(self._automaton.iter(text))
        if not found:
            return [], {}
        # Most messages hold some rule parts ("just", "with", "tonight") but no phrase, no idiom
        # and no rule with every part: then nothing can match, and no word is placed.
        if not any([entry[2] for _, entry in found]) and not self._rules.possible(
            {cid for _, entry in found for cid in entry[1]}
        ):
            return [], {}
        count = text.count
        hits: list[_Hit] = []
        parts: Occurrences = defaultdict(list)
        for end, (length, in_parts, others) in found:
            # the word holding the key's first letter, and the one holding its last: the spaces
            # before it, less the one the text starts with
            first = count(" ", 0, end - length + 2) - 1
            last = count(" ", 0, end if text[end] == " " else end + 1) - 1
            place = (first, last)
            for cid in in_parts:
                parts[cid].append(place)
            if others:
                hits.extend(_Hit(kind, index, first, last) for kind, index in others)
        if parts:
            hits.extend(
                _Hit(_RULE, r, chain[0][0], chain[-1][1], chain)
                for r, chain in self._rules.matches(parts)
            )
        return hits, parts

    def _resolve(
        self,
        norm: Normalised,
        hits: list[_Hit],
        typos: dict[int, str],
        parts: Occurrences,
    ) -> Scan:
        spans = norm.spans
        original = norm.original
        lexicon = self.lexicon

        def span_of(first: int, last: int) -> tuple[int, int]:
            return (spans[first][0], spans[last][1])

        idioms: dict[int, _Hit] = {}
        for h in hits:
            if h.kind == _IDIOM:
                for i in range(h.first, h.last + 1):
                    idioms.setdefault(i, h)
        kept: list[_Hit] = []
        suppressed: list[Suppressed] = []
        for hit in hits:
            if hit.kind == _IDIOM:
                continue
            reason = None
            if hit.kind == _RULE:
                reason = self._unless_reason(hit, parts, norm, spans)
            if reason is None:
                reason = self._idiom_reason(hit, idioms, norm, spans)
            if reason is None:
                reason = self._negation_reason(hit, norm, spans)
            if reason is None:
                kept.append(hit)
            else:
                suppressed.append(Suppressed(self._name(hit), span_of(hit.first, hit.last), reason))

        phrases = lexicon.phrases
        kept = self._drop_rules_covering_phrases(kept)
        kept.sort(
            key=lambda h: (
                h.first,
                -h.last,
                h.kind != _RULE,
                h.kind == _PHRASE and phrases[h.index].prefix,
            )
        )
        matches: list[Match] = []
        reach: dict[str, int] = {}  # per category, the last word covered by a reported match
        for hit in kept:
            item: Rule | None = None
            if hit.kind == _RULE:
                item = lexicon.rules[hit.index]
                category, level, language = item.category, item.level, item.language
                pieces = hit.parts
            else:
                phrase = lexicon.phrases[hit.index]
                category, level, language = phrase.category, phrase.level, phrase.language
                pieces = ((hit.first, hit.last),)
            if reach.get(category, -1) >= hit.last:
                continue
            reach[category] = hit.last
            span = span_of(hit.first, hit.last)
            excerpts = []
            for f, lst in pieces:
                s, e = span_of(f, lst)
                excerpts.append(original[s:e])
            matches.append(
                Match(
                    category,
                    level,
                    item.pattern if item is not None else lexicon.phrases[hit.index].text,
                    span,
                    language,
                    rule=item.name if item is not None else None,
                    words=tuple(excerpts),
                    typos=tuple(
                        (original[spans[i][0] : spans[i][1]], typos[i])
                        for i in range(hit.first, hit.last + 1)
                        if i in typos
                    ),
                )
            )
        # Rule 7: (first word, last word, anywhere) of each cue of safety now or of a topic
        lowering = [
            (first, last, cls == self._rules.topic)
            for cls in (self._rules.recovered, self._rules.topic)
            if cls is not None
            for first, last in parts.get(cls, ())
            # "im NOT safe now" says the opposite
            if self._negation.reason(first, [], norm.words, spans, original) is None
        ]
        for first, last, anywhere in lowering:
            # A topic covers the whole message ("what do i say to a friend who is suicidal").
            # Safety now only covers what came before it: "i was suicidal, doing much better
            # now" is lowered; "i got better but now its back, i have the pills in my hand" is not.
            start = spans[first][0]
            cue = original[start : spans[last][1]]
            for i, m in enumerate(matches):
                if m.level == "crisis" and (anywhere or m.span[1] <= start):
                    matches[i] = dataclasses.replace(m, level="concern")
                    suppressed.append(Suppressed(m.phrase, m.span, f"{_LOWERED}: {cue!r}"))
        level_: Level = "none"
        for m in matches:
            if _RANK[m.level] > _RANK[level_]:
                level_ = "crisis" if m.level == "crisis" else "concern"
        suppressed.sort(key=lambda s: s.span)
        return Scan(level_, tuple(matches), tuple(dict.fromkeys(suppressed)))

    def _drop_rules_covering_phrases(self, kept: list[_Hit]) -> list[_Hit]:
        """A rule match that holds a phrase match of its category, at its level or higher, adds
        nothing: the plainer phrase is reported ("kill myself" in "I want to kill myself")."""
        lexicon = self.lexicon
        phrases = [
            (
                h.first,
                h.last,
                lexicon.phrases[h.index].category,
                _RANK[lexicon.phrases[h.index].level],
            )
            for h in kept
            if h.kind == _PHRASE
        ]
        if not phrases:
            return kept
        out = []
        for h in kept:
            if h.kind == _RULE:
                rule = lexicon.rules[h.index]
                rank = _RANK[rule.level]
                if any(
                    h.first <= first and last <= h.last and category == rule.category and r >= rank
                    for first, last, category, r in phrases
                ):
                    continue
            out.append(h)
        return out

    def _name(self, hit: _Hit) -> str:
        if hit.kind == _RULE:
            rule = self.lexicon.rules[hit.index]
            return f"{rule.name}: {rule.pattern}"
        return self.lexicon.phrases[hit.index].text

    def _unless_reason(
        self,
        hit: _Hit,
        parts: Occurrences,
        norm: Normalised,
        spans: list[tuple[int, int]],
    ) -> str | None:
        unless = self._rules.unless[hit.index]
        if unless is None or unless not in parts:
            return None
        first, last = parts[unless][0]
        return f"unless {norm.original[spans[first][0] : spans[last][1]]!r}"

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
        gaps: list[range] = []
        if hit.kind == _RULE:
            if not self.lexicon.rules[hit.index].negatable:
                return None
            gaps = [range(a[1] + 1, b[0]) for a, b in zip(hit.parts, hit.parts[1:], strict=False)]
        return self._negation.reason(hit.first, gaps, norm.words, spans, norm.original)
