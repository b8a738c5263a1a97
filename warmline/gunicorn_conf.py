"""gunicorn settings for the ``web`` process: ``gunicorn -c python:warmline.gunicorn_conf``.

Loaded by gunicorn's master before it starts any worker, so the metrics folder exists and is in
the environment before a worker imports prometheus-client (which picks multiprocess mode then).
A worker that exits has its live gauges dropped.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

# The master creates a fresh folder per start; stale files from an earlier run would count twice.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="warmline-metrics-"))


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
