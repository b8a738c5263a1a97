"""SQL pieces the read models share, written once for SQLite and PostgreSQL.

- :class:`seconds_between` — ``later - earlier`` in seconds (a float) on both databases.
- :class:`epoch_bucket` — an instant's bucket number, ``floor(epoch seconds / size)``, so rows
  can be counted per UTC hour (or quarter-hour) with ``GROUP BY`` and the few buckets mapped to
  local time in Python.
- :func:`percentiles` — nearest-rank percentiles of an expression over a filtered set, picked in
  SQL with window functions (``ROW_NUMBER``/``COUNT(*) OVER ()``), never by loading the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Integer, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class seconds_between(FunctionElement[float]):  # noqa: N801 (reads as a SQL function)
    """``later - earlier`` in seconds, as a float (NULL when either is NULL)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"((julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)})) * 86400.0)"
    )


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - "
        f"{compiler.process(earlier, **kw)}))::float8"
    )


class epoch_bucket(FunctionElement[int]):  # noqa: N801
    """``floor(epoch seconds of instant / size)``: ``epoch_bucket(column, literal(3600))``."""

    type = Integer()
    inherit_cache = True
    name = "epoch_bucket"


@compiles(epoch_bucket, "sqlite")
def _bucket_sqlite(element: epoch_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    instant, size = list(element.clauses)
    # strftime('%s') is whole epoch seconds of the stored UTC text; integer division floors
    # (every instant here is after 1970).
    return (
        f"(CAST(strftime('%s', {compiler.process(instant, **kw)}) AS INTEGER) / "
        f"{compiler.process(size, **kw)})"
    )


@compiles(epoch_bucket, "postgresql")
def _bucket_postgresql(element: epoch_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    instant, size = list(element.clauses)
    return (
        f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(instant, **kw)}) / "
        f"{compiler.process(size, **kw)}) AS INTEGER)"
    )


def bucket_start(bucket: int, size: int) -> dt.datetime:
    """The aware UTC instant at which bucket number ``bucket`` of ``size`` seconds starts."""
    return dt.datetime.fromtimestamp(bucket * size, dt.UTC)


@dataclass(frozen=True)
class Spread:
    """How long something took over ``count`` cases: nearest-rank median and 90th percentile,
    whole seconds (None when ``count`` is 0)."""

    count: int
    median_s: int | None
    p90_s: int | None


def percentiles(
    session: Session, value: ColumnElement[float], where: Sequence[ColumnElement[bool]]
) -> Spread:
    """The median and p90 of ``value`` over the rows matching ``where`` (NULL values skipped).

    Nearest rank: the p-th percentile of n sorted values is the one at rank ceil(p·n / 100)
    (1-based), so the median of 4 values is the 2nd. Values are rounded to whole seconds.
    """
    inner = (
        select(
            value.label("v"),
            func.row_number().over(order_by=value).label("rn"),
            func.count().over().label("n"),
        )
        .where(value.is_not(None), *where)
        .subquery()
    )
    # ceil(p·n/100) with integer arithmetic, the same on both databases.
    rank50 = (inner.c.n * 50 + 99) // 100
    rank90 = (inner.c.n * 90 + 99) // 100
    rows = session.execute(
        select(inner.c.v, inner.c.rn, inner.c.n).where(
            (inner.c.rn == rank50) | (inner.c.rn == rank90)
        )
    ).all()
    if not rows:
        return Spread(0, None, None)
    n = int(rows[0].n)
    by_rank = {int(r.rn): round(float(r.v)) for r in rows}
    return Spread(n, by_rank[(n * 50 + 99) // 100], by_rank[(n * 90 + 99) // 100])


def whole_seconds(later: dt.datetime | None, earlier: dt.datetime | None) -> int | None:
    """``later - earlier`` in whole seconds (floored, never negative), None when either is None."""
    if later is None or earlier is None:
        return None
    return max(0, int((later - earlier).total_seconds()))
