"""The calendar feeds behind secret URLs: one per volunteer, one for the whole rota.

A volunteer's feed is at ``/calendar/<Volunteer.calendar_token>.ics`` (active volunteers only);
the rota's at ``/calendar/<rota token>.ics``, the token being an HMAC of the deployment's
``SECRET_KEY``, so it changes only when that key does. Both cover the shifts from
``FEED_PAST`` ago to ``FEED_AHEAD`` ahead of ``now``. An unknown token finds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline.config import Settings
from warmline.db.models import Volunteer
from warmline.scheduling.calendar import rota_feed, volunteer_feed
from warmline.scheduling.store import load_rota

FEED_PAST = dt.timedelta(days=7)
FEED_AHEAD = dt.timedelta(weeks=8)


def rota_token(secret_key: str) -> str:
    """The whole rota's feed token: derived from ``SECRET_KEY``, 32 hex characters."""
    digest = hmac.new(secret_key.encode(), b"warmline rota calendar", hashlib.sha256)
    return digest.hexdigest()[:32]


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


def feed_for_token(
    session: Session, settings: Settings, token: str, now: dt.datetime
) -> bytes | None:
    """The iCalendar feed ``token`` opens, or None when it opens none."""
    start, end = now - FEED_PAST, now + FEED_AHEAD
    line = settings.line.name
    if hmac.compare_digest(token.encode(), rota_token(settings.secret_key).encode()):
        names = {vid: name for vid, name in session.execute(select(Volunteer.id, Volunteer.name))}
        rota = load_rota(session, settings.line.timezone)
        return rota_feed(rota, line_name=line, names=names, start=start, end=end, dtstamp=now)
    volunteer = session.scalars(
        select(Volunteer).where(Volunteer.calendar_token == token, Volunteer.active.is_(True))
    ).first()
    if volunteer is None:
        return None
    rota = load_rota(session, settings.line.timezone)
    return volunteer_feed(
        rota,
        volunteer.id,
        line_name=line,
        volunteer_name=volunteer.name,
        start=start,
        end=end,
        dtstamp=now,
    )


def feed_urls(session: Session, settings: Settings) -> list[tuple[str, str]]:
    """(who, URL) for the rota and every active volunteer; paths only without a public URL."""
    base = settings.public_url or ""
    urls = [("whole rota", base + feed_path(rota_token(settings.secret_key)))]
    for v in session.scalars(
        select(Volunteer).where(Volunteer.active.is_(True)).order_by(Volunteer.name)
    ):
        urls.append((v.name, base + feed_path(v.calendar_token)))
    return urls
