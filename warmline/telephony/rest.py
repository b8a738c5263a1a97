"""Twilio REST adapter of the telephony port (`telephony.port.Telephony`): outbound SMS and calls,
and deleting recordings, through the real `twilio` library. The webhook URLs Twilio needs (a
text's status callback, the TwiML of warmline's own calls) are built here, from the line's
public URL: the rest of warmline never sees one.

Privacy: nothing here logs phone numbers or message bodies. The library's own request logging
(URL, query string, headers at INFO on "twilio.http_client") is replaced by one DEBUG line with
the method, the path and the status, and errors never carry Twilio's message text, which can
quote the number ("Invalid 'To' Phone Number: +1...").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from warmline.telephony.port import CallPurpose, SendFailure

logger = logging.getLogger(__name__)

DEFAULT_CALL_EVENTS = ("initiated", "ringing", "answered", "completed")
# warmline's webhooks (web/twilio_hooks.py, web/voice_hooks.py), under the public URL.
SMS_STATUS_PATH = "/twilio/sms/status"
CALL_STATUS_PATH = "/twilio/voice/status"
CALL_TWIML_PATHS: dict[CallPurpose, str] = {"callback": "/twilio/voice/bridge?c={conversation_id}"}


class SendError(SendFailure):
    """Twilio refused or could not be reached. `transient` says whether retrying may succeed.

    `status` is the HTTP status (None when no answer came), `code` Twilio's error code
    (e.g. 21610 unsubscribed recipient, 21211 invalid 'To' number; None when Twilio gave none).
    """

    def __init__(
        self,
        message: str,
        *,
        code: int | None,
        status: int | None,
        transient: bool,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(message, code=code, transient=transient, ambiguous=ambiguous)
        self.status = status


class _WarmlineHttpClient(TwilioHttpClient):
    """TwilioHttpClient that logs no request details and may send to another base URL.

    With `api_base_url`, a request for https://<anything>.twilio.com/<path> goes to
    <api_base_url>/<path>; the rewrite sits at the HTTP layer so it covers every domain and
    the library's edge/region host rewriting alike.
    """

    def __init__(self, *, api_base_url: str | None, timeout: float) -> None:
        super().__init__(timeout=timeout, logger=logger)
        self._base = urlsplit(api_base_url) if api_base_url else None

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        url = self._redirect(url)
        response = super().request(method, url, *args, **kwargs)
        self.logger.debug("Twilio %s %s -> %s", method, urlsplit(url).path, response.status_code)
        return response

    def _redirect(self, url: str) -> str:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if self._base is None or not (host == "twilio.com" or host.endswith(".twilio.com")):
            return url
        path = self._base.path.rstrip("/") + parts.path
        return urlunsplit((self._base.scheme, self._base.netloc, path, parts.query, ""))

    # The library logs URL, query parameters and headers at INFO; query strings of list
    # requests can hold phone numbers, so request() logs only method, path and status.
    def log_request(self, kwargs: dict[str, Any]) -> None:
        pass

    def log_response(self, status_code: int, response: Any) -> None:
        pass


def make_client(
    account_sid: str,
    auth_token: str,
    api_base_url: str | None = None,
    timeout: float = 10.0,
) -> Client:
    """Build a Twilio REST client; `timeout` (seconds) bounds connecting and each read.

    With `api_base_url` (e.g. "http://127.0.0.1:8765"), requests meant for
    https://*.twilio.com go to that base instead, same path (a local stand-in in tests).
    """
    http_client = _WarmlineHttpClient(api_base_url=api_base_url, timeout=timeout)
    # An empty environment so TWILIO_EDGE/TWILIO_REGION in os.environ cannot reroute us.
    return Client(account_sid, auth_token, http_client=http_client, environment={})


class TwilioSender:
    """Sends SMS, places calls and deletes recordings through Twilio's REST API.

    `public_url` (``WARMLINE_PUBLIC_URL``) is where Twilio reaches warmline's webhooks: texts
    ask for status callbacks there, and calls cannot be placed without it.

    Error and retry contract: every failure raises `SendError`.

    - HTTP 5xx, HTTP 429, connection errors and time-outs: `transient=True`; retry later
      (with back-off). Those that may hide a request Twilio did accept (a read time-out, a
      connection dropped after connecting, a 5xx) are also `ambiguous=True`: the outbox then
      asks `find_sent` before sending again, so the retry does not duplicate the message.
    - any other 4xx: `transient=False`, `code` is Twilio's error code (21610 the recipient
      replied STOP, 21211 invalid 'To' number, 21608 unverified number, ...); do not retry,
      record it.

    Returns the new resource's SID (SM... for messages, CA... for calls).
    """

    def __init__(self, client: Client, public_url: str | None = None) -> None:
        self._client = client
        self._public_url = public_url.rstrip("/") if public_url else None

    def send_sms(self, *, from_: str, to: str, body: str) -> str:
        """Send one SMS (Twilio splits bodies over 160 GSM-7/70 UCS-2 characters); its SID.
        With a public URL, Twilio reports its delivery to ``SMS_STATUS_PATH``."""
        status_callback = self._url(SMS_STATUS_PATH)
        # A None status_callback is dropped by the library, not sent.
        message = _call(
            "message",
            lambda: self._client.messages.create(
                to=to, from_=from_, body=body, status_callback=status_callback
            ),
        )
        return str(message.sid)

    def _url(self, path: str) -> str | None:
        return f"{self._public_url}{path}" if self._public_url else None

    def find_sent(self, *, from_: str, to: str, body: str, since: dt.datetime) -> list[str]:
        """The SIDs of messages with this body from `from_` to `to` that Twilio created at or
        after `since`, newest first, among the latest 50 between the two numbers.

        Filters by number, not by `DateSent`: a message Twilio has only queued has no send date
        yet. Raises `SendError` (transient) when Twilio cannot be asked.
        """
        found = _call(
            "message lookup",
            lambda: self._client.messages.list(to=to, from_=from_, limit=50, page_size=50),
        )
        return [
            str(m.sid)
            for m in found
            if m.body == body and (m.date_created is None or m.date_created >= since)
        ]

    def start_call(
        self,
        *,
        from_: str,
        to: str,
        url: str,
        status_callback: str | None = None,
        status_callback_events: Sequence[str] = DEFAULT_CALL_EVENTS,
        timeout: int | None = None,
    ) -> str:
        """Start an outbound call whose TwiML Twilio fetches from `url`; its SID.

        `timeout` is how long (seconds) to let it ring; `status_callback_events` are sent only
        with a `status_callback`, as Twilio ignores them otherwise.
        """
        extra: dict[str, Any] = {}
        if status_callback is not None:
            extra["status_callback"] = status_callback
            extra["status_callback_event"] = list(status_callback_events)
        if timeout is not None:
            extra["timeout"] = timeout
        call = _call(
            "call", lambda: self._client.calls.create(to=to, from_=from_, url=url, **extra)
        )
        return str(call.sid)

    def place_call(
        self, *, purpose: CallPurpose, conversation_id: int, from_: str, to: str, ring_seconds: int
    ) -> str:
        """Call ``to``; Twilio fetches what to play from ``CALL_TWIML_PATHS[purpose]`` and
        reports every step of the call to ``CALL_STATUS_PATH``. Without a public URL Twilio
        could reach neither: a transient `SendFailure`, so the call is tried again once it is
        set."""
        if self._public_url is None:
            raise SendFailure(
                "WARMLINE_PUBLIC_URL is not set: Twilio could not fetch the call's TwiML",
                code=None,
                transient=True,
            )
        twiml = CALL_TWIML_PATHS[purpose].format(conversation_id=conversation_id)
        return self.start_call(
            from_=from_,
            to=to,
            url=f"{self._public_url}{twiml}",
            status_callback=f"{self._public_url}{CALL_STATUS_PATH}",
            timeout=ring_seconds,
        )

    def delete_recording(self, recording_sid: str) -> None:
        """Delete Twilio's copy of a recording (RE...); a recording Twilio no longer has (HTTP 404)
        counts as deleted, so calling this again is safe.

        Errors: `SendError` as for sending: `transient=True` for 5xx, 429, connection errors and
        time-outs (try again later); `transient=False` for other 4xx (401 wrong credentials, 403),
        which a retry alone will not mend.
        """
        try:
            _call("recording delete", lambda: self._client.recordings(recording_sid).delete())
        except SendError as exc:
            if exc.status != 404:
                raise


def _call(what: str, create: Callable[[], Any]) -> Any:
    try:
        return create()
    except (TwilioRestException, TwilioServiceException) as exc:
        status = int(exc.status)
        # Without a JSON error body the library reports the HTTP status as the code.
        code = exc.code if isinstance(exc.code, int) and exc.code != status else None
        transient = status >= 500 or status == 429
        # Twilio's own message can quote the phone number, so it is left out (and unchained).
        raise SendError(
            f"Twilio refused the {what}: HTTP {status}, error {code}",
            code=code,
            status=status,
            transient=transient,
            ambiguous=status >= 500,
        ) from None
    except (
        requests.ConnectionError,
        requests.Timeout,
        requests.exceptions.ChunkedEncodingError,
    ) as exc:
        raise SendError(
            f"Twilio could not be reached for the {what}: {type(exc).__name__}",
            code=None,
            status=None,
            transient=True,
            ambiguous=not _never_connected(exc),
        ) from exc


def _never_connected(exc: Exception) -> bool:
    """True when the request surely never reached Twilio: the connection was not made."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return type(reason).__name__ in ("NewConnectionError", "ConnectTimeoutError")
