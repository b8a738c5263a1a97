"""A small HTTP load generator, run as its own process by bench_relay.py (127.0.0.1 only).

    python bench/loadgen.py PORT REQUESTS.jsonl --connections 8 --duration 10 [--rate 300]

Each line of REQUESTS.jsonl is {"path", "body", "headers"}; every request is used at most once
(webhooks are idempotent by MessageSid, so a repeat would measure the duplicate path). Threads
keep their connection alive when the server allows it.

Closed loop (no --rate): each connection sends its next request as soon as the last answer came.
Open loop (--rate R): request i is due at start + i/R; its latency counts from when it was due,
so a server that falls behind is charged for the wait (no coordinated omission).

The first --warmup seconds are not counted. Prints one JSON object: requests, errors, seconds,
rps, p50_ms, p90_ms, p99_ms, max_ms.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import statistics
import threading
import time


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("requests")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rate", type=float, default=0.0)
    args = parser.parse_args()
    with open(args.requests, encoding="utf-8") as f:
        requests = [json.loads(line) for line in f]

    counter = itertools.count()
    lock = threading.Lock()
    results: list[tuple[float, float, bool]] = []  # (done at, latency s, ok)
    start = time.perf_counter() + 0.2
    stop_at = start + args.warmup + args.duration

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        mine: list[tuple[float, float, bool]] = []
        while True:
            i = next(counter)
            if i >= len(requests):
                break
            due = start + i / args.rate if args.rate else time.perf_counter()
            if due >= stop_at:
                break
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            sent = due if args.rate else time.perf_counter()
            req = requests[i]
            try:
                conn.request("POST", req["path"], body=req["body"], headers=req["headers"])
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            done = time.perf_counter()
            mine.append((done, done - sent, ok))
            if done >= stop_at:
                break
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counted = [r for r in results if r[0] >= start + args.warmup]
    if not counted:
        raise SystemExit("no requests were counted: too few requests for the duration?")
    first, last = min(r[0] for r in counted), max(r[0] for r in counted)
    seconds = min(args.duration, last - (start + args.warmup)) or (last - first)
    latencies = [r[1] * 1000 for r in counted]
    print(
        json.dumps(
            {
                "requests": len(counted),
                "errors": sum(not r[2] for r in counted),
                "seconds": round(seconds, 3),
                "rps": round(len(counted) / seconds, 1),
                "p50_ms": round(statistics.median(latencies), 2),
                "p90_ms": round(percentile(latencies, 0.90), 2),
                "p99_ms": round(percentile(latencies, 0.99), 2),
                "max_ms": round(max(latencies), 2),
                "used": min(next(counter), len(requests)),
            }
        )
    )


if __name__ == "__main__":
    main()
