"""The escalation lexicon: loading and validating `config/escalation.toml`.

The file's own header documents its format for coordinators. In short:

- `[phrases.<category>.<level>]` holds lists of phrases per language code (`en = [...]`,
  `es = [...]`); `<level>` is `crisis` or `concern`; `<category>` is lower-case letters and `_`.
- A phrase is matched as whole words after normalisation (`normalise.py`). `{slot}` stands for
  each value of `[slots].slot` in turn; `#` stands for any whole number of 10 or more; a `*` at
  the end of the last word matches any ending of that word ("overdos*").
- `[fuzzy] spellings`: informal spellings read as a word (`kiero = "quiero"`).
- `[sets]` is more of `[slots]` (the word sets rules use; a name may be in only one of them).
- `[[rules]]`: named patterns with a `category`, a `level` and lists of patterns per language.
  A pattern is a sequence of parts separated by spaces: a literal word (`*` at its end for any
  ending), `{slot}` (any value of that slot, each value one or more words), and `~N` between two
  parts, which lets up to N other words (0-8) come between them: `{going_to} ~3 {self_act}`.
  `unless = [...]` lists phrases that, anywhere in the message, cancel the rule ("as prescribed").
- `[negation] cues` and `clause_breaks`, `past` (phrases that put what follows in the past),
  `recovered` and `topic` (phrases of present safety, or of talking about the subject, that
  lower a crisis in the same message to concern),
  `inverted` (words after which a clause break does not end the clause: "never would I"),
  `[idioms] <lang>`, `[fuzzy] ignore`, `[settings]`.

Every problem raises `LexiconError` with one line naming the file and the entry.
"""

from __future__ import annotations

import itertools
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warmline.escalation.normalise import normalise_words
from warmline.escalation.rule_format import Atom, Part, Rule, parse_pattern, phrase_words

__all__ = [
    "Atom",
    "Idiom",
    "Lexicon",
    "LexiconError",
    "Part",
    "Phrase",
    "Rule",
    "default_lexicon_path",
    "load_lexicon",
]

LEVELS = ("crisis", "concern")
_SECTIONS = {"settings", "negation", "idioms", "fuzzy", "slots", "sets", "phrases", "rules"}
_RULE_KEYS = {"name", "category", "level", "negatable", "unless"}
_NAME_RE = re.compile(r"^[a-z][a-z_]*$")
_LANG_RE = re.compile(r"^[a-z]{2}$")
_SLOT_RE = re.compile(r"\{([^{}]*)\}")
_RULE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class LexiconError(ValueError):
    """The lexicon file is unreadable or has a bad entry; the message is one line."""


@dataclass(frozen=True)
class Phrase:
    """One phrase after slot expansion. `words` are normalised; `prefix` means a trailing `*`."""

    text: str
    words: tuple[str, ...]
    prefix: bool
    category: str
    level: str
    language: str
    source: str


@dataclass(frozen=True)
class Idiom:
    text: str
    words: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class Lexicon:
    path: Path
    phrases: tuple[Phrase, ...]
    idioms: tuple[Idiom, ...]
    negation_cues: frozenset[str]
    clause_breaks: frozenset[str]
    fuzzy_ignore: frozenset[str]
    negation_window: int
    fuzzy_min_length: int
    rules: tuple[Rule, ...] = ()
    past_cues: tuple[tuple[str, ...], ...] = ()
    past_window: int = 2
    recovered: tuple[tuple[str, ...], ...] = ()
    topic: tuple[tuple[str, ...], ...] = ()
    inverted: frozenset[str] = frozenset()
    spellings: dict[str, str] = field(default_factory=dict)


def default_lexicon_path() -> Path:
    """`<repo>/config/escalation.toml`."""
    return Path(__file__).resolve().parents[2] / "config" / "escalation.toml"


def load_lexicon(path: str | os.PathLike[str]) -> Lexicon:
    """Read and validate the lexicon at `path`; raises `LexiconError` on any problem."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise LexiconError(f"{path}: cannot read: {e.strerror or e}") from e
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{path}: invalid TOML: {e}") from e
    return _Loader(path).build(data)


class _Loader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, why: str) -> LexiconError:
        return LexiconError(f"{self.path}: {where}: {why}")

    def table(self, data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        return value

    def strings(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(where, "must be a list of strings")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}[{i}]", f"must be a non-empty string, got {item!r}")
        return value

    def words(self, values: list[str], where: str, single: bool = False) -> list[tuple[str, ...]]:
        out = []
        for i, value in enumerate(values):
            words = tuple(normalise_words(value))
            if not words:
                raise self.fail(f"{where}[{i}]", f"{value!r} has no letters or digits")
            if single and len(words) != 1:
                raise self.fail(f"{where}[{i}]", f"{value!r} must be a single word")
            out.append(words)
        return out

    def integer(self, settings: dict[str, Any], key: str, default: int, low: int) -> int:
        value = settings.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self.fail(f"settings.{key}", f"must be an integer >= {low}, got {value!r}")
        return value

    def build(self, data: dict[str, Any]) -> Lexicon:
        for key in data:
            if key not in _SECTIONS:
                raise self.fail(key, f"unknown section (expected one of {sorted(_SECTIONS)})")
        settings = self.table(data, "settings", "settings")
        for key in settings:
            if key not in ("negation_window", "fuzzy_min_length", "past_window"):
                raise self.fail(f"settings.{key}", "unknown setting")
        negation = self.table(data, "negation", "negation")
        for key in negation:
            if key not in ("cues", "clause_breaks", "past", "recovered", "topic", "inverted"):
                raise self.fail(
                    f"negation.{key}",
                    "unknown key (expected cues, clause_breaks, past, recovered, topic, inverted)",
                )
        fuzzy = self.table(data, "fuzzy", "fuzzy")
        for key in fuzzy:
            if key not in ("ignore", "spellings"):
                raise self.fail(f"fuzzy.{key}", "unknown key (expected ignore, spellings)")
        cues = self.strings(negation.get("cues", []), "negation.cues")
        breaks = self.strings(negation.get("clause_breaks", []), "negation.clause_breaks")
        past = self.strings(negation.get("past", []), "negation.past")
        recovered = self.strings(negation.get("recovered", []), "negation.recovered")
        topic = self.strings(negation.get("topic", []), "negation.topic")
        inverted = self.strings(negation.get("inverted", []), "negation.inverted")
        ignore = self.strings(fuzzy.get("ignore", []), "fuzzy.ignore")
        spellings = self.spellings(self.table(fuzzy, "spellings", "fuzzy.spellings"))
        slots = self.slots(self.table(data, "slots", "slots"), "slots")
        for name, values in self.slots(self.table(data, "sets", "sets"), "sets").items():
            if name in slots:
                raise self.fail(f"sets.{name}", "is also defined under [slots]")
            slots[name] = values
        rules = self.rules(data.get("rules", []), slots)
        phrases = self.phrases(self.table(data, "phrases", "phrases"), slots, bool(rules))
        return Lexicon(
            path=self.path,
            phrases=phrases,
            rules=rules,
            idioms=self.idioms(self.table(data, "idioms", "idioms")),
            negation_cues=frozenset(w[0] for w in self.words(cues, "negation.cues", True)),
            clause_breaks=frozenset(
                w[0] for w in self.words(breaks, "negation.clause_breaks", True)
            ),
            fuzzy_ignore=frozenset(w[0] for w in self.words(ignore, "fuzzy.ignore", True)),
            negation_window=self.integer(settings, "negation_window", 3, 0),
            past_cues=tuple(self.words(past, "negation.past")),
            past_window=self.integer(settings, "past_window", 2, 0),
            recovered=tuple(self.words(recovered, "negation.recovered")),
            topic=tuple(self.words(topic, "negation.topic")),
            inverted=frozenset(w[0] for w in self.words(inverted, "negation.inverted", True)),
            spellings=spellings,
            fuzzy_min_length=self.integer(settings, "fuzzy_min_length", 4, 3),
        )

    def spellings(self, table: dict[str, Any]) -> dict[str, str]:
        out = {}
        for key, value in table.items():
            where = f"fuzzy.spellings.{key}"
            if not isinstance(value, str):
                raise self.fail(where, f"must be a string, got {value!r}")
            word, target = normalise_words(key), normalise_words(value)
            if len(word) != 1 or len(target) != 1:
                raise self.fail(where, f"{key!r} and {value!r} must each be a single word")
            out[word[0]] = target[0]
        return out

    def slots(self, table: dict[str, Any], section: str) -> dict[str, list[str]]:
        slots = {}
        for name, values in table.items():
            if not _NAME_RE.match(name):
                raise self.fail(f"{section}.{name}", "slot names are lower-case letters and _")
            slots[name] = self.strings(values, f"{section}.{name}")
            for i, value in enumerate(values):
                if "{" in value or "}" in value:
                    raise self.fail(f"{section}.{name}[{i}]", f"{value!r}: slots cannot nest")
        return slots

    def idioms(self, table: dict[str, Any]) -> tuple[Idiom, ...]:
        out = []
        for lang, values in table.items():
            where = f"idioms.{lang}"
            if not _LANG_RE.match(lang):
                raise self.fail(where, "keys are two-letter language codes (en, es, ...)")
            texts = self.strings(values, where)
            for text, words in zip(texts, self.words(texts, where), strict=True):
                out.append(Idiom(text, words, lang))
        return tuple(out)

    def phrases(
        self, table: dict[str, Any], slots: dict[str, list[str]], have_rules: bool = False
    ) -> tuple[Phrase, ...]:
        seen: dict[tuple[tuple[str, ...], bool], Phrase] = {}
        for category, levels in table.items():
            if not _NAME_RE.match(category):
                raise self.fail(
                    f"phrases.{category}", "category names are lower-case letters and _"
                )
            if not isinstance(levels, dict):
                raise self.fail(f"phrases.{category}", "must be a table of levels")
            for level, langs in levels.items():
                where = f"phrases.{category}.{level}"
                if level not in LEVELS:
                    raise self.fail(where, f"unknown level {level!r} (expected crisis or concern)")
                if not isinstance(langs, dict):
                    raise self.fail(where, "must be a table of languages (en = [...])")
                for lang, values in langs.items():
                    if not _LANG_RE.match(lang):
                        raise self.fail(f"{where}.{lang}", "keys are two-letter language codes")
                    for i, raw in enumerate(self.strings(values, f"{where}.{lang}")):
                        source = f"{where}.{lang}[{i}]"
                        for phrase in self.expand(raw, source, slots, category, level, lang):
                            key = (phrase.words, phrase.prefix)
                            other = seen.get(key)
                            if other is None:
                                seen[key] = phrase
                            elif (other.category, other.level) != (category, level):
                                raise self.fail(
                                    source,
                                    f"{phrase.text!r} is also {other.category}/{other.level} "
                                    f"at {other.source}",
                                )
        if not seen and not have_rules:
            raise self.fail("phrases", "no phrases or rules defined")
        return tuple(seen.values())

    def expand(
        self,
        raw: str,
        source: str,
        slots: dict[str, list[str]],
        category: str,
        level: str,
        lang: str,
    ) -> list[Phrase]:
        names = _SLOT_RE.findall(raw)
        for name in names:
            if name not in slots:
                raise self.fail(source, f"{raw!r} uses unknown slot {{{name}}}")
        pieces = _SLOT_RE.split(raw)
        out = []
        for combo in itertools.product(*(slots[n] for n in names)):
            text = "".join(p if i % 2 == 0 else combo[i // 2] for i, p in enumerate(pieces))
            text = " ".join(text.split())
            if "{" in text or "}" in text:
                raise self.fail(source, f"{raw!r} has an unbalanced brace")
            prefix = text.endswith("*")
            body = text[:-1] if prefix else text
            if "*" in body:
                raise self.fail(source, f"{raw!r}: '*' is only allowed at the very end")
            words = phrase_words(body)
            if not words:
                raise self.fail(source, f"{raw!r} has no letters or digits")
            out.append(Phrase(text, tuple(words), prefix, category, level, lang, source))
        return out

    def rules(self, value: Any, slots: dict[str, list[str]]) -> tuple[Rule, ...]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail("rules", "must be an array of tables ([[rules]])")
        out: list[Rule] = []
        names: set[str] = set()
        for number, entry in enumerate(value):
            where = f"rules[{number}]"
            name = entry.get("name")
            if not isinstance(name, str) or not _RULE_NAME_RE.match(name):
                raise self.fail(
                    where, f"needs a name of lower-case letters, digits, - and _, got {name!r}"
                )
            where = f"rules.{name}"
            if name in names:
                raise self.fail(where, "a rule of that name is already defined")
            names.add(name)
            category, level = entry.get("category"), entry.get("level")
            if not isinstance(category, str) or not _NAME_RE.match(category):
                raise self.fail(
                    where, f"category must be lower-case letters and _, got {category!r}"
                )
            if level not in LEVELS:
                raise self.fail(where, f"unknown level {level!r} (expected crisis or concern)")
            negatable = entry.get("negatable", True)
            if not isinstance(negatable, bool):
                raise self.fail(f"{where}.negatable", f"must be true or false, got {negatable!r}")
            unless: set[Atom] = set()
            for i, raw in enumerate(self.strings(entry.get("unless", []), f"{where}.unless")):
                for phrase in self.expand(raw, f"{where}.unless[{i}]", slots, category, level, ""):
                    unless.add((phrase.words, phrase.prefix))
            patterns = 0
            for key, values in entry.items():
                if key in _RULE_KEYS:
                    continue
                if not _LANG_RE.match(key):
                    raise self.fail(
                        f"{where}.{key}",
                        "unknown key (expected name, category, level, negatable, unless or a "
                        "two-letter language code)",
                    )
                for i, raw in enumerate(self.strings(values, f"{where}.{key}")):
                    source = f"{where}.{key}[{i}]"
                    parts = parse_pattern(raw, source, slots, self.fail)
                    out.append(
                        Rule(
                            name,
                            " ".join(raw.split()),
                            parts,
                            category,
                            level,
                            key,
                            negatable,
                            source,
                            frozenset(unless),
                        )
                    )
                    patterns += 1
            if not patterns:
                raise self.fail(where, "has no patterns (add en = [...] or es = [...])")
        return tuple(out)
