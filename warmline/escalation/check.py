"""Output of `warmline escalation check`: one scan as readable text or as one line of JSON."""

from __future__ import annotations

import json

from warmline.escalation.matcher import CLASSIFIER, Scan


def format_scan_text(text: str, scan: Scan) -> str:
    """Several lines: the level, then each match and each suppressed phrase with its reason.

    Spans are [start, end) offsets into `text`; the matched excerpt is quoted beside each. A rule
    match names the rule, its pattern and the words each part matched; misspelt words are shown
    with the lexicon word they were read as. When the classifier was consulted, a last line gives
    its probability against its threshold and, when it fired, the words that drove it with their
    share of the score; or, when it read a message the rules call crisis as harmless, that, with
    the bound it scored below (the phrases' or the pattern rules').
    """
    lines = [f"{scan.level}: {text!r}"]
    for m in scan.matches:
        if m.rule == CLASSIFIER:
            continue
        s, e = m.span
        what = f"phrase {m.phrase!r}" if m.rule is None else f"rule {m.rule!r} {m.phrase!r}"
        line = f"  match {m.category}/{m.level} {what} ({m.language}) at {s}-{e}: {text[s:e]!r}"
        if m.rule is not None:
            line += " — words " + " + ".join(repr(w) for w in m.words)
        if m.typos:
            line += "; " + ", ".join(f"{t!r} read as {r!r}" for t, r in m.typos)
        lines.append(line)
    for sup in scan.suppressed:
        s, e = sup.span
        lines.append(f"  suppressed phrase {sup.phrase!r} at {s}-{e}: {text[s:e]!r} ({sup.reason})")
    verdict = scan.classifier
    if verdict is not None:
        if verdict.confident:
            drivers = ", ".join(f"{w!r} (+{share:.2f})" for w, share in verdict.drivers)
            lines.append(
                f"  classifier: crisis, p={verdict.probability:.3f} >= threshold "
                f"{verdict.threshold:.3f}; words that drove it: {drivers or '-'}"
            )
        elif verdict.harmless:
            lines.append(
                f"  classifier: harmless, p={verdict.probability:.3f} at most in the message and "
                f"each sentence, below {verdict.bound:g}: the rules' crisis is lowered to concern"
            )
        elif verdict.unfamiliar:
            lines.append(
                f"  classifier: p={verdict.probability:.3f}, not used: most words are unknown "
                "to the model, or none says more than 'and', 'then', 'please' or a letter"
            )
        else:
            lines.append(
                f"  classifier: p={verdict.probability:.3f} below threshold {verdict.threshold:.3f}"
            )
    if not scan.matches:
        why = "every phrase found was suppressed" if scan.suppressed else "no phrase matched"
        lines.append(f"  none: {why}")
    return "\n".join(lines)


def format_scan_json(text: str, scan: Scan) -> str:
    """One line of JSON: text, level, matches and suppressed.

    Each match has SPEC §8's `category`, `level`, `phrase`, `span`, plus `rule` (the rule's name,
    or null for a phrase; `phrase` is then the rule's pattern), `words` (the excerpt each part
    matched) and `typos` (misspelt words and what they were read as). A match the classifier
    made has `category` and `rule` "classifier" and `words` the words that drove it; `classifier`
    is null when the rules decided alone, else its `probability`, `threshold`, `drivers`
    (`[word, share of the score]`, largest first), `unfamiliar` (most words unknown to the
    model, or none more than a joining word or letter, so it did not call crisis) and
    `harmless` (the message and each sentence scored below the model's harmless bound, so the
    rules' crisis was lowered to concern; `probability` is the highest of those scores, and
    `bound` the bound: `harmless` when a phrase found the crisis, `harmless_rules` when only
    pattern rules did; 0 when not harmless).
    """
    verdict = scan.classifier
    return json.dumps(
        {
            "text": text,
            "level": scan.level,
            "matches": [
                {
                    "category": m.category,
                    "level": m.level,
                    "phrase": m.phrase,
                    "span": [m.span[0], m.span[1]],
                    "rule": m.rule,
                    "words": list(m.words),
                    "typos": [{"text": t, "read_as": r} for t, r in m.typos],
                }
                for m in scan.matches
            ],
            "suppressed": [
                {"phrase": s.phrase, "span": [s.span[0], s.span[1]], "reason": s.reason}
                for s in scan.suppressed
            ],
            "classifier": None
            if verdict is None
            else {
                "probability": round(verdict.probability, 4),
                "threshold": verdict.threshold,
                "drivers": [[w, share] for w, share in verdict.drivers],
                "unfamiliar": verdict.unfamiliar,
                "harmless": verdict.harmless,
                "bound": verdict.bound,
            },
        }
    )
