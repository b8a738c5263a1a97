"""Recall and false alarms of the escalation scan on labelled corpus files, per category.

Usage: .venv/bin/python bench/escalation_report.py FILE [FILE ...] [--lexicon PATH] [--errors]
       [--rules-only]

Each FILE is in the corpus format of `warmline/escalation/evaluation.py` (for instance
tests/unit/data/escalation/dev.txt and test.txt). The scan is the detector the product runs:
`Matcher(load_lexicon(PATH), load_model())`, the rules and the shipped classifier, PATH
defaulting to the shipped lexicon; `--rules-only` leaves the classifier out. `--errors` also
lists the messages the scan got wrong; use it on the dev half only: the test half is frozen
and must not be tuned against.
A missing or malformed file or lexicon prints one `error: ...` line and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warmline.escalation.classifier import load_model  # noqa: E402
from warmline.escalation.evaluation import (  # noqa: E402
    CorpusError,
    evaluate,
    format_errors,
    format_report,
    load_corpus,
)
from warmline.escalation.lexicon import (  # noqa: E402
    LexiconError,
    default_lexicon_path,
    load_lexicon,
)
from warmline.escalation.matcher import Matcher  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--lexicon", type=Path, default=None, help="escalation.toml to scan with")
    parser.add_argument("--errors", action="store_true", help="list missed and false alarms")
    parser.add_argument("--rules-only", action="store_true", help="scan without the classifier")
    args = parser.parse_args(argv)
    try:
        lexicon = load_lexicon(args.lexicon or default_lexicon_path())
        corpora = [(path, load_corpus(path)) for path in args.files]
    except (CorpusError, LexiconError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    matcher = Matcher(lexicon, None if args.rules_only else load_model())
    for number, (path, examples) in enumerate(corpora):
        result = evaluate(examples, lambda text: matcher.scan(text).level)
        if number:
            print()
        print(format_report(result, path.name))
        if args.errors:
            print(format_errors(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
