"""The Flask app factory: registers blueprints and error pages, nothing else."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from warmline import metrics
from warmline.bootstrap import Warmline, bootstrap, require_telephony
from warmline.config import load_settings


def create_app(warmline: Warmline | None = None) -> Flask:
    """The web app; with no ``warmline``, settings come from the environment (production).

    Raises ConfigError for a production app without Twilio credentials: the phone simulator,
    which shows what every phone sent and received, is only for the demo and tests.
    """
    if warmline is None:
        settings = load_settings("production")
        require_telephony(settings)
        warmline = bootstrap(settings)
    wl = warmline
    require_telephony(wl.settings)
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = wl.settings.secret_key
    app.extensions["warmline"] = wl

    from warmline.web import health, simulator, twilio_hooks, voice_hooks

    app.register_blueprint(twilio_hooks.bp)
    app.register_blueprint(voice_hooks.bp)
    app.register_blueprint(health.bp)
    if wl.settings.uses_simulator and wl.settings.mode in ("demo", "test"):
        app.register_blueprint(simulator.bp)
    from warmline.web import calendar as calendar_feeds

    app.register_blueprint(calendar_feeds.bp)

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        if request.path.startswith("/twilio/") and "started" in g:
            rule = request.url_rule.rule if request.url_rule else "unknown"  # bounded labels
            metrics.WEBHOOK_SECONDS.labels(rule).observe(time.perf_counter() - g.started)
        return response

    @app.errorhandler(HTTPException)
    def plain_error(exc: HTTPException) -> tuple[str, int]:
        return f"{exc.code} {exc.name}: {exc.description}\n", exc.code or 500

    return app
