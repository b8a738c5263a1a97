"""``warmline serve``: gunicorn with the production app and warmline's gunicorn settings.

gunicorn runs in place of this process (exec), exactly as the Procfile starts it, so that its
settings (:mod:`warmline.gunicorn_conf`) are loaded before any worker imports the app.
"""

from __future__ import annotations

import os
import sys


def gunicorn_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn",
        "-c", "python:warmline.gunicorn_conf",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--timeout", "30",
        "warmline.wsgi:app",
    ]  # fmt: skip


def serve_gunicorn(host: str, port: int, workers: int) -> None:
    command = gunicorn_command(host, port, workers)
    os.execv(command[0], command)
