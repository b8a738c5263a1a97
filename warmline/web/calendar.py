"""Calendar feeds (iCalendar) at secret URLs: per volunteer and for the whole rota."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from warmline.bootstrap import Warmline
from warmline.scheduling.feeds import feed_for_token

bp = Blueprint("calendar", __name__)


@bp.get("/calendar/<token>.ics")
def feed(token: str) -> Response:
    wl: Warmline = current_app.extensions["warmline"]
    with wl.db.unit_of_work() as session:
        body = feed_for_token(session, wl.settings, token, wl.clock())
    if body is None:
        abort(404, "no such calendar")
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
