"""The Flask app factory: registers blueprints and error pages, nothing else."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from warmline.bootstrap import Warmline, bootstrap
from warmline.config import load_settings


def create_app(warmline: Warmline | None = None) -> Flask:
    """The web app; with no ``warmline``, settings come from the environment (production)."""
    wl = warmline or bootstrap(load_settings("production"))
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = wl.settings.secret_key
    app.extensions["warmline"] = wl

    from warmline.web import health, simulator, twilio_hooks, voice_hooks

    app.register_blueprint(twilio_hooks.bp)
    app.register_blueprint(voice_hooks.bp)
    app.register_blueprint(health.bp)
    if wl.settings.uses_simulator:
        app.register_blueprint(simulator.bp)
    from warmline.web import calendar as calendar_feeds

    app.register_blueprint(calendar_feeds.bp)

    @app.errorhandler(HTTPException)
    def plain_error(exc: HTTPException) -> tuple[str, int]:
        return f"{exc.code} {exc.name}: {exc.description}\n", exc.code or 500

    return app
