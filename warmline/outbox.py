"""The outbox (SPEC §12): every outbound text is a row written in the same transaction as the
change that causes it; the worker delivers due rows through the telephony port
(``telephony.port.Telephony``).

Delivery is at most once to the contact and at least once to Twilio, in three steps, so that no
database transaction (nor SQLite's write lock) is held while Twilio is called:

1. **claim** a due row in a short transaction: ``pending`` (or ``unconfirmed``, or ``claimed``
   whose lease ran out: a worker died mid-send) becomes ``claimed`` for ``LEASE``;
2. **send** through the port, outside any transaction;
3. **record** the result in another short transaction: the Twilio SID and ``sent``; a retry
   after backoff (2, 4, 8 ... seconds, at most 5 minutes apart, up to ``MAX_ATTEMPTS``); or a
   permanent failure, never retried. Error 21610 (the recipient replied STOP to the carrier)
   marks the contact opted out.

A flood from one contact reaches their volunteer as digests: once ``FLOOD_RELAYS`` of a
conversation's relays went to the volunteer within ``FLOOD_WINDOW``, the next due relays of that
conversation are sent together, as one text of up to ``MAX_BODY`` characters, at most every
``DIGEST_EVERY``; the rows folded into a digest are marked ``merged`` (their error names the
carrier), so
nothing is lost and the volunteer's phone is not flooded.

When a send may have reached Twilio without its answer being recorded (a read time-out, a
dropped connection, a 5xx, or a crash between send and record) the row is ``unconfirmed`` or its
claim expires; before sending it again the worker asks the port whether the text already went
out (``Telephony.find_sent``: Twilio's Messages list), and records that message instead of
sending twice.

Status callbacks only move a message forward (queued < sending < sent < delivered/undelivered/
failed < read), so repeated or out-of-order callbacks are harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from warmline.db.engine import Database, is_postgres
from warmline.db.models import Base, Contact, Outbound
from warmline.privacy import Vault
from warmline.telephony.port import SendFailure, Telephony

log = logging.getLogger(__name__)

MAX_BODY = 1600  # Twilio's limit for one message body
MAX_ATTEMPTS = 8
OPTED_OUT_CODE = 21610
# Automatic texts to a contact (greeting, queue place, help...) are capped per hour; relays of a
# volunteer's words and crisis resources never are.
AUTOMATIC_KINDS = frozenset({"greeting", "queued", "after_hours", "help", "closing", "notice"})
STATUS_RANK = {
    "pending": 0,
    "accepted": 1,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "read": 5,
}


# A claimed row not recorded by then is looked for and sent again: three times the Twilio
# client's time-out (10 s), so a live worker always records its send first.
LEASE = dt.timedelta(seconds=30)
FLOOD_RELAYS = 5  # relays of one conversation within FLOOD_WINDOW before digests start
FLOOD_WINDOW = dt.timedelta(minutes=1)
DIGEST_EVERY = dt.timedelta(seconds=20)
# Outbox states besides Twilio's own words: not yet sent, being sent, maybe sent.
UNSENT = ("pending", "claimed", "unconfirmed")
# Delivery that will never happen (a status callback's word, or the outbox's own).
NEVER_ARRIVES = frozenset({"failed", "undelivered"})


@dataclass(frozen=True)
class Recipient:
    """Who a text goes to: a contact (number decrypted only at delivery) or a volunteer."""

    number_encrypted: bytes
    contact_id: int | None = None
    volunteer_id: int | None = None


def split_body(body: str, limit: int = MAX_BODY) -> list[str]:
    """Split a long text into message-sized parts, at a space when one is near the limit."""
    parts: list[str] = []
    while len(body) > limit:
        cut = body.rfind(" ", limit - 200, limit)
        cut = cut if cut > 0 else limit
        parts.append(body[:cut])
        body = body[cut:].lstrip(" ") if cut < limit else body[cut:]
    parts.append(body)
    return parts


OUTBOUND = Base.metadata.tables[Outbound.__tablename__]
# A Core INSERT, not an ORM object: a text is written once and never loaded back in the same
# transaction, and this keeps the ORM's flush off the path of every relayed message.
INSERT_OUTBOUND = insert(OUTBOUND).returning(OUTBOUND.c.id)


def enqueue(
    session: Session,
    *,
    to: Recipient,
    from_: str,
    body: str,
    kind: str,
    now: dt.datetime,
    conversation_id: int | None = None,
    dedupe_key: str | None = None,
    flood_cap: int | None = None,
) -> list[int]:
    """Store ``body`` (split when long) for delivery; the new rows' ids (none when throttled)."""
    if to.contact_id is not None and kind in AUTOMATIC_KINDS and flood_cap is not None:
        since = now - dt.timedelta(hours=1)
        recent = session.scalar(
            select(func.count(Outbound.id)).where(
                Outbound.contact_id == to.contact_id,
                Outbound.kind.in_(AUTOMATIC_KINDS),
                Outbound.created_at >= since,
            )
        )
        if (recent or 0) >= flood_cap:
            log.info("automatic %s text throttled for contact %s", kind, to.contact_id)
            return []
    rows = outbound_rows(to, from_, body, kind, now, conversation_id, dedupe_key)
    return [session.execute(INSERT_OUTBOUND, row).scalar_one() for row in rows]


def outbound_rows(
    to: Recipient,
    from_: str,
    body: str,
    kind: str,
    now: dt.datetime,
    conversation_id: int | None = None,
    dedupe_key: str | None = None,
) -> list[dict[str, object]]:
    """The outbox rows (``INSERT_OUTBOUND`` parameters) of one text, split when long; not capped
    (``enqueue`` caps automatic texts)."""
    return [
        {
            "to_encrypted": to.number_encrypted,
            "from_number": from_,
            "body": part,
            "kind": kind,
            "contact_id": to.contact_id,
            "volunteer_id": to.volunteer_id,
            "conversation_id": conversation_id,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "dedupe_key": f"{dedupe_key}#{i}" if dedupe_key and i else dedupe_key,
            "created_at": now,
        }
        for i, part in enumerate(split_body(body))
    ]


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(2**attempts, 300))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    confirmed: int = 0  # found already sent after an ambiguous attempt: not sent again


@dataclass(frozen=True)
class Claim:
    """A row claimed for one send: what is needed to send it, read in the claim's transaction."""

    id: int
    to_encrypted: bytes
    from_number: str
    body: str
    attempts: int
    contact_id: int | None
    check_since: dt.datetime | None  # the earlier attempt to look for before sending again


FailureHook = Callable[[Session, Outbound, dt.datetime], None]


def deliver_due(
    db: Database,
    telephony: Telephony,
    vault: Vault,
    now: dt.datetime,
    *,
    on_permanent_failure: FailureHook | None = None,
    limit: int = 100,
) -> DeliveryReport:
    """Deliver due rows one by one (claim, send, record); at most ``limit`` of them."""
    report = DeliveryReport()
    for _ in range(limit):
        claim = claim_next(db, now)
        if claim is None:
            break
        outcome = _send(db, claim, telephony, vault)
        with db.unit_of_work() as session:
            row = session.get(Outbound, claim.id, with_for_update=True)
            if row is None or row.status != "claimed":
                continue  # purged or handed over meanwhile; nothing to record
            _record(session, row, outcome, now, report)
            if row.status == "failed" and on_permanent_failure is not None:
                on_permanent_failure(session, row, now)
    return report


def claim_next(db: Database, now: dt.datetime) -> Claim | None:
    """Claim the next due row for ``LEASE`` in a transaction of its own; None when none is due.

    Due: ``pending`` or ``unconfirmed`` rows whose next attempt has come, and ``claimed`` rows
    whose lease ran out (the worker that claimed them died between send and record). A relay of
    a flooding conversation is folded into a digest first, or waits for the next one
    (``_digest``).
    """
    with db.unit_of_work() as session:
        while True:
            query = (
                select(Outbound)
                .where(Outbound.status.in_(UNSENT), Outbound.next_attempt_at <= now)
                .order_by(Outbound.next_attempt_at, Outbound.id)
                .limit(1)
            )
            if is_postgres(session):
                query = query.with_for_update(skip_locked=True)
            row = session.scalars(query).first()
            if row is None:
                return None
            if row.attempts >= MAX_ATTEMPTS:  # (a claim that kept expiring: its worker kept dying)
                _fail(row, now, None, "no answer recorded after every attempt")
                continue
            if row.status != "pending":
                break
            carrier = _digest(session, row, now)
            if carrier is not None:
                row = carrier
                break
        maybe_sent = row.status != "pending"
        claim = Claim(
            id=row.id,
            to_encrypted=row.to_encrypted,
            from_number=row.from_number,
            body=row.body or "",
            attempts=row.attempts + 1,
            contact_id=row.contact_id,
            check_since=(row.status_at or row.created_at) if maybe_sent else None,
        )
        row.status, row.attempts = "claimed", claim.attempts
        row.next_attempt_at, row.status_at = now + LEASE, now
        return claim


def _digest(session: Session, row: Outbound, now: dt.datetime) -> Outbound | None:
    """The row to send now in place of ``row`` (usually itself), or None when it must wait.

    A relay to a volunteer of a conversation that already had ``FLOOD_RELAYS`` relays sent within
    ``FLOOD_WINDOW`` waits until ``DIGEST_EVERY`` after the last one; then the oldest due relay of
    the conversation carries, as one text, every due relay that fits in it.
    """
    if row.kind != "relay" or row.volunteer_id is None or row.conversation_id is None:
        return row
    same = (
        Outbound.kind == "relay",
        Outbound.conversation_id == row.conversation_id,
        Outbound.volunteer_id == row.volunteer_id,
    )
    count, last_sent = session.execute(
        select(func.count(Outbound.id), func.max(Outbound.sent_at)).where(
            *same, Outbound.sent_at >= now - FLOOD_WINDOW
        )
    ).one()
    if count < FLOOD_RELAYS or last_sent is None:
        return row
    waiting = list(
        session.scalars(
            select(Outbound)
            .where(*same, Outbound.status == "pending", Outbound.next_attempt_at <= now)
            .order_by(Outbound.id)
        )
    )
    next_digest: dt.datetime = last_sent + DIGEST_EVERY
    if now < next_digest:
        for pending in waiting:
            pending.next_attempt_at = next_digest
        return None
    parts: list[Outbound] = []
    length = 0
    for pending in waiting:  # oldest first, as many as one text holds (at least one)
        text = pending.body or ""
        if parts and length + 1 + len(text) > MAX_BODY:
            break
        parts.append(pending)
        length += len(text) + (1 if length else 0)
    carrier, folded = parts[0], parts[1:]
    carrier.body = "\n".join(p.body or "" for p in parts)
    for merged in folded:
        # sent_at: each counts towards the flood window, as if sent one by one
        merged.status, merged.status_at, merged.sent_at = "merged", now, now
        merged.error = f"sent in digest {carrier.id}"
    if folded:
        log.info("outbound %s: %s relays sent as one digest", carrier.id, len(parts))
    return carrier


@dataclass(frozen=True)
class _Outcome:
    sid: str | None = None
    failure: SendFailure | None = None
    confirmed: bool = False  # the SID was found at the provider, not just created
    unsendable: str | None = None


def _send(db: Database, claim: Claim, telephony: Telephony, vault: Vault) -> _Outcome:
    """Send a claimed row, outside any transaction; after an ambiguous attempt look first."""
    to = vault.decrypt(claim.to_encrypted)
    if not to.startswith("+"):
        return _Outcome(unsendable="not a textable address")
    try:
        if claim.check_since is not None:
            # Twilio's clock and ours differ a little: look a minute before the attempt.
            since = claim.check_since - dt.timedelta(minutes=1)
            found = telephony.find_sent(
                from_=claim.from_number, to=to, body=claim.body, since=since
            )
            # The same words sent earlier ("ok", twice) belong to other rows: not this one.
            known = recorded(db, found)
            unclaimed = [sid for sid in found if sid not in known]
            if unclaimed:
                return _Outcome(sid=unclaimed[-1], confirmed=True)  # the oldest such text
        sid = telephony.send_sms(from_=claim.from_number, to=to, body=claim.body)
    except SendFailure as exc:
        return _Outcome(failure=exc)
    return _Outcome(sid=sid)


def _unfold(session: Session, carrier: Outbound, now: dt.datetime) -> None:
    """A digest that failed for good: the relays folded into it failed with it (the next
    volunteer is briefed with the conversation's messages, so none of them is lost)."""
    session.execute(
        update(Outbound)
        .where(Outbound.status == "merged", Outbound.error == f"sent in digest {carrier.id}")
        .values(status="failed", status_at=now, sent_at=None, error="its digest failed")
        .execution_options(synchronize_session=False)
    )


def recorded(db: Database, sids: list[str]) -> set[str]:
    """Which of ``sids`` the outbox has already recorded for some row."""
    if not sids:
        return set()
    with db.unit_of_work() as session:
        query = select(Outbound.twilio_sid).where(Outbound.twilio_sid.in_(sids))
        return {sid for sid in session.scalars(query) if sid is not None}


def _record(
    session: Session, row: Outbound, outcome: _Outcome, now: dt.datetime, report: DeliveryReport
) -> None:
    if outcome.unsendable is not None:
        _fail(row, now, None, outcome.unsendable)
        report.failed += 1
        return
    exc = outcome.failure
    if exc is None:
        row.twilio_sid = outcome.sid
        row.status, row.sent_at, row.status_at, row.error = "sent", now, now, None
        report.sent += 1
        if outcome.confirmed:
            report.confirmed += 1
            log.info("outbound %s: found already sent; not sent again", row.id)
        return
    if exc.transient and row.attempts < MAX_ATTEMPTS:
        # After an answer-less attempt the next one looks before it sends (``claim_next``).
        row.status = "unconfirmed" if exc.ambiguous else "pending"
        row.next_attempt_at = now + backoff(row.attempts)
        row.error = str(exc)[:200]
        report.retried += 1
        log.warning("outbound %s: transient error, retry %s", row.id, row.attempts)
        return
    _fail(row, now, exc.code, str(exc))
    report.failed += 1
    _unfold(session, row, now)
    if exc.code == OPTED_OUT_CODE and row.contact_id is not None:
        mark_opted_out(session, row.contact_id)


def _fail(row: Outbound, now: dt.datetime, code: int | None, error: str) -> None:
    row.status, row.error_code, row.error, row.status_at = "failed", code, error[:200], now
    log.warning("outbound %s failed permanently (code %s)", row.id, code)


def mark_opted_out(session: Session, contact_id: int) -> None:
    contact = session.get(Contact, contact_id)
    if contact is not None:
        contact.opted_out = True
        for pending in session.scalars(
            select(Outbound).where(
                Outbound.contact_id == contact_id, Outbound.status.in_(("pending", "unconfirmed"))
            )
        ):
            pending.status, pending.error = "failed", "contact opted out"


def record_status(
    session: Session, sid: str, status: str, error_code: int | None, now: dt.datetime
) -> Outbound | None:
    """Apply a status callback; returns the row when the status moved it forward."""
    row = session.scalars(select(Outbound).where(Outbound.twilio_sid == sid)).first()
    if row is None:
        return None
    if STATUS_RANK.get(status, -1) <= STATUS_RANK.get(row.status, 0):
        return None
    row.status, row.status_at = status, now
    if error_code is not None:
        row.error_code = error_code
    if error_code == OPTED_OUT_CODE and row.contact_id is not None:
        mark_opted_out(session, row.contact_id)
    return row
