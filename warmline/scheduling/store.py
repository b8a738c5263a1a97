"""Loads the rota from the database into the pure domain (warmline.scheduling.rota).

``on_shift_now`` keeps a compiled :class:`~warmline.scheduling.rota.RotaIndex` per database and
timezone in this process, reused while the rota's version stamp
(:mod:`warmline.scheduling.rota_version`) is unchanged.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.db import models as m
from warmline.scheduling import rota as r
from warmline.scheduling.rota_version import current_version

_compiled: dict[tuple[str, str], tuple[str, r.RotaIndex]] = {}


def load_rota(session: Session, tz: ZoneInfo) -> r.Rota:
    slots = tuple(
        r.WeeklySlot(
            id=s.id,
            weekday=s.weekday,
            start=s.start_local,
            end=s.end_local,
            volunteers=tuple(r.Assignment(a.volunteer_id, a.supervisor) for a in s.assignments),
            first_date=s.first_date,
            last_date=s.last_date,
        )
        for s in session.scalars(select(m.WeeklySlot).order_by(m.WeeklySlot.id))
    )
    one_offs = tuple(
        r.OneOffShift(
            id=o.id,
            start=o.start,
            end=o.end,
            volunteers=(r.Assignment(o.volunteer_id, o.supervisor),),
        )
        for o in session.scalars(select(m.OneOffShift).order_by(m.OneOffShift.id))
    )
    overrides = tuple(
        r.Override(
            id=o.id,
            kind=o.kind,  # type: ignore[arg-type]
            volunteer_id=o.volunteer_id,
            start=o.start,
            end=o.end,
            replacement_id=o.replacement_id,
            supervisor=o.supervisor,
        )
        for o in session.scalars(select(m.RotaOverride).order_by(m.RotaOverride.id))
    )
    return r.Rota(timezone=tz, slots=slots, one_offs=one_offs, overrides=overrides)


def on_shift_now(session: Session, tz: ZoneInfo, at: dt.datetime) -> dict[int, r.ShiftInstance]:
    """Volunteer id -> their shift covering ``at``."""
    version = current_version(session)  # before the rota: never cache new data under an old stamp
    if version is None:
        return {s.volunteer_id: s for s in r.on_shift(load_rota(session, tz), at)}
    key = (str(session.get_bind().engine.url), tz.key)
    hit = _compiled.get(key)
    if hit is None or hit[0] != version:
        hit = (version, r.RotaIndex(load_rota(session, tz)))
        _compiled[key] = hit
    return {s.volunteer_id: s for s in hit[1].on_shift(at)}
