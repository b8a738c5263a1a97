"""Normalisation shared by the escalation lexicon and the messages it is matched against.

Both sides go through the same rules, so a phrase matches whatever a message spells the same way:

1. **Characters.** Each character is decomposed (Unicode NFKD, which folds compatibility forms
   such as full-width letters and ligatures like NFKC does), case-folded, and stripped of
   combining marks, so "Está", "ESTA" and "ｅｓｔａ" all read "esta". Letters and digits are kept;
   apostrophes (' ` ’ ʼ) join a word ("don't" → "dont"); "@" and "$" are kept for rule 3;
   every other character (spaces, punctuation, emoji, symbols) separates words.
2. **Words.** A word is a run of kept characters; the normalised text is the words joined by
   single spaces. Word *i* of the normalised text is always word *i* of `Normalised.spans`, so a
   match is mapped back to offsets in the original text word by word.
3. **Leetspeak**, only inside words that contain a letter: 0→o, 3→e, 4→a, 5→s, 7→t, @→a, $→s,
   and 1→i, except that a 1 following an "i" or "l" becomes "l" ("k1ll", "ki11" → "kill"); "!"
   between two letters is an "i" ("d!e"), "|" beside a letter an "l" ("ki||"), and "*" between
   two letters a letter left out (`CENSORED`, which fuzzy.py reads as any letter: "k*ll").
   Words of digits alone ("988", "3") and a number with a short unit ("4000mg", "3am", "5th")
   are left as they are.
4. **Numbers**: a word that is a whole number of 10 or more becomes "#", which a phrase
   writes as "#" ("took # pills" matches "took 30 pills"); with a unit, "4000mg" becomes "#mg".
5. **Repeated letters**: any run of one repeated letter becomes a single letter ("diiiie" → "die",
   "kill" → "kil", "pills" → "pils"). Since phrases are normalised the same way, "kill" and
   "kiiilll" both match the phrase "kill myself".
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

_APOSTROPHES = "'`\u2019\u02bc\u2018"
_TOKEN_RE = re.compile(r"[^ ']+(?:'+[^ ']+)*")
_LEET_HINT_RE = re.compile(r"[^\W\d_][\d@$]|[\d@$][^\W\d_]|[@$]")
_NUMBER_RE = re.compile(r"(?<![^ ])[1-9][0-9]+(?![^ ])")
_REPEAT_RE = re.compile(r"([^\W\d_])\1+")
_FIRST_GROUP = operator.methodcaller("group", 1)  # a C callable: r"\1" expands in Python
_LEET_OR_NUMBER_RE = re.compile(r"[\d@$]")
_DIGIT_RE = re.compile(r"\d")
_LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_IN_WORD = r"(?<=[^\W\d_])%s(?=[^\W\d_])"
_BANG_RE = re.compile(_IN_WORD % "!")
CENSORED = "\u0294"  # a "*" standing for a letter ("k*ll"), read by fuzzy.py as any letter
_STAR_RE = re.compile(_IN_WORD % r"\*")
_BAR_RE = re.compile(r"(?<=[^\W\d_])\|+|\|+(?=[^\W\d_])")
_UNIT_RE = re.compile(r"^[0-9]+[^\W\d_]{1,3}$")
_NUMBER_UNIT_RE = re.compile(r"(?<![^ ])[1-9][0-9]+(?=[^\W\d_]{1,3}(?![^ ]))")


def _ascii_table() -> dict[int, str]:
    table = {}
    for code in range(128):
        ch = chr(code)
        if ch.isalnum():
            table[code] = ch.lower()
        elif ch in _APOSTROPHES:
            table[code] = "'"
        elif ch in "@$":
            table[code] = ch
        else:
            table[code] = " "
    return table


_ASCII_TABLE = _ascii_table()
_CHAR_CACHE: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    """Rule 1 for one character: the (possibly empty or longer) string it normalises to."""
    folded = _CHAR_CACHE.get(ch)
    if folded is not None:
        return folded
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    out = []
    for c in decomposed:
        if unicodedata.combining(c):
            continue
        if c.isalnum():
            out.append(c)
        elif c in _APOSTROPHES:
            out.append("'")
        elif c in "@$":
            out.append(c)
        else:
            out.append(" ")
    folded = "".join(out)
    if len(_CHAR_CACHE) < 65536:
        _CHAR_CACHE[ch] = folded
    return folded


_T = TypeVar("_T")


class _lazy(Generic[_T]):  # noqa: N801 - used as a decorator, like cached_property
    """`functools.cached_property` without its lock (Python 3.11 takes one on every first
    access, which cost the scan about a tenth of its time): computed once per instance, on first
    use, and kept in the instance's `__dict__`. A `Normalised` is never shared between threads
    before it is read, so the lock bought nothing."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = self._compute(instance)
        instance.__dict__[self._name] = value
        return value


def _deleet_word(word: str) -> str:
    if not any(c.isalpha() for c in word) or _UNIT_RE.match(word):
        return word
    out: list[str] = []
    for c in word:
        if c == "1":
            out.append("l" if out and out[-1] in "il" else "i")
        else:
            out.append(_LEET.get(c, c))
    return "".join(out)


@dataclass(frozen=True)
class Normalised:
    """A text after the rules above.

    `text` is " " + the words joined by single spaces + " " (the padding makes every word start
    and end at a space, which is how phrases are kept to word boundaries). `folded` is the
    per-character form of the original (rule 1, before words are split) and `starts[j]`/`ends[j]`
    the original offsets that folded character j came from (None when they are the identity).
    """

    original: str
    folded: str
    text: str
    starts: tuple[int, ...] | None
    ends: tuple[int, ...] | None

    @_lazy
    def words(self) -> list[str]:
        return self.text[1:-1].split(" ") if len(self.text) > 2 else []

    @_lazy
    def spans(self) -> list[tuple[int, int]]:
        """Offsets of each word in the original text, [start, end)."""
        raw = [m.span() for m in _TOKEN_RE.finditer(self.folded)]
        if self.starts is None or self.ends is None:
            return raw
        starts, ends = self.starts, self.ends
        return [(starts[s], ends[e - 1]) for s, e in raw]


def fold(text: str) -> tuple[str, tuple[int, ...] | None, tuple[int, ...] | None]:
    """Rule 1 over a whole text: the folded text and its offset maps (None for identity)."""
    if text.isascii():
        return text.translate(_ASCII_TABLE), None, None
    table = {ord(c): _fold_char(c) for c in set(text)}
    if all(len(folded) == 1 for folded in table.values()):
        return text.translate(table), None, None  # every character folds to one: no offset maps
    parts = [_fold_char(c) for c in text]
    starts: list[int] = []
    ends: list[int] = []
    for i, part in enumerate(parts):
        if part:
            starts.extend([i] * len(part))
            ends.extend([i + 1] * len(part))
        elif ends:
            ends[-1] = i + 1
    return "".join(parts), tuple(starts), tuple(ends)


def normalise(text: str) -> Normalised:
    """Apply rules 1–5 to `text`; never raises on any str."""
    source = text
    if "!" in text:
        text = _BANG_RE.sub("i", text)
    if "*" in text:
        text = _STAR_RE.sub(CENSORED, text)
    if "|" in text:
        text = _BAR_RE.sub(lambda m: "l" * len(m.group()), text)
    folded, starts, ends = fold(text)
    # Rules 2–5 act within a word, so each distinct word is worked out once and remembered:
    # most words of a message have been seen before, and a lookup costs far less than the
    # regular expressions (a third of the scan's time when run over the whole text).
    tokens = folded.split()
    known = list(map(_WORDS.get, tokens))
    if None in known:
        fresh = _work_out([t for t, w in zip(tokens, known, strict=True) if w is None])
        words = [fresh[t] if w is None else w for t, w in zip(tokens, known, strict=True)]
    else:
        words = cast(list[str], known)
    if "" in words:  # a run of apostrophes alone is no word
        words = [w for w in words if w]
    return Normalised(source, folded, " " + " ".join(words) + " ", starts, ends)


_WORDS: dict[str, str] = {}  # a folded token -> its word after rules 2–5 ("" for none)
_WORDS_LIMIT = 50_000  # about 10 MB a process when full (tokens of 8 to 40 characters)
_WORD_MAX = 40  # longer tokens are worked out each time, so a flood cannot grow the memo


def _kept(token: str) -> bool:
    """Whether the memo may keep `token`: not too long, and holding no digit, so that no number
    from a message (a phone number's pieces, an address) stays in memory across conversations."""
    return len(token) <= _WORD_MAX and not _DIGIT_RE.search(token)


def _work_out(tokens: list[str]) -> dict[str, str]:
    """Rules 2–5 for runs of kept characters of the folded text that `_WORDS` does not hold:
    {token: its word}, remembered there too (`_kept`). The tokens are worked out together, each
    rule one pass over them joined, so a message of new words costs little more than before the
    memo."""
    stripped = [t.strip("'") for t in tokens]  # rule 2: apostrophes never begin or end a word
    joined = " ".join(s for s in stripped if s)
    if "'" in joined:
        joined = joined.replace("'", "")
    if _LEET_OR_NUMBER_RE.search(joined):  # most texts have neither: one search, not three
        if _LEET_HINT_RE.search(joined):
            joined = " ".join(_deleet_word(w) for w in joined.split(" "))
        if _NUMBER_RE.search(joined):
            joined = _NUMBER_RE.sub("#", joined)
        if _NUMBER_UNIT_RE.search(joined):
            joined = _NUMBER_UNIT_RE.sub("#", joined)
    worked = iter(_REPEAT_RE.sub(_FIRST_GROUP, joined).split(" "))
    fresh = {t: next(worked) if s else "" for t, s in zip(tokens, stripped, strict=True)}
    kept = {t: w for t, w in fresh.items() if _kept(t)}
    if len(_WORDS) + len(kept) > _WORDS_LIMIT:
        _WORDS.clear()
    if len(kept) <= _WORDS_LIMIT:
        _WORDS.update(kept)
    return fresh


def forget_words() -> None:
    """Empty the memo of worked-out words (a benchmark's cold pass; the memo's tests)."""
    _WORDS.clear()


def normalise_words(text: str) -> list[str]:
    """The normalised words of `text` (used for lexicon entries)."""
    return normalise(text).words
