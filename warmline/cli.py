"""The ``warmline`` command: thin wrappers around the services, with readable tables."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any

import click
from sqlalchemy.orm import Session

from warmline.bootstrap import Clock, Warmline, bootstrap
from warmline.bootstrap import utc_now as wall_clock
from warmline.config import ConfigError, Mode, cli_mode, load_settings
from warmline.people import AdminError


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def command_clock() -> Clock:
    """This run's clock: the wall clock, or the one the caller passed as ``obj``
    (``main(args, obj=clock)``), so that tests run commands at the time they simulate."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj if callable(obj) else wall_clock


def utc_now() -> dt.datetime:
    """Now, aware UTC, for this command (see :func:`command_clock`)."""
    return command_clock()()


def setup(mode: Mode = "production", **kw: Any) -> Warmline:
    kw.setdefault("clock", command_clock())
    try:
        return bootstrap(load_settings(mode), **kw)
    except ConfigError as exc:
        fail(str(exc))
        raise  # unreachable


def admin_mode() -> Mode:
    """Coordinator commands on a deployment (DATABASE_URL set) need its real keys; on the
    embedded default database they run with the demo's."""
    return cli_mode()


@contextmanager
def session_scope(wl: Warmline) -> Iterator[Session]:
    """One unit of work for a command; the command's connections close with it."""
    try:
        with wl.db.unit_of_work() as session:
            yield session
    finally:
        wl.db.dispose()


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a coordinator's mistake into one clear line and exit status 2."""

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (AdminError, ConfigError) as exc:
            fail(str(exc))

    return run


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.group()
def main() -> None:
    """warmline: a peer-support warmline on Twilio."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--fresh", is_flag=True, help="Start from an empty demo database.")
@click.option("--instance", type=click.Path(file_okay=False), help="Folder for the demo database.")
def demo(host: str, port: int, fresh: bool, instance: str | None) -> None:
    """Run the whole product locally: SQLite, demo data, web + worker, phone simulator."""
    from pathlib import Path

    from warmline.demo import run_demo

    try:
        run_demo(host=host, port=port, fresh=fresh, instance=Path(instance) if instance else None)
    except ConfigError as exc:
        fail(str(exc))


@main.command()
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


@main.command()
def worker() -> None:
    """Run the scheduler: outbox delivery, timers, notices (one active per deployment)."""
    import logging
    import signal
    import threading

    from warmline.bootstrap import require_telephony
    from warmline.scheduling.worker import run_worker

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


@main.group()
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


@main.group()
def volunteer() -> None:
    """Volunteers: add, list, deactivate."""


@volunteer.command("add")
@click.argument("name")
@click.argument("phone")
@click.option("--role", type=click.Choice(["volunteer", "supervisor"]), default="volunteer")
@click.option("--capacity", type=int, default=None, help="Open conversations at once.")
@click.option("--languages", default="", help="Comma-separated, e.g. en,es.")
@friendly
def volunteer_add(name: str, phone: str, role: str, capacity: int | None, languages: str) -> None:
    """Add a volunteer (their own phone number; --role supervisor for supervisors)."""
    from warmline.people import add_volunteer

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = add_volunteer(
            session,
            name,
            phone,
            utc_now(),
            role=role,
            languages=languages,
            capacity=wl.settings.routing.default_capacity if capacity is None else capacity,
        )
        click.echo(f"added volunteer {v.id}: {v.name} ({v.role}, capacity {v.capacity})")


@volunteer.command("list")
def volunteer_list() -> None:
    """All volunteers with their role, state and capacity."""
    from warmline.people import list_volunteers

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        rows = [
            (
                v.id,
                v.name,
                v.phone,
                v.role,
                "yes" if v.active else "no",
                "yes" if v.paused else "no",
                v.capacity,
                v.languages or "-",
            )
            for v in list_volunteers(session)
        ]
    click.echo(
        table(("id", "name", "phone", "role", "active", "paused", "capacity", "languages"), rows)
    )


@volunteer.command("deactivate")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def volunteer_deactivate(volunteer_ref: str) -> None:
    """Stop routing to a volunteer; their open conversations stay until closed."""
    from warmline.people import deactivate_volunteer

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v, open_count = deactivate_volunteer(session, volunteer_ref)
        click.echo(
            f"deactivated {v.name}; they keep {open_count} open conversation(s) until those close"
        )


import warmline.cli_init  # noqa: E402,F401  (registers init)
from warmline import cli_rota  # noqa: E402,F401  (registers shift, override, rota, block)
