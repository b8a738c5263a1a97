"""Volunteers in and out as CSV: an import previewed row by row before anything is written,
and an export a coordinator can open in a spreadsheet.

The file has a header row; columns (any order, any case): ``name`` and ``phone`` required;
``role`` (volunteer or supervisor, default volunteer), ``capacity`` (default the line's),
``languages`` (e.g. ``en,es``) and ``active`` (yes/no, default yes) optional; any other column
is refused, so a misspelt ``capacty`` is not silently dropped. The export writes the same
columns, so one deployment's export imports into another.

:func:`preview` checks every row with exactly the rules of :func:`warmline.people.add_volunteer`
by adding it inside a savepoint that is always rolled back (nothing is written), plus a check
that no two rows share a number; :func:`commit` does the same again (the database may have
changed since the preview) and then adds the good rows, each audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from warmline import people
from warmline.accounts.roles import require
from warmline.audit import Actor, record
from warmline.config import Settings
from warmline.db.models import Volunteer
from warmline.services import volunteers
from warmline.services.spreadsheet import safe_cell, unquoted

REQUIRED = ("name", "phone")
OPTIONAL = ("role", "capacity", "languages", "active")
COLUMNS = REQUIRED + OPTIONAL
MAX_ROWS = 2000
MAX_BYTES = 1_000_000
_YES = {"yes": True, "y": True, "true": True, "1": True, "": True}
_NO = {"no": False, "n": False, "false": False, "0": False}


@dataclass(frozen=True)
class ImportRow:
    """One data row: ``line`` is its line in the file (the header is line 1)."""

    line: int
    name: str
    phone: str
    role: str
    capacity: int | None
    languages: str
    active: bool
    error: str | None = None


@dataclass(frozen=True)
class Preview:
    rows: tuple[ImportRow, ...]

    @property
    def good(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.error is None)

    @property
    def bad(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.error is not None)


def preview(session: Session, settings: Settings, text: str, now: dt.datetime) -> Preview:
    """Every row of ``text`` with its error (None when it would be added); writes nothing.

    AdminError for a file that cannot be read at all (no header, a missing or unknown column,
    too big); row problems are returned, not raised.
    """
    rows = _parse(text)
    checked: list[ImportRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.error is None:
            row = _check(session, settings, row, seen, now)
        checked.append(row)
    return Preview(tuple(checked))


def _check(
    session: Session, settings: Settings, row: ImportRow, seen: dict[str, int], now: dt.datetime
) -> ImportRow:
    try:
        number = people.phone(row.phone, settings.line.region)
        if number in seen:
            raise people.AdminError(f"the same phone number as line {seen[number]}")
        with session.begin_nested() as savepoint:
            people.add_volunteer(
                session,
                row.name,
                row.phone,
                now,
                role=row.role,
                capacity=row.capacity or settings.routing.default_capacity,
                languages=row.languages,
                region=settings.line.region,
            )
            savepoint.rollback()
    except people.AdminError as exc:
        return _with_error(row, str(exc))
    seen[number] = row.line
    return row


def commit(
    session: Session,
    actor: Actor,
    settings: Settings,
    text: str,
    now: dt.datetime,
    *,
    skip_bad: bool = False,
) -> tuple[list[Volunteer], Preview]:
    """Add the file's volunteers; returns those added and the preview it acted on.

    With a bad row, AdminError naming the first bad lines unless ``skip_bad`` (then the good rows
    are added and the bad ones left out); AdminError too when no row is good.
    """
    require(actor.role, "edit_volunteers")
    checked = preview(session, settings, text, now)
    if checked.bad and not skip_bad:
        said = "; ".join(f"line {r.line}: {r.error}" for r in checked.bad[:3])
        more = f" (and {len(checked.bad) - 3} more)" if len(checked.bad) > 3 else ""
        raise people.AdminError(f"nothing imported: {said}{more}")
    if not checked.good:
        raise people.AdminError("nothing imported: the file has no row that can be added")
    added = []
    for row in checked.good:
        volunteer = volunteers.add(
            session,
            actor,
            settings,
            now,
            name=row.name,
            number=row.phone,
            role=row.role,
            capacity=row.capacity,
            languages=row.languages,
            detail=f"CSV import, line {row.line}",
        )
        if not row.active:
            volunteer.active = False
        added.append(volunteer)
    record(
        session,
        actor,
        "volunteer.import",
        detail=f"{len(added)} added, {len(checked.bad)} bad row(s) left out",
        at=now,
    )
    return added, checked


def export(session: Session, actor: Actor, now: dt.datetime) -> str:
    """Every volunteer as CSV (the import's columns). It holds phone numbers, so it is recorded
    in the audit log like a change; callers allow it to coordinators only."""
    require(actor.role, "view_volunteer_phones")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    found = people.list_volunteers(session)
    for v in found:
        writer.writerow(
            [
                safe_cell(c)
                for c in (v.name, v.phone, v.role, v.capacity, v.languages)
                + ("yes" if v.active else "no",)
            ]
        )
    record(session, actor, "volunteer.export", detail=f"{len(found)} volunteer(s)", at=now)
    return out.getvalue()


def _parse(text: str) -> list[ImportRow]:
    if len(text.encode()) > MAX_BYTES:
        raise people.AdminError(f"the file is larger than {MAX_BYTES // 1000} kB")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))  # a spreadsheet's byte-order mark
    header = [h.strip().lower() for h in next(reader, [])]
    if not any(header):
        raise people.AdminError(
            f"the file is empty: the first line names the columns ({', '.join(COLUMNS)})"
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise people.AdminError(
            f"unknown column(s) {', '.join(unknown)}: the columns are {', '.join(COLUMNS)}"
        )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise people.AdminError(f"the header has no {' or '.join(missing)} column")
    rows: list[ImportRow] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue  # blank lines, often at the end
        if len(rows) == MAX_ROWS:
            raise people.AdminError(f"more than {MAX_ROWS} rows: split the file")
        rows.append(
            _row(reader.line_num, dict(zip(header, cells, strict=False)), len(cells) > len(header))
        )
    return rows


def _row(line: int, cells: dict[str, str], extra: bool) -> ImportRow:
    def cell(name: str) -> str:
        return unquoted((cells.get(name) or "").strip())

    row = ImportRow(
        line=line,
        name=cell("name"),
        phone=cell("phone"),
        role=cell("role").lower() or "volunteer",
        capacity=None,
        languages=cell("languages"),
        active=True,
    )
    if extra:
        return _with_error(row, "more cells than columns (a comma inside a name needs quotes)")
    capacity = cell("capacity")
    if capacity and not capacity.isdigit():
        return _with_error(row, f"capacity must be a whole number, got {capacity!r}")
    active = cell("active").lower()
    if active not in _YES and active not in _NO:
        return _with_error(row, f"active must be yes or no, got {active!r}")
    return ImportRow(
        line=row.line,
        name=row.name,
        phone=row.phone,
        role=row.role,
        capacity=int(capacity) if capacity else None,
        languages=row.languages,
        active=_YES.get(active, False),
    )


def _with_error(row: ImportRow, error: str) -> ImportRow:
    return ImportRow(
        row.line, row.name, row.phone, row.role, row.capacity, row.languages, row.active, error
    )
