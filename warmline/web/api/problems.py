"""Errors of the JSON API as RFC 9457 problem details (``application/problem+json``).

Every error the API answers, from a view, from argument parsing (422, with ``errors`` per field)
or from Flask itself (404, 405, 500), is ``{"type", "title", "status", "detail"}``. The detail
never holds a phone number or a message body: views pass fixed sentences or ids.
"""

from __future__ import annotations

import http
import re
from typing import Any

import marshmallow as ma
from flask import Response, json
from werkzeug.exceptions import HTTPException

MEDIA_TYPE = "application/problem+json"

# As warmline.audit's test for a phone number: dates and clock times are digit runs too.
_DATES_AND_TIMES = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(:\d{2})?")
_PHONE_LIKE = re.compile(r"\+?\(?\d(?:[\s().-]{0,2}\d){6,}")


def redact(text: str) -> str:
    """``text`` with every run that could be a phone number replaced by "that number" (dates
    and clock times kept): a refusal's message may repeat what the caller sent."""
    kept: list[str] = []
    text = text.replace("\0", "")  # the placeholders' marker

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group())
        return f"\0{len(kept) - 1}\0"

    masked = _PHONE_LIKE.sub("that number", _DATES_AND_TIMES.sub(keep, text))
    return re.sub("\0(\\d+)\0", lambda m: kept[int(m.group(1))], masked)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details; ``errors`` for 422 (field -> messages)."""

    type = ma.fields.String(required=True, metadata={"example": "about:blank"})
    title = ma.fields.String(required=True, metadata={"example": "Not Found"})
    status = ma.fields.Integer(required=True, metadata={"example": 404})
    detail = ma.fields.String(required=True)
    errors = ma.fields.Dict(metadata={"description": "Per-location, per-field messages (422)."})


def problem(
    status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body = {
        "type": "about:blank",
        "title": http.HTTPStatus(status).phrase,
        "status": status,
        "detail": redact(detail),
    } | extra
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_exception(exc: HTTPException) -> Response:
    """A problem for ``exc``: its code and description; webargs' messages as ``errors``; its
    own headers (``Allow`` for 405); ``WWW-Authenticate: Bearer`` for 401."""
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    extra: dict[str, Any] = {}
    if "messages" in data or "errors" in data:
        extra["errors"] = data.get("errors", data.get("messages"))
    detail = data.get("message") or exc.description or http.HTTPStatus(status).description
    if status >= 500:
        detail = "The server failed to answer; the error was logged."
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="warmline"'
    return problem(status, str(detail), headers=headers, **extra)
