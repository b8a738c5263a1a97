"""The escalation scan's statistical second stage: a logistic regression over a message's words.

Trained in the repository (`scripts/train_escalation_model.py`, scikit-learn, fixed seed) on the
labelled dev corpus, exported as a small text file (`data/escalation_model.txt`) and scored here
in pure Python: dictionary lookups, no numpy.

**Features** of a message, all from its normalised words (`normalise.py`: accents, case,
leetspeak, repeated letters and long numbers folded), each counted once per occurrence:

- ``w:WORD`` — each word;
- ``b:WORD WORD`` — each pair of neighbouring words, with ``^`` before the first and ``$`` after
  the last ("b:^ im", "b:pills $");
- ``s:WORD WORD`` — each pair of words with one word between them ("s:took pills" in "took
  the pills", "s:going kill" in "going to kill"): what a pair misses when one word varies;
- ``c:NGRAM`` — every run of 3 to 5 characters of each word padded with one space either side
  (" kms ", " su", "icid"), so a misspelt or unseen word still carries its pieces' weight.

The model is linear, so a word's own features and its character runs add up to one number per
word, memoised; a message costs one lookup per word and one per pair of either kind. The score is
``bias + sum(weights) / sqrt(words + 1)`` (a long message does not win by length alone), and the
probability is its logistic. `Classifier.verdict` lists which words and pairs drove it (a pair
one word apart as "took _ pills").

**Long messages** are scored as overlapping windows of `WINDOW` words (every `WINDOW // 2`) and
take their highest window: the model learnt from texts of a few dozen words at most, and summed
over hundreds of words any small positive weight grows without bound (8,000 "x"s scored 1.0).
A crisis sentence inside a long message still fills a window of its own.

**Harmless** (`Classifier.harmless`, the model file's `harmless` line; 0 turns it off): the
probability below which the matcher lowers the rules' crisis to concern when the whole message *and
every sentence of it* (`sentences`) score below it. `harmless_rules` (its own line; the same as
`harmless` when left out) is the bound for a crisis found by the lexicon's pattern rules alone
("{holding} ~3 {means_strong}"), which fire on more harmless texts than a phrase ("kill myself")
does: the training script chooses it higher, so the model must agree more before a rule's crisis
stands. Each sentence is scored alone because small talk dilutes a short crisis sentence in the
whole message's score ("my day was ok, got a new plant. i think im going to hang myself tonight"
scores 0.03 whole, far higher alone).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from warmline.escalation.normalise import normalise

MODEL_FILE = "escalation_model.txt"
MIN_GRAM, MAX_GRAM = 3, 5
WINDOW = 32  # words; the labelled messages the model learnt from have at most 28
_CACHE_LIMIT = 200_000
_HEADER = "# warmline escalation model"
# Where a message is cut into sentences for `sentences`: after . ! ? ; or an ellipsis, at line
# breaks, and around the words that turn a message from small talk to what it is about.
_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?;\u2026])\s+|\n+|\s+(?:but|pero|anyway|anyways|although|aunque|also|tho|though)\s+",
    re.IGNORECASE,
)
MIN_SENTENCE_WORDS = 3  # a shorter piece ("ok.", "lol") says nothing on its own
_HEAD_KEYS = ("bias", "threshold", "harmless", "harmless_rules")
# Words that say nothing alone, normalised (`normalise` folds doubled letters): joining words,
# articles, "here" and "then", and the word "please". Common in long crisis messages, they carry
# weight in the model ("y" 2.1, "and" 0.9, "please" 2.9: people in crisis plead), and a text of
# nothing else ("and then?", "y", "x here", "please", the commonest first text) reached the
# threshold on them; single letters count too ("x x x ...").
CONTENTLESS = frozenset(
    "a an the and or nor but so then than also to of here there please pls plz "
    "el la lo los las un una unos unas y e o u ni pero entonces luego aqui aca ahi ali ala "
    "porfa porfis".split()
)


# The feature kinds looked up by word pair on every scan (neighbours, one word apart).
PAIR_KINDS = ("b:", "s:")


class ModelError(ValueError):
    """A model file that cannot be read; the message names the file and line."""


def word_features(word: str) -> Iterator[str]:
    """The features a single word contributes: itself and its padded character runs."""
    yield "w:" + word
    padded = " " + word + " "
    size = len(padded)
    for n in range(MIN_GRAM, MAX_GRAM + 1):
        for i in range(size - n + 1):
            yield "c:" + padded[i : i + n]


def pair_features(words: list[str]) -> Iterator[str]:
    """The neighbouring-word features of a message's words, start and end marked."""
    padded = ["^", *words, "$"]
    for a, b in zip(padded, padded[1:], strict=False):
        yield "b:" + a + " " + b


def skip_features(words: list[str]) -> Iterator[str]:
    """The features of each pair of words one word apart."""
    for a, b in zip(words, words[2:], strict=False):
        yield "s:" + a + " " + b


def features(words: list[str]) -> dict[str, float]:
    """Every feature of a message's words with its value (count / sqrt(words + 1)); the same
    vector the model is trained on."""
    counts: dict[str, float] = {}
    for word in words:
        for f in word_features(word):
            counts[f] = counts.get(f, 0.0) + 1.0
    for f in pair_features(words):
        counts[f] = counts.get(f, 0.0) + 1.0
    for f in skip_features(words):
        counts[f] = counts.get(f, 0.0) + 1.0
    scale = 1.0 / math.sqrt(len(words) + 1)
    return {f: c * scale for f, c in counts.items()}


@dataclass(frozen=True)
class Verdict:
    """The classifier's view of one message: probability of crisis, whether it reaches the
    threshold, and the words and pairs that pushed it up most, each with its share of the
    score (weight / sqrt(words + 1)), largest first. `unfamiliar` when most of the words it
    scored are not in the model's vocabulary ("word1 word2 ... word700"): its probability is
    then the sum of word pieces it never learnt to read, and it does not call crisis; likewise
    when every word is `CONTENTLESS` ("and then?", "please", "x x x"): weights such words gained
    from long messages are no evidence alone.
    `harmless` when the matcher lowered the rules' crisis because the message and each of its
    sentences scored below `bound`, the model's harmless bound for what found the crisis (a
    phrase: `Classifier.harmless`; only pattern rules: `Classifier.harmless_rules`);
    `probability` is then the highest of those scores."""

    probability: float
    threshold: float
    drivers: tuple[tuple[str, float], ...] = ()
    unfamiliar: bool = False
    harmless: bool = False
    bound: float = 0.0

    @property
    def confident(self) -> bool:
        return not self.unfamiliar and self.probability >= self.threshold


class _WordWeights(dict[str, float]):
    """Each word's summed feature weight, computed on first lookup (`__missing__`, so a scan
    maps `__getitem__` over its words with no test for the unseen ones), at most `_CACHE_LIMIT`
    words."""

    def __init__(self, weights: dict[str, float]) -> None:
        super().__init__()
        self._weights = weights

    def __missing__(self, word: str) -> float:
        get = self._weights.get
        value = sum(get(f, 0.0) for f in word_features(word))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[word] = value
        return value


class Classifier:
    """A trained model: `bias`, feature `weights`, and the `threshold` on the probability at
    which the scan calls a message crisis, and the `harmless` bound below which it lowers the
    rules' crisis, `harmless_rules` when only pattern rules found it (all chosen by
    cross-validation on the dev half; 0 never lowers; `harmless_rules` defaults to `harmless`)."""

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        threshold: float,
        harmless: float = 0.0,
        harmless_rules: float | None = None,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.harmless = harmless
        self.harmless_rules = harmless if harmless_rules is None else harmless_rules
        self._words = _WordWeights(weights)
        self._known = frozenset(f[2:] for f in weights if f.startswith("w:"))
        # The pair weights keyed by (first, second) word: the tuples `zip` makes anyway, so a
        # pair costs one lookup and no string building, which was most of the scan's cost.
        self._pairs: dict[tuple[str, str], float] = {}
        self._skips: dict[tuple[str, str], float] = {}  # likewise, words one word apart
        for feature, value in weights.items():
            if feature.startswith(PAIR_KINDS):
                first, _, second = feature[2:].partition(" ")
                (self._pairs if feature[0] == "b" else self._skips)[first, second] = value

    def probability(self, words: list[str]) -> float:
        """P(crisis) for a message's normalised words: of its likeliest window when it is longer
        than `WINDOW` words."""
        return self.verdict(words, top=0).probability

    def familiar(self, words: list[str]) -> bool:
        """At least half the words are in the model's vocabulary: it learnt to read them."""
        return 2 * sum(map(self._known.__contains__, words)) >= len(words)

    @staticmethod
    def says_something(words: list[str]) -> bool:
        """Some word is more than a joining word, article or single letter (`CONTENTLESS`)."""
        return any(len(word) > 1 for word in set(words).difference(CONTENTLESS))

    def highest(self, pieces: Iterable[list[str]]) -> float:
        """The highest probability of any of `pieces` (a message's words and its `sentences`)."""
        return max((self.probability(words) for words in pieces), default=0.0)

    def verdict(self, words: list[str], top: int = 5) -> Verdict:
        """`probability` with, when it reaches the threshold, the `top` words or pairs that
        raised it most (in the likeliest window of a long message)."""
        get = self._pairs.get
        start, end = 0, len(words)
        if len(words) <= WINDOW:  # most messages: sums straight from the lookups, no lists
            total = sum(map(self._words.__getitem__, words))
            total += sum(map(get, zip(["^", *words], words, strict=False), repeat(0.0, end)))
            total += get((words[-1] if words else "^", "$"), 0.0)
            total += sum(map(self._skips.get, zip(words, words[2:], strict=False), repeat(0.0)))
            best = total / math.sqrt(len(words) + 1)
        else:
            ws = list(map(self._words.__getitem__, words))
            pairs = self._pair_weights(words)  # pairs[i]: words[i-1], words[i]; [0]: "^ w0"
            skips = self._skip_weights(words)  # skips[i]: words[i-2], words[i]; 0 for i < 2
            # Every window's sum from the same per-word and pair weights: a window [s, e) holds
            # the weights of words s..e-1, the pairs inside it, and its own start and end pairs.
            best = -math.inf
            for s, e in window_bounds(len(words)):
                total = sum(ws[s:e]) + sum(pairs[s + 1 : e]) + sum(skips[s + 2 : e])
                total += get(("^", words[s]), 0.0) + get((words[e - 1], "$"), 0.0)
                if total / math.sqrt(e - s + 1) > best:
                    best, start, end = total / math.sqrt(e - s + 1), s, e
        probability = _sigmoid(self.bias + best)
        if top <= 0 or probability < self.threshold:
            return Verdict(probability, self.threshold)
        window = words[start:end]
        if not self.familiar(window) or not self.says_something(window):
            return Verdict(probability, self.threshold, unfamiliar=True)
        if len(words) <= WINDOW:  # the long branch has them already
            pairs = self._pair_weights(words)
            skips = self._skip_weights(words)
        scale = 1.0 / math.sqrt(end - start + 1)
        weight_of = self._words.__getitem__
        parts = {
            word: weight_of(word) * count * scale
            for word, count in Counter(words[start:end]).items()
        }
        for i in range(start + 1, end):
            if pairs[i] > 0:  # a pair that lowers the score is never one of the drivers
                pair = words[i - 1] + " " + words[i]
                parts[pair] = parts.get(pair, 0.0) + pairs[i] * scale
            if i > start + 1 and skips[i] > 0:
                skip = words[i - 2] + " _ " + words[i]  # "_": any one word between
                parts[skip] = parts.get(skip, 0.0) + skips[i] * scale
        if end > start:  # the start and end pairs ("^ word", "word $") count for their word
            for word, edge in (
                (words[start], ("^", words[start])),
                (words[end - 1], (words[end - 1], "$")),
            ):
                weight = get(edge, 0.0)
                if weight:
                    parts[word] = parts.get(word, 0.0) + weight * scale
        drivers = sorted(parts.items(), key=itemgetter(1), reverse=True)[:top]
        return Verdict(
            probability,
            self.threshold,
            tuple((k, round(v, 3)) for k, v in drivers if v > 0),
        )

    def _pair_weights(self, words: list[str]) -> list[float]:
        """The weight of each word's pair with the one before it ("^" before the first)."""
        pairs = zip(["^", *words], words, strict=False)
        return list(map(self._pairs.get, pairs, repeat(0.0, len(words))))

    def _skip_weights(self, words: list[str]) -> list[float]:
        """The weight of each word's pair with the word two before it (0 for the first two)."""
        skips = zip(words, words[2:], strict=False)
        return [0.0, 0.0, *map(self._skips.get, skips, repeat(0.0))][: len(words)]


def sentences(text: str) -> list[list[str]]:
    """The normalised words of each sentence of `text` of at least `MIN_SENTENCE_WORDS` words,
    when it has more than one."""
    parts = [normalise(part).words for part in _SENTENCE_BREAK.split(text) if part]
    if len(parts) < 2:
        return []
    return [words for words in parts if len(words) >= MIN_SENTENCE_WORDS]


def window_bounds(size: int) -> Iterator[tuple[int, int]]:
    """[start, end) of overlapping runs of `WINDOW` words in a message of `size` words, every
    `WINDOW // 2`, the last one ending the message."""
    step = WINDOW // 2
    last = size - WINDOW
    for start in range(0, last, step):
        yield start, start + WINDOW
    yield last, size


def windows(words: list[str]) -> Iterator[list[str]]:
    """The words of each window of `window_bounds`."""
    for start, end in window_bounds(len(words)):
        yield words[start:end]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def dump_model(
    weights: dict[str, float],
    bias: float,
    threshold: float,
    notes: str,
    harmless: float = 0.0,
    harmless_rules: float | None = None,
) -> str:
    """The model file's text: a header, `bias`, `threshold`, `harmless`, `harmless_rules` (when
    given), then one `weight<TAB>feature` a line, features sorted, weights with 5 significant
    digits; `notes` become comment lines."""
    lines = [_HEADER]
    lines += [f"# {line}".rstrip() for line in notes.splitlines()]
    lines.append(f"bias\t{bias:.6g}")
    lines.append(f"threshold\t{threshold:.6g}")
    lines.append(f"harmless\t{harmless:.6g}")
    if harmless_rules is not None:
        lines.append(f"harmless_rules\t{harmless_rules:.6g}")
    for feature in sorted(weights):
        lines.append(f"{weights[feature]:.5g}\t{feature}")
    return "\n".join(lines) + "\n"


def parse_model(lines: Iterable[str], source: str) -> Classifier:
    """A `Classifier` from a model file's lines; `ModelError` ("source:line: why") if malformed.
    `harmless` may be left out (a model file of before it: it never lowers the rules), and
    `harmless_rules` (a model file of before it: one bound for every crisis)."""
    weights: dict[str, float] = {}
    head: dict[str, float] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        value, tab, feature = line.partition("\t")
        try:
            number_value = float(feature if value in _HEAD_KEYS else value)
        except ValueError:
            raise ModelError(f"{source}:{number}: not '<weight>\\t<feature>'") from None
        if not tab or not feature:
            raise ModelError(f"{source}:{number}: not '<weight>\\t<feature>'")
        if value in _HEAD_KEYS:
            head[value] = number_value
        else:
            weights[feature] = number_value
    if not {"bias", "threshold"} <= set(head):
        raise ModelError(f"{source}: bias or threshold missing")
    harmless = head.get("harmless", 0.0)
    harmless_rules = head.get("harmless_rules", harmless)
    for name, bound in (("harmless", harmless), ("harmless_rules", harmless_rules)):
        if not 0.0 <= bound < head["threshold"]:
            raise ModelError(f"{source}: {name} {bound} is not between 0 and the threshold")
    if harmless_rules < harmless:  # what only pattern rules found is never held more firmly
        raise ModelError(f"{source}: harmless_rules {harmless_rules} is below harmless {harmless}")
    return Classifier(weights, head["bias"], head["threshold"], harmless, harmless_rules)


def load_model(path: str | Path | None = None) -> Classifier:
    """The model at `path`, or the one shipped in the package."""
    if path is None:
        ref = resources.files("warmline.escalation") / "data" / MODEL_FILE
        text = ref.read_text(encoding="utf-8")
        return parse_model(text.splitlines(), MODEL_FILE)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: cannot read: {exc}") from exc
    return parse_model(text.splitlines(), str(path))
