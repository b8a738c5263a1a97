"""What every API resource shares: list arguments, the page envelope, documented errors."""

from __future__ import annotations

import datetime as dt
import http
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import marshmallow as ma
from flask import abort
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException, default_exceptions

from warmline.accounts.roles import GRANTS, PermissionDenied
from warmline.web.api import auth
from warmline.web.api.problems import from_http_exception, problem

MAX_LIMIT = 200
MAX_ID = 2**31 - 1
# Printable text on one line: no control characters (PostgreSQL refuses NUL in text).
ONE_LINE = ma.validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error="No control characters.")


EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2199, 12, 31, tzinfo=dt.UTC)


def instant(description: str, **kw: Any) -> ma.fields.AwareDateTime:
    """An ISO 8601 time (UTC when no offset is given) in the years 2000 to 2199; the pattern
    says so in the document, where a range of dates cannot be written."""
    return ma.fields.AwareDateTime(
        default_timezone=dt.UTC,
        validate=ma.validate.Range(EARLIEST, LATEST),
        metadata={
            "description": f"{description} Years 2000 to 2199.",
            "pattern": "^2[01][0-9]{2}-",
        },
        **kw,
    )


class RangeArgs(ma.Schema):
    """A time range: ``since`` inclusive, ``until`` exclusive."""

    since = instant("From (inclusive).")
    until = instant("Until (exclusive).")


class ListArgs(RangeArgs):
    """Pagination (``limit``, ``offset``) and a time range."""

    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(1, MAX_LIMIT))
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(0, 10_000_000))


def page_of(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope of a list: ``items``, ``total`` matching, and the ``limit``/``offset``."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item), required=True),
            "total": ma.fields.Integer(required=True),
            "limit": ma.fields.Integer(required=True),
            "offset": ma.fields.Integer(required=True),
        },
        name=name,
    )


def envelope(items: Any, total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": list(items), "total": total, "limit": limit, "offset": offset}


def api_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """A resource's blueprint: bearer token first, errors as problem details."""
    blp = Blueprint(name, __name__, url_prefix=f"/api/v1{url_prefix}", description=description)
    blp.before_request(auth.authenticate)
    for code in default_exceptions:  # code handlers first: they beat the app's own by code
        blp.register_error_handler(code, from_http_exception)
    blp.register_error_handler(HTTPException, from_http_exception)
    blp.register_error_handler(PermissionDenied, _denied)
    return blp


def _denied(exc: PermissionDenied) -> Any:
    return problem(403, f"The {exc.role} role may not {exc.permission.replace('_', ' ')}.")


def not_found(what: str, ident: object) -> NoReturn:
    abort(404, f"No {what} has id {ident}.")


@contextmanager
def refusals(status: int, *kinds: type[Exception]) -> Iterator[None]:
    """Answer ``status`` (422: the rules refuse it; 409: not in this state) with the
    message of a refusal of one of ``kinds`` raised inside; nothing it did is committed when
    the refusal escapes the unit of work inside."""
    try:
        yield
    except kinds as exc:
        abort(status, str(exc)[:1].upper() + str(exc)[1:] + ("" if str(exc).endswith(".") else "."))


def errors(blp: Blueprint, permission: str | None, *codes: int) -> Callable[[Any], Any]:
    """Document what an operation can answer besides success: 401 always, 403 when some role
    lacks ``permission``, and ``codes``."""
    statuses = [401]
    if permission is not None and not all(permission in g for g in GRANTS.values()):
        statuses.append(403)
    statuses += codes

    def decorate(view: Any) -> Any:
        for status in statuses:
            view = blp.alt_response(status, response=http.HTTPStatus(status).name)(view)
        return view

    return decorate
