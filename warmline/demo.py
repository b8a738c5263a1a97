"""``warmline demo``: the whole product on one machine with no account and no network.

SQLite in the instance folder, a demo line with three volunteers on a rota that covers every
hour, web and worker in one process, and the phone simulator, whose texts are printed here.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import click
from sqlalchemy import select
from werkzeug.serving import run_simple

from warmline.app import create_app
from warmline.bootstrap import Warmline, bootstrap
from warmline.config import LINE_FILE, demo_settings, shipped_file
from warmline.db.migrate import upgrade
from warmline.db.models import Volunteer
from warmline.people import add_volunteer
from warmline.scheduling.editing import add_around_the_clock
from warmline.scheduling.worker import run_worker

DEMO_VOLUNTEERS = (
    ("Sam Lee", "+15551230001", "supervisor", ""),
    ("Alex Kim", "+15551230002", "volunteer", ""),
    ("Jordan Diaz", "+15551230003", "volunteer", "en,es"),
)
CONTACT = "+15555550123"


def seed(wl: Warmline, now: dt.datetime) -> bool:
    """Add the demo volunteers and an around-the-clock rota; False when already there."""
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
    return True


def _echo_factory(names: dict[str, str]) -> object:
    def echo(from_: str, to: str, body: str) -> None:
        who = names.get(to, "contact " + to)
        click.echo(click.style(f"\n[sms to {who} from {from_}]", fg="cyan") + f"\n  {body}")

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
    host: str = "127.0.0.1",
    port: int = 5000,
    fresh: bool = False,
    instance: Path | None = None,
) -> None:
    # The demo ignores DATABASE_URL and Twilio settings on purpose: it must never touch a
    # deployment's database or send real texts.
    settings = demo_settings(instance)
    if fresh:
        path = settings.database_url.split("///", 1)[-1]
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    upgrade(settings.database_url)
    names = {phone: name for name, phone, _, _ in DEMO_VOLUNTEERS}
    wl = bootstrap(settings, echo=_echo_factory(names))  # type: ignore[arg-type]
    seed(wl, wl.clock())
    stop = threading.Event()
    threading.Thread(target=run_worker, args=(wl, stop), daemon=True, name="worker").start()
    base = f"http://{host}:{port}"
    click.echo(click.style(f"\n{settings.line.name} demo is running.", bold=True))
    click.echo(f"""
  Phone simulator:  {base}/simulator/   (text the line as a contact, reply as a volunteer)
  Health:           {base}/healthz
  Database:         {settings.database_url}
  Line:             {settings.config_path}{_built_in_note(settings.config_path)}

Try, in another terminal:
  curl -s -X POST {base}/simulator/send -H 'Content-Type: application/json' \\
       -d '{{"from": "{CONTACT}", "to": "{settings.line.public_number}", "body": "hi"}}'
  (the volunteer's phone below gets "[<alias>] hi"; reply from the simulator page)
  warmline rota now        warmline volunteer list        warmline shift list

Volunteers: {", ".join(f"{n} {p}" for n, p, _, _ in DEMO_VOLUNTEERS)}
Texts the line sends are printed below. Ctrl-C stops the demo.
""")
    try:
        run_simple(host, port, create_app(wl), threaded=True, use_reloader=False)
    finally:
        stop.set()
