"""Tolerant matching of misspelt words (SymSpell-style deletion neighbourhoods).

Rule: a message word of at least `min_length` letters (after normalisation; 4 by default) that
is not itself a lexicon word, not a common word of English or Spanish (`data/common_*.txt`), not
in `[fuzzy] ignore`, and contains no digit or "#", is read as the lexicon word one edit away
(insert, delete, substitute, or swap two neighbouring letters — Damerau: "sucide", "suicde",
"myslef", "pils" for "pills"). Every word of the phrases and rule parts is a target, so a
misspelling anywhere in a phrase or rule still lets it match; the words of idioms and `unless`
lists are known words, never corrected, but nothing is read as them. The lexicon word may be one
letter shorter than `min_length` after normalising ("kill" is "kil"; "kilk" is read as "kill").

When several lexicon words are one edit away, a swap of two letters wins, then a neighbouring key
on a QWERTY keyboard ("wamt" is "want", not "wait") or a letter left out ("mtar" is "matar", not
"mar"), then a letter too many, then any other substitution; ties go to the alphabetically
first. Shorter words and slang ("kms", "kys", "od") are only ever matched exactly. A typo that
is itself a common word ("hand" for "hang", "ripe" for "rope") is read as that word: guessing
would turn ordinary messages into alarms.

The index maps every word and every one-letter deletion of it to the words it came from, so a
lookup costs one dictionary probe per letter of the message word; results are memoised.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

_CACHE_LIMIT = 100_000
_DATA = Path(__file__).resolve().parent / "data"
COMMON_LANGUAGES = ("en", "es")


@cache
def common_words() -> frozenset[str]:
    """The shipped common-word lists (normalised, four letters or more), all languages."""
    words: set[str] = set()
    for lang in COMMON_LANGUAGES:
        text = (_DATA / f"common_{lang}.txt").read_text(encoding="utf-8")
        words.update(w for w in text.split("\n") if w and not w.startswith("#"))
    return frozenset(words)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, set[str]] = {}
for _r, _row in enumerate(_KEYBOARD):
    for _c, _key in enumerate(_row):
        _near = _NEIGHBOURS.setdefault(_key, set())
        for _dr in (-1, 0, 1):
            if 0 <= _r + _dr < len(_KEYBOARD):
                _near.update(_KEYBOARD[_r + _dr][max(0, _c - 1) : _c + 2])
        _near.discard(_key)


def _edit_rank(word: str, target: str) -> int:
    """How likely `target` is the intended word: 0 for two letters swapped, 1 for a neighbouring
    key struck or a letter left out, 2 for a letter too many, 3 for any other letter replaced."""
    if len(word) < len(target):
        return 1  # a letter left out
    if len(word) > len(target):
        return 2  # a letter too many
    diff = [i for i in range(len(word)) if word[i] != target[i]]
    if len(diff) == 2:
        return 0
    if len(diff) == 1 and word[diff[0]] in _NEIGHBOURS.get(target[diff[0]], ()):
        return 1
    return 3


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` are at most one insert, delete, substitute or adjacent swap apart."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]


class FuzzyIndex:
    def __init__(self, targets: Iterable[str], min_length: int, exact: Iterable[str]) -> None:
        """`targets`: words to correct towards; `exact`: words never corrected (lexicon words,
        common words and `[fuzzy] ignore`)."""
        self.min_length = min_length
        self._index: dict[str, set[str]] = {}
        for word in targets:
            if len(word) < min_length - 1:  # "kill" normalises to "kil"
                continue
            self._index.setdefault(word, set()).add(word)
            for d in _deletes(word):
                self._index.setdefault(d, set()).add(word)
        self._cache: dict[str, str | None] = {w: None for w in exact}
        self._fixed = len(self._cache)

    def lookup(self, word: str) -> str | None:
        """The target `word` is a misspelling of, or None."""
        if word in self._cache:
            return self._cache[word]
        found = None
        if not any(c.isdigit() or c == "#" for c in word):
            candidates: set[str] = set(self._index.get(word, ()))
            for d in _deletes(word):
                candidates.update(self._index.get(d, ()))
            close = sorted((_edit_rank(word, c), c) for c in candidates if within_one_edit(word, c))
            found = close[0][1] if close else None
        if len(self._cache) - self._fixed >= _CACHE_LIMIT:
            self._cache = {k: v for i, (k, v) in enumerate(self._cache.items()) if i < self._fixed}
        self._cache[word] = found
        return found
