"""Output of `warmline escalation check`: one scan as readable text or as one line of JSON."""

from __future__ import annotations

import json

from warmline.escalation.matcher import Scan


def format_scan_text(text: str, scan: Scan) -> str:
    """Several lines: the level, then each match and each suppressed phrase with its reason.

    Spans are [start, end) offsets into `text`; the matched excerpt is quoted beside each.
    """
    lines = [f"{scan.level}: {text!r}"]
    for m in scan.matches:
        s, e = m.span
        lines.append(
            f"  match {m.category}/{m.level} phrase {m.phrase!r} ({m.language}) "
            f"at {s}-{e}: {text[s:e]!r}"
        )
    for sup in scan.suppressed:
        s, e = sup.span
        lines.append(f"  suppressed phrase {sup.phrase!r} at {s}-{e}: {text[s:e]!r} ({sup.reason})")
    if not scan.matches:
        why = "every phrase found was suppressed" if scan.suppressed else "no phrase matched"
        lines.append(f"  none: {why}")
    return "\n".join(lines)


def format_scan_json(text: str, scan: Scan) -> str:
    """One line of JSON: text, level, matches (category, level, phrase, span) and suppressed."""
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
                }
                for m in scan.matches
            ],
            "suppressed": [
                {"phrase": s.phrase, "span": [s.span[0], s.span[1]], "reason": s.reason}
                for s in scan.suppressed
            ],
        }
    )
