"""The audit log (SPEC §12): every coordinator action, from the dashboard, the API or the CLI.

An entry says who (the actor: a dashboard user, an API token or the operating-system user of the
CLI, with their role), when, what (``action`` such as ``"volunteer.add"``, ``"transcript.view"``)
and on which record (``target`` such as ``"volunteer:12"``). Entries are never erased, not even by
a contact's erasure, so they must never hold what erasure removes: no message body and no phone
number, in ``target`` or ``detail``. :func:`record` refuses a target or detail that looks like a
phone number; bodies are kept out by the callers, who record ids and short notes only.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmline.db.models import ApiToken, AuditEntry, User

KINDS = ("user", "token", "cli")
MAX_DETAIL = 500
_ACTION = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")
_TARGET = re.compile(r"[a-z][a-z_]*:[A-Za-z0-9@._-]{1,54}")
# ISO dates and clock times are digit runs too; they are removed before looking for a number.
_DATES_AND_TIMES = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(:\d{2})?")
# Seven or more digits, possibly split by spaces, dots, dashes or brackets: the shortest whole
# phone numbers have seven digits. Errs on the side of refusing.
_PHONE_LIKE = re.compile(r"\+?\(?\d(?:[\s().-]{0,2}\d){6,}")


@dataclass(frozen=True)
class Actor:
    """Who acts: ``kind`` "user" | "token" | "cli", their ``name`` (email, token name, OS user)
    and ``role`` ("coordinator" | "supervisor" | "viewer")."""

    kind: str
    name: str
    role: str


def cli_actor() -> Actor:
    """The person at the command line: the operating-system user, with a coordinator's rights
    (whoever can run ``warmline`` on the server can read its database anyway)."""
    try:
        name = getpass.getuser()
    except OSError:  # no login name and no passwd entry, e.g. an arbitrary container uid
        name = f"uid {os.getuid()}"
    return Actor("cli", name, "coordinator")


def user_actor(user: User) -> Actor:
    """A dashboard account as an actor (its email names it)."""
    return Actor("user", user.email, user.role)


def token_actor(token: ApiToken) -> Actor:
    """An API token as an actor."""
    return Actor("token", token.name, token.role)


def looks_like_phone_number(text: str) -> bool:
    """True when ``text`` holds seven or more digits in a run (spaces, ``.-()`` allowed between),
    ISO dates and clock times aside: what ``record`` refuses in a target or detail."""
    return _PHONE_LIKE.search(_DATES_AND_TIMES.sub(" ", text)) is not None


def _target_looks_like_phone(target: str) -> bool:
    # A row id is a target's usual key ("conversation:1234567"): ids below a billion are ids.
    key = target.split(":", 1)[1]
    return not (key.isdigit() and len(key) < 10) and looks_like_phone_number(key)


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    target: str | None = None,
    detail: str = "",
    at: dt.datetime,
) -> None:
    """Add an audit entry to ``session`` (the caller's unit of work commits it with the change).

    ValueError for an unknown actor kind, an action not shaped ``noun.verb``, a target not
    shaped ``kind:id``, a detail over MAX_DETAIL characters, a naive ``at``, or a target or detail
    that looks like a phone number. The messages never repeat the refused text.
    """
    if actor.kind not in KINDS:
        raise ValueError(f"unknown actor kind {actor.kind!r}")
    if not _ACTION.fullmatch(action):
        raise ValueError(f"audit action {action!r} is not shaped like 'volunteer.add'")
    if target is not None and not (len(target) <= 64 and _TARGET.fullmatch(target)):
        raise ValueError("audit target is not shaped like 'volunteer:12'")
    if len(detail) > MAX_DETAIL:
        raise ValueError(f"audit detail is longer than {MAX_DETAIL} characters")
    if looks_like_phone_number(detail) or (target and _target_looks_like_phone(target)):
        raise ValueError("audit entries never hold a phone number (found one in target or detail)")
    if at.tzinfo is None:
        raise ValueError("audit time must be an aware datetime")
    session.add(
        AuditEntry(
            at=at,
            actor_kind=actor.kind,
            actor_name=actor.name,
            actor_role=actor.role,
            action=action,
            target=target,
            detail=detail,
        )
    )


@dataclass(frozen=True)
class AuditRow:
    """One entry as the /audit page and ``GET /api/v1/audit`` show it."""

    id: int
    at: dt.datetime
    actor_kind: str
    actor_name: str
    actor_role: str
    action: str
    target: str | None
    detail: str


def entries(
    session: Session,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditRow], int]:
    """A page of entries, newest first, and how many match in all.

    ``since`` is inclusive, ``until`` exclusive; ``actor`` is an actor's exact name; ``action``
    is an exact action (``"volunteer.add"``) or, without a dot, every action on that noun
    (``"volunteer"``). ValueError unless 1 <= limit <= 500 and offset >= 0.
    """
    if not 1 <= limit <= 500:
        raise ValueError("limit must be between 1 and 500")
    if offset < 0:
        raise ValueError("offset must not be negative")
    conditions = []
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    if actor is not None:
        conditions.append(AuditEntry.actor_name == actor)
    if action is not None:
        if "." in action:
            conditions.append(AuditEntry.action == action)
        else:
            conditions.append(AuditEntry.action.startswith(action + ".", autoescape=True))
    total = session.scalar(select(func.count(AuditEntry.id)).where(*conditions)) or 0
    rows = session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    page = [
        AuditRow(
            id=e.id,
            at=e.at,
            actor_kind=e.actor_kind,
            actor_name=e.actor_name,
            actor_role=e.actor_role,
            action=e.action,
            target=e.target,
            detail=e.detail,
        )
        for e in rows
    ]
    return page, total
