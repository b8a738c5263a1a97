"""Error pages of the dashboard: the same calm shell, a plain sentence, the right status."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from warmline.web.dashboard.blueprint import bp

EXPLAIN = {
    400: "The request was not understood. Go back and try again.",
    403: "Your account's role does not include this page. Ask a coordinator if you need it.",
    404: "There is no such page.",
    429: "Too many attempts. Wait a minute before trying again.",
}


@bp.app_errorhandler(CSRFError)
def csrf_refused(exc: CSRFError) -> Any:
    """A form without its token (or with a stale one) is refused with 400, on any page."""
    return _page(exc, "This form has expired", "Reload the page and send it again.")


@bp.errorhandler(HTTPException)
def dashboard_error(exc: HTTPException) -> Any:
    return _page(exc, exc.name, EXPLAIN.get(exc.code or 500, "Something went wrong."))


def _page(exc: HTTPException, title: str, message: str) -> Any:
    code = exc.code or 500
    if request.blueprint not in (None, bp.name):
        return f"{code} {exc.name}: {exc.description}\n", code
    headers = {k: v for k, v in exc.get_response().headers.items() if k == "Retry-After"}
    return render_template("error.html", code=code, title=title, message=message), code, headers
