"""A burst of inbound texts through gunicorn while PostgreSQL is stopped and started: what the
outage test (tests/e2e/test_database_outage.py) and bench/bench_outage.py both run.

Texts come at a steady rate from a few contacts, each a new MessageSid and a body naming its
contact and its place in that contact's sequence. The private server is stopped ``start_after``
seconds into the burst and started again ``outage`` seconds later. Afterwards, the figures say
how many webhooks were answered with what, how many texts were stored, and whether each
contact's texts were stored in the order they were sent.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, select

from tests.support import live_server as live
from tests.support.private_postgres import PrivatePostgres
from warmline.db.migrate import upgrade
from warmline.db.models import Message
from warmline.telephony.signature import sign


@dataclass
class OutageFigures:
    sent: int
    statuses: dict[int, int]
    stored: int
    out_of_order: int
    drained_after: float  # seconds from the database's return until every text was stored

    @property
    def lost(self) -> int:
        return self.sent - self.stored


def stored_texts(url: str) -> list[tuple[int, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Message.contact_id, Message.body)
                .where(Message.author == "contact")
                .order_by(Message.id)
            ).all()
    finally:
        engine.dispose()
    return [(int(c or 0), b or "") for c, b in rows]


def burst_through_outage(
    server: PrivatePostgres,
    folder: Path,
    *,
    texts: int,
    rate: float,
    outage: float,
    start_after: float,
    contacts: int = 10,
    workers: int = 2,
    drain_timeout: float = 60.0,
    checkout: Path | None = None,
) -> OutageFigures:
    """Run the burst (see the module docstring); ``checkout`` serves another checkout's
    warmline (an earlier commit's worktree, for a baseline)."""
    upgrade(server.url)
    live.seed_volunteers(server.url, [4] * 5)
    env = live.server_env(server.url, live.line_config(folder, 4))
    env["WARMLINE_INSTANCE"] = str(folder / "instance")  # where the spool lives
    numbers = [f"+1202555{n:04d}" for n in range(contacts)]
    statuses: Counter[int] = Counter()
    back_at: list[float] = []

    def outage_timeline() -> None:
        time.sleep(start_after)
        server.stop("fast")
        time.sleep(outage)
        server.start()
        back_at.append(time.monotonic())

    where = {"cwd": checkout} if checkout is not None else {}
    with live.Gunicorn(env, workers=workers, log=folder / "gunicorn.log", **where) as web:
        timeline = threading.Thread(target=outage_timeline)
        began = time.monotonic()
        timeline.start()
        for n in range(texts):
            wait = began + n / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            contact = n % contacts
            form = live.sms_form(numbers[contact], f"c{contact} s{n // contacts}", f"SM{n:032x}")
            body = urlencode(form).encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": sign(live.AUTH_TOKEN, live.PUBLIC_URL + "/twilio/sms", form),
            }
            try:
                statuses[live.post(web.port, "/twilio/sms", body, headers, timeout=15)] += 1
            except OSError:
                statuses[0] += 1  # no answer within Twilio's 15 s
        timeline.join()
        deadline = time.monotonic() + drain_timeout
        while time.monotonic() < deadline and len(stored_texts(server.url)) < texts:
            time.sleep(0.5)
        drained = time.monotonic() - back_at[0]
    if len(rows := stored_texts(server.url)) < texts:
        drained = float("nan")  # never all stored
    last: dict[str, int] = {}
    out_of_order = 0
    for _, body in rows:
        contact, seq = body.split()
        if int(seq[1:]) < last.get(contact, -1):
            out_of_order += 1
        last[contact] = int(seq[1:])
    return OutageFigures(texts, dict(statuses), len(rows), out_of_order, drained)
