"""``warmline demo|serve|worker|db``: the commands that run the product."""

from __future__ import annotations

import click

from warmline.bootstrap import bootstrap
from warmline.cli.common import (
    fail,
)
from warmline.config import ConfigError, load_settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--fresh", is_flag=True, help="Start from an empty demo database.")
@click.option("--instance", type=click.Path(file_okay=False), help="Folder for the demo database.")
def demo(host: str, port: int, fresh: bool, instance: str | None) -> None:
    """Run the whole product locally: SQLite, demo data, web + worker, phone simulator."""
    from pathlib import Path

    from warmline.demo import DemoError, run_demo

    try:
        run_demo(host=host, port=port, fresh=fresh, instance=Path(instance) if instance else None)
    except (DemoError, ConfigError) as exc:
        fail(str(exc))


@click.command()
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app with gunicorn (production settings from the environment)."""
    from warmline.bootstrap import require_telephony
    from warmline.wsgi_server import serve_gunicorn

    try:
        require_telephony(load_settings("production"))
    except ConfigError as exc:
        fail(str(exc))
    serve_gunicorn(host, port, workers)


@click.command()
def worker() -> None:
    """Run the scheduler: outbox delivery, timers, notices (one active per deployment)."""
    import logging
    import signal
    import threading

    from warmline.bootstrap import require_telephony
    from warmline.worker.process import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        settings = load_settings("production")
        require_telephony(settings)
    except ConfigError as exc:
        fail(str(exc))
        return
    wl = bootstrap(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    run_worker(wl, stop)


@click.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations (creates the SQLite file when missing)."""
    from warmline.db.migrate import upgrade

    try:
        settings = load_settings("demo")
    except ConfigError as exc:
        fail(str(exc))
        return
    upgrade(settings.database_url)
    click.echo("database is up to date")
