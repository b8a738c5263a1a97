"""What every ``warmline`` command shares: the clock, set-up, one unit of work, one-line
errors and plain tables."""

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

from warmline.accounts import AccountError
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
        except (AdminError, ConfigError, AccountError) as exc:
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


def local_at(value: str | None, tz: object, now: dt.datetime | None = None) -> dt.datetime:
    """A local 'YYYY-MM-DD HH:MM' typed by the coordinator, or else ``now`` (the clock)."""
    from warmline.scheduling.editing import local_datetime

    if value:
        return local_datetime(tz, value)  # type: ignore[arg-type]
    return now or utc_now()


def local_text(at: dt.datetime, tz: object) -> str:
    return at.astimezone(tz).strftime("%a %Y-%m-%d %H:%M")  # type: ignore[arg-type]
