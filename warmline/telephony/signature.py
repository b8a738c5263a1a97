"""Checking ``X-Twilio-Signature``, once, for every Twilio webhook (SPEC §4).

The signed URL is ``WARMLINE_PUBLIC_URL`` + the request path (+ query string), with any ``#``
fragment stripped (Twilio strips connection overrides such as ``#rc=3`` before signing); without
a public URL, the URL the request arrived at. All form fields are signed, repeated keys included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from twilio.request_validator import RequestValidator, compare


def signed_url(public_url: str | None, request_url: str, path: str, query: str) -> str:
    if public_url:
        url = public_url + path + (f"?{query}" if query else "")
    else:
        url = request_url
    return url.split("#", 1)[0]


def is_valid(
    auth_token: str, url: str, form: Mapping[str, Sequence[str]] | object, signature: str | None
) -> bool:
    if not signature:
        return False
    validator = RequestValidator(auth_token)
    # Most requests are signed over the URL exactly as it is configured: one HMAC. Only when
    # that fails, the library's check, which tries the URL with and without its port.
    if compare(validator.compute_signature(url, form), signature):
        return True
    return bool(validator.validate(url, form, signature))


def sign(auth_token: str, url: str, form: Mapping[str, str | Sequence[str]]) -> str:
    """The signature Twilio would send (used by the simulator and the tests)."""
    return str(RequestValidator(auth_token).compute_signature(url, form))
