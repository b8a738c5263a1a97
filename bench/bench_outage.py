"""What happens to inbound texts while PostgreSQL is away (issue 13), measured.

Run: python bench/bench_outage.py [--outages 10,30,60] [--rate 10] [--runs 1] [--before DIR]

For each outage length: a private PostgreSQL (the machine's own server binaries, a fresh data
folder, a free port), gunicorn with two workers in front of it, and a steady stream of signed
texts from 10 contacts at ``--rate`` per second for the outage plus 10 seconds; the server is
stopped 3 seconds in and started again after the outage. Reported: the webhooks' answers (200,
500, none within 15 s), texts stored afterwards, lost, stored out of each contact's order, and
how long after the database came back the last one was stored. ``--before DIR`` runs the same
against another checkout (an earlier commit's worktree) in the same run, for the baseline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.outage import burst_through_outage  # noqa: E402
from tests.support.private_postgres import private_server  # noqa: E402


def one_run(outage: float, rate: float, before: Path | None) -> dict[str, object]:
    """One measurement, of this checkout or of ``before``."""
    with tempfile.TemporaryDirectory() as tmp, private_server() as server:
        texts = int(rate * (outage + 10))
        figures = burst_through_outage(
            server, Path(tmp), texts=texts, rate=rate, outage=outage, start_after=3,
            drain_timeout=outage + 60, checkout=before,
        )  # fmt: skip
    return {
        "outage_s": outage,
        "sent": figures.sent,
        "answers": figures.statuses,
        "stored": figures.stored,
        "lost": figures.lost,
        "out_of_order": figures.out_of_order,
        "drained_after_s": round(figures.drained_after, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outages", default="10,30,60")
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--before", type=Path)
    args = parser.parse_args()
    print("| code | outage | sent | answers | stored | lost | out of order | stored within |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for outage in (float(x) for x in args.outages.split(",")):
        for label, checkout in (("before", args.before), ("after", None)):
            if label == "before" and checkout is None:
                continue
            r = one_run(outage, args.rate, checkout)
            answers = ", ".join(f"{k or 'none'}: {v}" for k, v in sorted(r["answers"].items()))
            print(
                f"| {label} | {r['outage_s']:.0f} s | {r['sent']} | {answers} | {r['stored']} "
                f"| {r['lost']} | {r['out_of_order']} | {r['drained_after_s']} s |",
                flush=True,
            )


if __name__ == "__main__":
    main()
