"""Benchmark of the inbound relay under gunicorn + PostgreSQL, beside a bare Flask endpoint.

Run: python bench/bench_relay.py [--runs 3] [--duration 10] [--storm] [--before DIR]
(PostgreSQL at WARMLINE_BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432/test;
a fresh database is created and dropped.)

Inbound relay: a signed ``POST /twilio/sms`` from a contact whose conversation is open, which
stores the message and queues its relay to the volunteer. 50 volunteers (capacity 4, pool of 4
relay numbers) hold 200 open conversations; every request has a new MessageSid and comes from
one of those 200 contacts in turn. The baseline is bench/bare_app.py (empty TwiML), served by a
second gunicorn with the same settings, measured in alternation with warmline in the same run.
The load comes from bench/loadgen.py in a separate process: closed loop (8 keep-alive
connections, as fast as answers come) and open loop (a fixed 300 requests/s over 32 keep-alive
connections). Each figure is the median of --runs runs of --duration seconds after 2 s of
warm-up.

--before DIR serves another checkout of warmline (a git worktree of an earlier commit, say) as a
third gunicorn on the same database and settings, measured in the same runs, for a
before/after comparison that the machine's changing load cannot skew.

--storm also runs the spec's concurrency figure: 500 contacts' first messages at once against
50 volunteers of capacity 1-4, and checks what it left behind.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import live_server as live  # noqa: E402

PG_ADMIN = os.environ.get("WARMLINE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
HERE = Path(__file__).resolve().parent
SERVER = {"workers": 4, "worker_class": "gthread", "threads": 2}
CONTACTS, RELAYS, CAPACITY = 200, 4, 4
RATE, CONNECTIONS, OPEN_CONNECTIONS = 300, 8, 32


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def write_requests(path: Path, contacts: list[str], n: int, run: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            form = live.sms_form(
                contacts[i % len(contacts)], f"still here, message {i}", f"SM{run}{i:026d}"
            )
            body, headers = live.signed_form(form)
            f.write(
                json.dumps({"path": "/twilio/sms", "body": body.decode(), "headers": headers})
                + "\n"
            )


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (0 for one that has gone)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_pids(server: live.Gunicorn) -> list[int]:
    """The gunicorn master and its workers."""
    assert server.process is not None
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on the machine: its backends do the database's share of the work."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def load(
    server: live.Gunicorn, requests: Path, duration: float, rate: float = 0
) -> dict[str, float]:
    """One loadgen run against ``server``, with the CPU the server and PostgreSQL spent on it
    (milliseconds per answered request, warm-up included in both counts)."""
    args = [
        sys.executable,
        str(HERE / "loadgen.py"),
        str(server.port),
        str(requests),
        "--connections",
        str(OPEN_CONNECTIONS if rate else CONNECTIONS),
        "--duration",
        str(duration),
    ]
    if rate:
        args += ["--rate", str(rate)]
    before = Path("/proc/loadavg").read_text().split()[0]
    pids, db_pids = server_pids(server), postgres_pids()
    cpu, db_cpu = cpu_seconds(pids), cpu_seconds(db_pids)
    out = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    cpu, db_cpu = cpu_seconds(pids) - cpu, cpu_seconds(db_pids) - db_cpu
    after = Path("/proc/loadavg").read_text().split()[0]
    return out | {
        "loadavg": f"{before}->{after}",
        "server_cpu_ms": round(1000 * cpu / out["used"], 2),
        "db_cpu_ms": round(1000 * db_cpu / out["used"], 2),
    }


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    keys = ("rps", "p50_ms", "p99_ms", "errors", "server_cpu_ms", "db_cpu_ms")
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def relay_bench(
    tmp: Path, runs: int, duration: float, before: Path | None
) -> dict[str, dict[str, float]]:
    results: dict[str, list[dict[str, float]]] = {}
    with live.fresh_database(PG_ADMIN) as url:
        live.seed_volunteers(url, [CAPACITY] * (CONTACTS // CAPACITY))
        env = live.server_env(url, live.line_config(tmp, RELAYS))
        contacts = [f"+1202556{n:04d}" for n in range(CONTACTS)]
        with ExitStack() as stack:
            servers = {
                "warmline": stack.enter_context(
                    live.Gunicorn(env, **SERVER, log=tmp / "warmline.log")
                ),
                "bare": stack.enter_context(
                    live.Gunicorn(env, app="bench.bare_app:app", **SERVER, log=tmp / "bare.log")
                ),
            }
            if before is not None:  # another checkout, on the same database and settings
                servers["before"] = stack.enter_context(
                    live.Gunicorn(env, **SERVER, log=tmp / "before.log", cwd=before)
                )
            statuses, _, _ = live.storm(servers["warmline"].port, contacts, threads=8)
            assert set(statuses) == {200}, "opening the conversations failed"
            figures = live.routing_figures(url, RELAYS)
            assert figures["assigned"] == CONTACTS, figures
            per_run = int(4000 * (duration + 3))  # more than the bare app can take
            for i in range(runs):
                for mode, rate in (("closed", 0), ("open", RATE)):
                    for name, server in servers.items():
                        reqs = tmp / f"relay-{name}-{mode}-{i}.jsonl"
                        write_requests(reqs, contacts, per_run, f"{name[:2]}{mode[0]}{i:03d}")
                        results.setdefault(f"{name} {mode}", []).append(
                            load(server, reqs, duration, rate)
                        )
                        line = results[f"{name} {mode}"][-1]
                        print(f"run {i + 1} {name} {mode}: {line}", file=sys.stderr)
        figures = live.routing_figures(url, RELAYS)
    print(f"after the runs: {figures}", file=sys.stderr)
    return {name: median_of(r) for name, r in results.items()}


def storm_bench(tmp: Path, runs: int) -> list[dict[str, float]]:
    out = []
    capacities = [1, 2, 3, 4] * 12 + [2, 3]  # 50 volunteers, 125 places with a pool of 4
    for _ in range(runs):
        with live.fresh_database(PG_ADMIN) as url:
            live.seed_volunteers(url, capacities)
            env = live.server_env(url, live.line_config(tmp, RELAYS))
            contacts = [f"+1202557{n:04d}" for n in range(500)]
            with live.Gunicorn(env, **SERVER, log=tmp / "storm.log") as server:
                statuses, distinct, seconds = live.storm(server.port, contacts, threads=64)
            figures = live.routing_figures(url, RELAYS)
        figures |= {"ok": statuses.count(200), "sent": distinct, "seconds": round(seconds, 2)}
        print(f"storm: {figures}", file=sys.stderr)
        out.append(figures)
    return out


def print_table(medians: dict[str, dict[str, float]]) -> None:
    before = "before" if "before closed" in medians else None
    print(
        "| measure | warmline relay |"
        + (" before |" if before else "")
        + " bare Flask | ratio to bare |"
    )
    print("|---|---:|" + ("---:|" if before else "") + "---:|---:|")
    for mode, label in (
        ("closed", f"closed loop, {CONNECTIONS} connections"),
        ("open", f"open loop, {RATE} requests/s, {OPEN_CONNECTIONS} connections"),
    ):
        w, b = medians[f"warmline {mode}"], medians[f"bare {mode}"]
        old = medians.get(f"before {mode}")
        for key, what, fmt in (
            ("rps", "requests/s", ".0f"),
            ("p50_ms", "p50 ms", ".1f"),
            ("p99_ms", "p99 ms", ".1f"),
            ("errors", "errors", ".0f"),
            ("server_cpu_ms", "gunicorn CPU ms per request", ".2f"),
            ("db_cpu_ms", "PostgreSQL CPU ms per request", ".2f"),
        ):
            ratio = f"{w[key] / b[key]:.2f}" if b[key] else ""
            middle = f" {old[key]:{fmt}} |" if old else ""
            print(f"| {label}: {what} | {w[key]:{fmt}} |{middle} {b[key]:{fmt}} | {ratio} |")


def main() -> None:
    global OPEN_CONNECTIONS, RATE
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--storm", action="store_true")
    parser.add_argument("--no-relay", action="store_true")
    parser.add_argument("--workers", type=int, default=SERVER["workers"])
    parser.add_argument("--worker-class", default=SERVER["worker_class"])
    parser.add_argument("--threads", type=int, default=SERVER["threads"])
    parser.add_argument("--open-connections", type=int, default=OPEN_CONNECTIONS)
    parser.add_argument("--rate", type=int, default=RATE, help="the open loop's requests/s")
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout of warmline (e.g. a git worktree of an earlier commit), served "
        "beside this one on the same database and measured in the same runs",
    )
    args = parser.parse_args()
    SERVER.update(workers=args.workers, worker_class=args.worker_class, threads=args.threads)
    OPEN_CONNECTIONS, RATE = args.open_connections, args.rate
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(f"server: gunicorn {SERVER}, same for both apps")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if not args.no_relay:
            medians = relay_bench(tmp, args.runs, args.duration, args.before)
            print_table(medians)
        if args.storm:
            started = time.perf_counter()
            storms = storm_bench(tmp, args.runs)
            print(f"storm runs took {time.perf_counter() - started:.0f} s")
            for s in storms:
                print(json.dumps(s))


if __name__ == "__main__":
    main()
