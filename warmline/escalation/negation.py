"""Whether a match is negated or in the past, within its own clause (SPEC §8).

A match is negated when a `[negation] cues` word ("not", "never", "dont", "no", "nunca", ...)
stands among the `negation_window` words before its first word in the same clause, or (for a
rule) between two of its parts ("i have NO gun"). A clause ends at . ! ? ; : , ¿ ¡ … or a line
break in the original text, and at a `clause_breaks` word ("but", "and", "pero", "i", ...)
unless that word follows an `inverted` word ("never would I", "it's not like I"): so "I'm not
going to kill myself tonight, but maybe tomorrow" negates only its first clause. A match is in
the past when a `[negation] past` phrase ("used to", "years ago", "when i was") ends among the
`past_window` words before it; that search looks past a new "I" but not past punctuation or
another break word ("i used to cope but now i want to die" is in the present).
"""

from __future__ import annotations

from warmline.escalation.lexicon import Lexicon

_CLAUSE_PUNCTUATION = frozenset(".!?;:,\n\r\u00bf\u00a1\u2026")
_SUBJECTS = frozenset({"i", "yo"})  # break words that start a clause without ending the past


class NegationScope:
    def __init__(self, lexicon: Lexicon) -> None:
        self.cues = lexicon.negation_cues
        self.breaks = lexicon.clause_breaks
        self.inverted = lexicon.inverted
        self.window = lexicon.negation_window
        self.past_window = lexicon.past_window
        self.past: dict[str, list[tuple[str, ...]]] = {}
        for cue in lexicon.past_cues:
            self.past.setdefault(cue[-1], []).append(cue)

    def reason(
        self,
        first: int,
        gaps: list[range],
        words: list[str],
        spans: list[tuple[int, int]],
        original: str,
    ) -> str | None:
        """Why the match starting at word `first` (with `gaps` between its parts) is
        suppressed — "negated by 'not'", "in the past: 'used to'" — or None."""
        for gap in gaps:
            for j in gap:
                if words[j] in self.cues:
                    return f"negated by {_excerpt(original, spans, j, j)!r}"
        negating = True
        j = first - 1
        stop = first - max(self.window, self.past_window)
        while j >= 0 and j >= stop:
            between = original[spans[j][1] : spans[j + 1][0]]
            if any(c in _CLAUSE_PUNCTUATION for c in between):
                return None
            word = words[j]
            if word in self.breaks and not (j > 0 and words[j - 1] in self.inverted):
                if word not in _SUBJECTS:
                    # A conjunction or "now": neither a negation nor the past before it reaches
                    # the match ("i used to cope but now i want to die" is a crisis).
                    return None
                negating = False  # a new "I": the past still reaches ("when i was 16 i tried")
            if negating and word in self.cues and first - j <= self.window:
                return f"negated by {_excerpt(original, spans, j, j)!r}"
            if first - j <= self.past_window and word in self.past:
                for cue in self.past[word]:
                    start = j - len(cue) + 1
                    if start >= 0 and tuple(words[start : j + 1]) == cue:
                        return f"in the past: {_excerpt(original, spans, start, j)!r}"
            j -= 1
        return None


def _excerpt(original: str, spans: list[tuple[int, int]], first: int, last: int) -> str:
    return original[spans[first][0] : spans[last][1]]
