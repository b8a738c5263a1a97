"""The coordinators' dashboard (SPEC §11): sign-in, the shell, and one module per page.

``init_app(app)`` is called by ``create_app`` after every other blueprint is registered: it
sets the session cookie's rules, turns on CSRF protection for every form of the site (exempting
the blueprints whose callers cannot hold a CSRF token: Twilio's signed webhooks, the demo's phone
simulator and the bearer-token JSON API), signs people in with Flask-Login and throttles failed
sign-ins with Flask-Limiter.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from warmline.web.dashboard import filters
from warmline.web.dashboard.access import init_login, session_lifetime
from warmline.web.dashboard.blueprint import bp
from warmline.web.dashboard.limits import init_limiter
from warmline.web.dashboard.nav import links_for

# The page modules add their routes to ``bp`` when imported.
from warmline.web.dashboard import audit_log, auth, conversations, errors, escalations, now, users  # noqa: E402, F401, I001  isort: skip
from warmline.web.dashboard import reports, rota, rota_edits, volunteers  # noqa: E402, F401, I001  isort: skip



def init_app(app: Flask) -> None:
    wl = app.extensions["warmline"]
    settings = wl.settings
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.config.update(
        PERMANENT_SESSION_LIFETIME=session_lifetime(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.mode == "production",
        SESSION_COOKIE_NAME="warmline_session",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which expires itself
    )
    csrf = CSRFProtect(app)
    # Only the dashboard's forms ride on a session cookie. Every blueprint registered before it
    # proves its caller another way (Twilio's signature, a bearer token, a feed's secret URL) or
    # is the demo's simulator: a CSRF token means nothing to them.
    for other in list(app.blueprints.values()):
        csrf.exempt(other)
    app.register_blueprint(bp)
    init_login(app)
    init_limiter(app, settings.ratelimit_storage_uri)
    filters.init_filters(app, settings.line.timezone)

    @app.context_processor
    def shell() -> dict[str, Any]:
        if request.blueprint != bp.name:
            return {}
        signed_in = current_user.is_authenticated
        return {
            "line_name": settings.line.name,
            "nav": links_for(current_user.role) if signed_in else [],
        }
