"""Liveness, readiness and metrics."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from warmline.config import metrics_dir
from warmline.metrics import LiveFigures, exposition

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    wl = current_app.extensions["warmline"]
    try:
        with wl.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        database = "unavailable"
    ok = database == "ok"
    # Escalations still reach whoever is on shift without them, but nobody off shift hears.
    alerts = "ok" if wl.settings.coordinator_numbers else "no coordinator numbers"
    body = jsonify(status="ok" if ok else "degraded", database=database, alerts=alerts)
    return body, 200 if ok else 503


@bp.get("/metrics")
def metrics() -> Response:
    wl = current_app.extensions["warmline"]
    body = exposition(metrics_dir(), LiveFigures(wl.db, wl.clock))
    return Response(body, mimetype=CONTENT_TYPE_LATEST)
