"""gunicorn settings for the ``web`` process: ``gunicorn -c python:warmline.gunicorn_conf``.

Loaded by gunicorn's master before it starts any worker, so the metrics folder exists and is in
the environment before a worker imports prometheus-client (which picks multiprocess mode then).
A worker that exits has its live gauges dropped.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

# A fresh folder per start unless one is named; a named one is emptied, since files of an
# earlier run would be counted again.
if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()
else:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="warmline-metrics-")


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
