"""The Flask app factory: registers blueprints, error pages and the web layer's helpers."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from warmline.bootstrap import Warmline, bootstrap, require_telephony
from warmline.config import load_settings
from warmline.web import timing
from warmline.web.durable import Durable


def create_app(warmline: Warmline | None = None) -> Flask:
    """The web app; with no ``warmline``, settings come from the environment (production).

    Raises ConfigError for a production app without Twilio credentials: the phone simulator,
    which shows what every phone sent and received, is only for the demo and tests.
    """
    settings = warmline.settings if warmline is not None else load_settings("production")
    require_telephony(settings)
    wl = warmline or bootstrap(settings)
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = wl.settings.secret_key
    app.extensions["warmline"] = wl
    app.extensions["warmline.durable"] = Durable(wl)  # texts kept while the database is away

    from warmline.web import health, simulator, twilio_hooks, voice_hooks

    app.register_blueprint(twilio_hooks.bp)
    app.register_blueprint(voice_hooks.bp)
    app.register_blueprint(health.bp)
    if wl.settings.uses_simulator and wl.settings.mode in ("demo", "test"):
        app.register_blueprint(simulator.bp)
    from warmline.web import calendar as calendar_feeds

    app.register_blueprint(calendar_feeds.bp)

    timing.init_app(app)
    from warmline.web import api

    api.init_app(app)

    from warmline.web import dashboard

    dashboard.init_app(app)  # last: the blueprints registered above are exempt from its CSRF

    @app.errorhandler(HTTPException)
    def plain_error(exc: HTTPException) -> tuple[str, int]:
        return f"{exc.code} {exc.name}: {exc.description}\n", exc.code or 500

    return app
