"""CSV cells a spreadsheet will not run (OWASP's "CSV injection"): the files coordinators export
open in Excel, LibreOffice or Google Sheets, where a cell starting with ``=``, ``+``, ``-`` or
``@`` is a formula. Such a cell is written with a leading apostrophe, which spreadsheets show as
text; a phone number or a plain number (``+15551230001``, ``-3``) is left as it is, so an export
imports again unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[\d .()]+")


def safe_cell(value: object) -> object:
    """``value`` as it may be written to a CSV cell."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_rows(rows: Iterable[Sequence[object]]) -> list[list[object]]:
    return [[safe_cell(v) for v in row] for row in rows]


def unquoted(value: str) -> str:
    """A cell read back from a CSV this module wrote: the apostrophe in front of a would-be
    formula removed."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value
