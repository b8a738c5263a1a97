"""The volunteer phones on the simulator page: who they are and whether they are on shift now."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.db.models import Volunteer
from warmline.scheduling.store import on_shift_now


@dataclass(frozen=True)
class VolunteerPhone:
    """One volunteer's phone. ``status`` reads as a label: "On shift until Tue 00:00" (in the
    line's timezone; ", paused" when they paused themselves), "Off shift" or "Inactive"."""

    name: str
    phone: str
    supervisor: bool
    on_shift: bool
    status: str

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def volunteer_phones(session: Session, tz: ZoneInfo, at: dt.datetime) -> list[VolunteerPhone]:
    """Every volunteer, in the order they were added, with their state at ``at``."""
    shifts = on_shift_now(session, tz, at)
    phones = []
    for v in session.scalars(select(Volunteer).order_by(Volunteer.id)):
        shift = shifts.get(v.id) if v.active else None
        if not v.active:
            status = "Inactive"
        elif shift is None:
            status = "Off shift"
        else:
            until = shift.end.astimezone(tz).strftime("%a %H:%M")
            status = f"On shift until {until}" + (", paused" if v.paused else "")
        phones.append(VolunteerPhone(v.name, v.phone, v.is_supervisor, shift is not None, status))
    return phones
