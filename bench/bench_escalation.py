"""Escalation scan throughput: `Matcher.scan` against a naive regular-expression baseline.

Usage: .venv/bin/python bench/bench_escalation.py [--messages N] [--runs R]
                                                  [--baseline-messages B]

The corpus is generated deterministically (seed 1): mostly ordinary support texts of mixed
length (a few words to a few hundred characters, some with emoji, Spanish or typos) and about
5% crisis messages. The baseline is one compiled regular expression: every expanded lexicon
phrase (as written, "#" as \\d+), escaped, longest first, then every rule pattern (each part an
alternation of its values, each gap ~N as up to N words), joined with "|", wrapped in
\\b...\\b, IGNORECASE, applied with `findall`; it has no normalisation, negation, idioms or
typos, so it does less work than the matcher. Each figure is the median of R timed passes over
the corpus, on one core, after one warm-up pass, per CPU second of this process
(`time.process_time`, which load from other processes disturbs less than wall-clock time, also
shown). The baseline is so
slow (tens of milliseconds a message) that it runs on the first --baseline-messages messages of
the same corpus only; the matcher is timed on that subset too. A last line times the matcher on
the distinct messages of tests/unit/data/escalation_eval*.txt with a new Matcher for each pass
and normalisation's word memo emptied, so that no word is memoised ("cold").

`Matcher.scan` is the detector `bootstrap.make_scanner` builds: rules plus the classifier
(second stage, issue 12); "rules only" lines time the same matcher without it, in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warmline.escalation.classifier import Classifier, load_model  # noqa: E402
from warmline.escalation.lexicon import Lexicon, default_lexicon_path, load_lexicon  # noqa: E402
from warmline.escalation.matcher import Matcher  # noqa: E402
from warmline.escalation.normalise import forget_words  # noqa: E402

ORDINARY = [
    "hi is anyone there",
    "I'm so lonely tonight",
    "work is killing me and I can't sleep",
    "my girlfriend broke up with me last week and I keep thinking about her",
    "I had a really rough day at school, everyone ignored me at lunch",
    "thanks for listening, I feel a bit better now 🙂",
    "I'm stressed about money, rent is due on Friday and I don't have it",
    "my mom is in the hospital again and I'm scared",
    "estoy muy triste y no sé con quién hablar",
    "me siento solo desde que me mudé",
    "I can't stop overthinking everything I said at the party",
    "ok",
    "yeah",
    "I miss my dad so much, it's been a year since he passed",
    "my anxiety is through the roof today 😭😭",
    "I feel like nobody understands me, not even my friends",
    "I just need to vent for a minute if that's ok",
    "my therapist cancelled on me again and I don't know what to do",
    "I'm dying to get out of this job lol",
    "my boss yelled at me in front of everyone today",
    "i feel so stuck",
    "I'm not suicidal, just really tired of everything going wrong",
    "can I talk to someone please",
    "I haven't slept properly in days and I'm starting to feel numb",
    "my roommate keeps bringing people over and I can't relax in my own home",
]
CRISIS = [
    "im gonna finally end it tonight",
    "my roommate says shes going to kill herself",
    "took everything in the medicine cabinet",
    "hoy en la noche cuando todos duerman lo hago",
    "i wnat to dei, i have the rope tied already",
    "I want to kill myself",
    "i took all my pills",
    "I'm thinking about suicide tonight",
    "me quiero morir",
    "kms",
    "he hit me again and I'm scared",
    "i took 30 tylenol",
    "I'm going to jump off the bridge",
]
FILLER = (
    "and I don't know why, it's just been a lot lately with everything going on at home and at "
    "work, I keep telling myself it will get better but honestly some days it doesn't"
).split()


def corpus(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        base = rng.choice(CRISIS) if rng.random() < 0.05 else rng.choice(ORDINARY)
        extra = rng.choice([0, 0, 0, 5, 12, 30, 60])
        if extra:
            start = rng.randrange(len(FILLER))
            words = [FILLER[(start + i) % len(FILLER)] for i in range(extra)]
            base = (
                f"{base} {' '.join(words)}" if rng.random() < 0.5 else f"{' '.join(words)}. {base}"
            )
        out.append(base)
    return out


def _atom_regex(words: tuple[str, ...], prefix: bool) -> str:
    body = r"\W+".join(re.escape(w).replace("\\#", "#").replace("#", r"\d+") for w in words)
    return body + (r"\w*" if prefix else "")


def baseline(lexicon: Lexicon) -> Callable[[str], list[str]]:
    """One regex: every expanded phrase, then every rule pattern (each part an alternation of
    its values, each gap `~N` as up to N words)."""
    texts = sorted({p.text.rstrip("*") for p in lexicon.phrases}, key=len, reverse=True)
    alternatives = [re.escape(t).replace("\\#", "#").replace("#", r"\d+") for t in texts]
    for rule in lexicon.rules:
        regex = ""
        for i, part in enumerate(rule.parts):
            atoms = "|".join(sorted(_atom_regex(w, p) for w, p in part.atoms))
            if i:
                regex += r"\W+(?:\w+\W+){0," + str(part.gap) + "}"
            regex += f"(?:{atoms})"
        alternatives.append(regex)
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    return pattern.findall


def rate(
    scan: Callable[[str], object], messages: list[str], runs: int
) -> tuple[float, float, float]:
    """(messages per CPU second, CPU µs per message, messages per wall-clock second), medians."""
    for text in messages:
        scan(text)
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for text in messages:
            scan(text)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    median = statistics.median(cpu)
    return (
        len(messages) / median,
        median / len(messages) * 1e6,
        len(messages) / statistics.median(wall),
    )


def labelled_texts() -> list[str]:
    """The messages of the labelled sets in tests/unit/data (all distinct, written as people
    text a warmline), for a figure with no repeated message."""
    texts: list[str] = []
    data = Path(__file__).resolve().parents[1] / "tests" / "unit" / "data"
    for path in sorted(data.glob("escalation_eval*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line.split(" | ")[-1])
    return texts


def rate_cold(
    lexicon: Lexicon,
    messages: list[str],
    runs: int,
    make_model: Callable[[], Classifier] | None,
) -> tuple[float, float, float]:
    """Like `rate`, but each pass uses a new Matcher (and a new classifier from `make_model`) and
    starts with normalisation's word memo empty, so no word's normal form, typo lookup or
    classifier weight is memoised (the build itself is not timed)."""
    cpu, wall = [], []
    for _ in range(runs):
        scan = Matcher(lexicon, None if make_model is None else make_model()).scan
        forget_words()
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for text in messages:
            scan(text)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    median = statistics.median(cpu)
    return (
        len(messages) / median,
        median / len(messages) * 1e6,
        len(messages) / statistics.median(wall),
    )


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-messages", type=int, default=300)
    args = parser.parse_args()

    lexicon = load_lexicon(default_lexicon_path())
    start = time.perf_counter()
    rules_only = Matcher(lexicon)
    build_rules = time.perf_counter() - start
    start = time.perf_counter()
    model = load_model()
    matcher = Matcher(lexicon, model)  # what bootstrap.make_scanner builds: rules + classifier
    build_matcher = time.perf_counter() - start
    start = time.perf_counter()
    naive = baseline(lexicon)
    build_naive = time.perf_counter() - start
    messages = corpus(args.messages)
    crisis = sum(matcher.scan(t).level == "crisis" for t in messages)

    print(f"python {platform.python_version()}, {cpu_model()}")
    print(
        f"corpus: {len(messages)} messages, mean {statistics.mean(map(len, messages)):.0f} chars, "
        f"{crisis / len(messages):.1%} crisis; lexicon: {len(lexicon.phrases)} expanded phrases, "
        f"{len(lexicon.rules)} rule patterns"
    )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'scanner':<26} {'messages':>8} {'msgs/cpu-s':>11} {'cpu µs/msg':>10} "
        f"{'msgs/wall-s':>11} {'build s':>8}"
    )
    for name, scan, build, sample in (
        ("Matcher.scan", matcher.scan, build_matcher, messages),
        ("Matcher.scan, rules only", rules_only.scan, build_rules, messages),
        ("naive regex alternation", naive, build_naive, messages[: args.baseline_messages]),
        (
            "Matcher.scan (same subset)",
            matcher.scan,
            build_matcher,
            messages[: args.baseline_messages],
        ),
    ):
        per_second, micros, wall = rate(scan, sample, args.runs)
        print(
            f"{name:<26} {len(sample):>8} {per_second:>11,.0f} {micros:>10.1f} "
            f"{wall:>11,.0f} {build:>8.2f}"
        )
    distinct = labelled_texts()
    if distinct:
        for name, m in (("Matcher.scan, cold, eval", load_model), ("rules only, cold, eval", None)):
            per_second, micros, wall = rate_cold(lexicon, distinct, args.runs, m)
            print(
                f"{name:<26} {len(distinct):>8} {per_second:>11,.0f} "
                f"{micros:>10.1f} {wall:>11,.0f} {build_matcher:>8.2f}"
            )


if __name__ == "__main__":
    main()
