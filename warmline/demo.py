"""``warmline demo``: the whole product on one machine with no account and no network.

SQLite in the instance folder, a demo line with three volunteers on a rota that covers every
hour, web and worker in one process, and the phone simulator, whose texts are printed here.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import secrets
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select
from werkzeug.serving import get_sockaddr, make_server, select_address_family

from warmline import demo_history
from warmline.accounts import users
from warmline.app import create_app
from warmline.bootstrap import Warmline, bootstrap
from warmline.config import LINE_FILE, demo_settings, shipped_file
from warmline.db.migrate import upgrade
from warmline.db.models import Volunteer
from warmline.people import add_volunteer
from warmline.scheduling.editing import add_around_the_clock
from warmline.worker.process import run_worker

DEMO_VOLUNTEERS = (
    ("Sam Lee", "+15551230001", "supervisor", ""),
    ("Alex Kim", "+15551230002", "volunteer", ""),
    ("Jordan Diaz", "+15551230003", "volunteer", "en,es"),
)
CONTACT = "+15555550123"
DEMO_COORDINATOR = "coordinator@example.org"
DEFAULT_HOST = "127.0.0.1"


class DemoError(Exception):
    """The demo cannot start; the message is one line for the terminal."""


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port`` for the demo's web server, taken before anything else
    starts, or DemoError (a port in use names a free one to try)."""
    try:
        return _bind(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            flag = "" if host == DEFAULT_HOST else f" --host {host}"
            other = _free_port_after(host, port)
            message = f"port {port} is in use; try warmline demo{flag} --port {other}"
            raise DemoError(message) from None
        raise DemoError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _bind(host: str, port: int) -> socket.socket:
    family = select_address_family(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # As werkzeug does: a port left in TIME_WAIT by the last demo is free to take again.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(get_sockaddr(host, port, family))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def _free_port_after(host: str, port: int) -> int:
    """The first port above ``port`` that is free now (``port + 1`` when none of the next 20)."""
    for candidate in range(port + 1, min(port + 21, 65536)):
        try:
            _bind(host, candidate).close()
        except OSError:
            continue
        return candidate
    return port + 1


def seed(wl: Warmline, now: dt.datetime, *, history: bool = False) -> bool:
    """Add the demo volunteers and an around-the-clock rota (and with ``history``, four weeks
    of past conversations: :mod:`warmline.demo_history`); False when already there."""
    with wl.db.unit_of_work() as session:
        if session.scalars(select(Volunteer)).first() is not None:
            return False
        for name, phone, role, languages in DEMO_VOLUNTEERS:
            add_volunteer(session, name, phone, now, role=role, languages=languages)
        add_around_the_clock(
            session,
            volunteers=[p for _, p, r, _ in DEMO_VOLUNTEERS if r == "volunteer"],
            supervisors=[p for _, p, r, _ in DEMO_VOLUNTEERS if r == "supervisor"],
            now=now,
        )
        if history:
            session.flush()
            demo_history.generate(session, wl.vault, wl.settings, now)
    return True


def coordinator_login(wl: Warmline, now: dt.datetime) -> tuple[str, str]:
    """The demo's coordinator account with a new random password each start (so the login
    printed is always the one that works, and an old terminal's is not): (email, password)."""
    password = secrets.token_urlsafe(12)
    with wl.db.unit_of_work() as session:
        user = users.find_user(session, DEMO_COORDINATOR)
        if user is None:
            users.add_user(session, DEMO_COORDINATOR, password, "coordinator", now)
        else:
            users.set_password(user, password)
            user.active = True
    return DEMO_COORDINATOR, password


def _echo_factory(names: dict[str, str], tz: ZoneInfo) -> Callable[[str, str, str], None]:
    """Print each text the line sends, as the phone receiving it would show it."""

    def echo(from_: str, to: str, body: str) -> None:
        who = names.get(to, "contact " + to)
        at = dt.datetime.now(tz).strftime("%H:%M:%S")
        click.echo(click.style(f"\n{at} [sms to {who} from {from_}]", fg="cyan") + f"\n  {body}")

    return echo


def _built_in_note(line_file: Path) -> str:
    """Commands run from the same folder find no line file when the demo uses its own."""
    if line_file != shipped_file(LINE_FILE):
        return ""
    return (
        "\n                    (the built-in demo line: for the commands below, first"
        f"\n                    export WARMLINE_CONFIG={line_file})"
    )


def run_demo(
    host: str = DEFAULT_HOST,
    port: int = 5000,
    fresh: bool = False,
    instance: Path | None = None,
) -> None:
    """Run the demo until Ctrl-C; DemoError before anything starts when it cannot."""
    sock = listen(host, port)
    try:
        _run(sock, host, fresh, instance)
    finally:
        sock.close()


def _run(sock: socket.socket, host: str, fresh: bool, instance: Path | None) -> None:
    # The demo ignores DATABASE_URL and Twilio settings on purpose: it must never touch a
    # deployment's database or send real texts.
    settings = demo_settings(instance)
    if fresh:
        path = settings.database_url.split("///", 1)[-1]
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    upgrade(settings.database_url)
    names = {phone: name for name, phone, _, _ in DEMO_VOLUNTEERS}
    wl = bootstrap(settings, echo=_echo_factory(names, settings.line.timezone))
    seed(wl, wl.clock(), history=True)
    email, password = coordinator_login(wl, wl.clock())
    # The terminal shows the texts; werkzeug's line per request would drown them. Its errors stay.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server(host, 0, create_app(wl), threaded=True, fd=sock.fileno())
    base = f"http://{host}:{server.port}"
    stop = threading.Event()
    threading.Thread(target=run_worker, args=(wl, stop), daemon=True, name="worker").start()
    volunteers = ", ".join(
        f"{n} {p}" + (" (supervisor)" if r == "supervisor" else "")
        for n, p, r, _ in DEMO_VOLUNTEERS
    )
    click.echo(click.style(f"\n{settings.line.name} demo is running.", bold=True))
    click.echo(f"""
  Dashboard:        {base}/   log in as {email}, password {password}
  Phone simulator:  {base}/simulator/   (text the line as a contact, reply as a volunteer)
  Health:           {base}/healthz
  Database:         {settings.database_url}
  Line:             {settings.config_path}{_built_in_note(settings.config_path)}

Try, in another terminal:
  curl -s -X POST {base}/simulator/send -H 'Content-Type: application/json' \\
       -d '{{"from": "{CONTACT}", "to": "{settings.line.public_number}", "body": "hi"}}'
  (the volunteer's phone below gets "[<alias>] hi"; reply from the simulator page)
  warmline rota now        warmline volunteer list        warmline shift list

Volunteers: {volunteers}
Texts the line sends are printed below. Ctrl-C stops the demo.
""")
    try:
        server.serve_forever()  # returns on Ctrl-C
    finally:
        stop.set()
