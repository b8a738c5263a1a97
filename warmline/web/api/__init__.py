"""The JSON API ``/api/v1`` (SPEC §11), documented by the OpenAPI 3 document it serves.

Built with flask-smorest: a plain Flask extension over blueprints (the app stays the app the
webhooks and the dashboard share), whose marshmallow schemas both serialise the responses and
generate ``/api/v1/openapi.json``, so the document cannot drift from what is served. Swagger UI
at ``/api/v1/docs`` from vendored files, never a CDN (:mod:`warmline.web.api.docs`).

Errors are problem details (:mod:`warmline.web.api.problems`) for everything under ``/api/``,
unknown paths and wrong methods included, while the rest of the app keeps its own error pages:
flask-smorest's app-wide error handler is not installed.
"""

from __future__ import annotations

import http
from typing import Any

from flask import Blueprint, Flask, abort, current_app, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException, default_exceptions
from werkzeug.routing import RequestRedirect

from warmline.web.api.problems import MEDIA_TYPE, ProblemSchema, from_http_exception

PREFIX = "/api/v1"
SETTINGS = {
    "API_TITLE": "warmline",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Read the live line, the rota, conversations (by alias, never a "
            "number), escalations, reports and the audit log; edit volunteers, shifts, "
            "overrides and swaps; acknowledge escalations; erase or export a contact's data. "
            "Every request needs `Authorization: Bearer <token>` (`warmline api-token add NAME "
            "--role ROLE`). Errors are `application/problem+json`."
        },
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    },
}


class WarmlineApi(Api):
    """flask-smorest's Api with problem details for every documented error, no catch-all
    ``default`` response (each operation lists its statuses), and no app-wide error handler."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # type: ignore[assignment]

    def _register_error_handlers(self) -> None:
        """The API's blueprints handle their own errors (common.api_blueprint)."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                if status == 401:
                    response["headers"] = {
                        "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}
                    }
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)


fallback = Blueprint("api_fallback", __name__)


@fallback.route(f"{PREFIX}/<path:rest>", methods=list(http.HTTPMethod))
def unknown(rest: str) -> Any:
    """An API path no resource has (404), or a method it does not take (405 with Allow)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    path = request.path
    methods = adapter.allowed_methods(path)
    allowed = sorted(m for m in methods if m != "OPTIONS" and _not_fallback(adapter, path, m))
    if allowed:
        abort(405, valid_methods=allowed)
    abort(404, "No such resource in this API.")


def _not_fallback(adapter: Any, path: str, method: str) -> bool:
    try:
        endpoint, _ = adapter.match(path, method=method)
    except (HTTPException, RequestRedirect):
        return False
    return bool(endpoint != "api_fallback.unknown")


for _code in default_exceptions:
    fallback.register_error_handler(_code, from_http_exception)
fallback.register_error_handler(HTTPException, from_http_exception)


def init_app(app: Flask) -> Api:
    """Register the API's resources, its document and its docs on ``app``."""
    from warmline.web.api import (
        contacts,
        docs,
        escalations,
        lists,
        live,
        shifts,
        swaps,
        volunteers,
    )

    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    api = WarmlineApi(app)
    for module in (live, volunteers, shifts, swaps, escalations, lists, contacts):
        for blp in module.blueprints:
            api.register_blueprint(blp)
    app.register_blueprint(docs.docs)
    app.register_blueprint(fallback)
    return api
