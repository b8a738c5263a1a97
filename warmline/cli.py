"""The ``warmline`` command: thin wrappers around the services, with readable tables."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any

import click
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
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


_DIGITS = re.compile(r"\+?\d[\d ()./-]{5,}\d")


def _mask(found: re.Match[str]) -> str:
    """A run of seven or more digits may be a phone number; an address like 127.0.0.1 is not."""
    text = found.group(0)
    return "…" if sum(c.isdigit() for c in text) >= 7 else text


def database_problem(exc: SQLAlchemyError) -> str:
    """One line for a database error that validation did not catch first (a safety net), with
    anything that looks like a phone number masked."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = _DIGITS.sub(_mask, detail[0] if detail else type(exc).__name__)
    if isinstance(exc, IntegrityError):
        return f"the database refused that change, nothing was saved ({first})"
    if "no such table" in first or ("relation" in first and "does not exist" in first):
        return "the database has no tables yet: run `warmline db upgrade` first"
    return f"database error: {first}"


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a coordinator's mistake into one clear line and exit status 2."""

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (AdminError, ConfigError) as exc:
            fail(str(exc))
        except SQLAlchemyError as exc:
            fail(database_problem(exc))

    return run


class OneLineErrors(click.Group):
    """Click's own mistakes (an unknown option, a missing argument) as one ``error:`` line with
    exit status 2, like every other error, instead of a usage screen."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        try:
            outcome = super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.NoArgsIsHelpError as exc:  # a bare group: its help
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            where = getattr(getattr(exc, "ctx", None), "command_path", None)
            hint = f" (see: {where} --help)" if where else ""
            fail(f"{exc.format_message()}{hint}")
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(outcome if isinstance(outcome, int) else 0)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.group(cls=OneLineErrors)
def main() -> None:
    """warmline: a peer-support warmline on Twilio."""


@main.command()
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
    """Volunteers: add, list, edit, activate, deactivate."""


def _about(v: Any) -> str:
    """'Sam Lee (supervisor, capacity 2, languages en,es)', and 'inactive' when so."""
    said = [v.role, f"capacity {v.capacity}"]
    said += [f"languages {v.languages}"] if v.languages else []
    said += [] if v.active else ["inactive"]
    return f"{v.name} ({', '.join(said)})"


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
            region=wl.settings.line.region,
        )
        click.echo(f"added volunteer {v.id}: {v.name} ({v.role}, capacity {v.capacity})")


@volunteer.command("list")
@friendly
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


@volunteer.command("edit")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@click.option("--name", default=None)
@click.option("--phone", "number", default=None, help="Their new phone number.")
@click.option("--role", type=click.Choice(["volunteer", "supervisor"]), default=None)
@click.option("--capacity", type=int, default=None, help="Open conversations at once.")
@click.option("--languages", default=None, help="Comma-separated, e.g. en,es ('' for none).")
@friendly
def volunteer_edit(
    volunteer_ref: str,
    name: str | None,
    number: str | None,
    role: str | None,
    capacity: int | None,
    languages: str | None,
) -> None:
    """Change a volunteer's name, phone, role, capacity or languages (active or not)."""
    from warmline.people import AdminError, edit_volunteer

    if (name, number, role, capacity, languages) == (None,) * 5:
        raise AdminError(
            "nothing to change: give --name, --phone, --role, --capacity or --languages"
        )
    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = edit_volunteer(
            session,
            volunteer_ref,
            utc_now(),
            name=name,
            number=number,
            role=role,
            capacity=capacity,
            languages=languages,
            region=wl.settings.line.region,
        )
        click.echo(f"volunteer {v.id} is now {_about(v)}")


@volunteer.command("activate")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def volunteer_activate(volunteer_ref: str) -> None:
    """Route to a deactivated volunteer again; their shifts count once more."""
    from warmline.people import activate_volunteer

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v = activate_volunteer(session, volunteer_ref, wl.settings.line.region)
        click.echo(f"activated {_about(v)}")


@volunteer.command("deactivate")
@click.argument("volunteer_ref", metavar="ID_OR_PHONE")
@friendly
def volunteer_deactivate(volunteer_ref: str) -> None:
    """Stop routing to a volunteer; their open conversations stay until closed."""
    from warmline.people import deactivate_volunteer

    wl = setup(admin_mode())
    with session_scope(wl) as session:
        v, open_count = deactivate_volunteer(session, volunteer_ref, wl.settings.line.region)
        click.echo(
            f"deactivated {v.name}; they keep {open_count} open conversation(s) until those close"
        )


import warmline.cli_init  # noqa: E402,F401  (registers init)
from warmline import cli_rota  # noqa: E402,F401  (registers shift, override, rota, block)
