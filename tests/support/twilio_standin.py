"""A local stand-in of Twilio's REST API that checks every request against Twilio's OpenAPI.

A real HTTP server on 127.0.0.1 (ephemeral port, background thread). Each request is validated
with openapi-core against Twilio's own description (`tests/support/twilio/`: the operations the
product uses, cut from Twilio's full file by `scripts/trim_twilio_openapi.py`), mapped onto its
`https://api.twilio.com` server; form keys the operation does not declare are
flagged too, since real Twilio silently ignores a misspelt parameter. Invalid requests are
recorded and answered 400 with Twilio's error body (code 20001).

Valid Messages and Calls creates answer 201 with a resource shaped like Twilio's, except where
Twilio itself would refuse them (21211 'To' not E.164, 21617 body over 1,600 characters) or a
test asked for a failure (`fail_next`) or a slow answer (`delay_next`). The Messages list
(`GET .../Messages.json`, filtered by `To` and `From`, newest first) answers from the accepted
creates; `date_created` comes from `now`, which a test may set to its own clock. Recordings
a test put there (`add_recording`) can be deleted (`DELETE .../Recordings/{Sid}.json`: 204, or
404 with code 20404 for one it does not have); `fail_next` applies to deletes too.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

SPEC_PATH = Path(__file__).resolve().parent / "twilio" / "twilio_api_v2010.json"
SPEC_SERVER = "https://api.twilio.com"
API = "/2010-04-01/Accounts/{AccountSid}"
RESOURCES = {"Messages.json": "SM", "Calls.json": "CA"}
_CREATE = re.compile(r"^/2010-04-01/Accounts/([^/]+)/(Messages\.json|Calls\.json)$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_RECORDING = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Recordings/(RE[0-9a-fA-F]{32})\.json$")
_GENERIC_CODES = {401: 20003, 404: 20404, 429: 20429}

_spec_lock = threading.Lock()


@cache
def twilio_openapi() -> tuple[OpenAPI, dict[str, Any]]:
    """Twilio's API description, parsed once per process: (OpenAPI, raw)."""
    with SPEC_PATH.open(encoding="utf-8") as f:
        raw = json.load(f)
    return OpenAPI.from_dict(raw), raw


@dataclass
class RecordedRequest:
    """One request as the stand-in saw it; `form` keeps repeated keys as lists."""

    method: str
    path: str
    form: dict[str, list[str]]
    valid: bool
    errors: list[str] = field(default_factory=list)
    status: int = 0


@dataclass
class _Injected:
    status: int
    code: int | None
    message: str


class _TwilioHostRequest(WerkzeugOpenAPIRequest):
    """The stand-in's request as if it had reached Twilio's own host."""

    @property
    def host_url(self) -> str:
        return SPEC_SERVER


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    """Twilio's error body."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class TwilioStandIn:
    """Twilio's REST API on 127.0.0.1 for tests; use as a context manager or start()/stop()."""

    def __init__(self) -> None:
        self.account_sid = "AC" + secrets.token_hex(16)
        self.auth_token = secrets.token_hex(16)
        self.base_url = ""
        self.requests: list[RecordedRequest] = []
        self._accepted: dict[str, list[dict[str, str]]] = {"SM": [], "CA": []}
        self._recordings: set[str] = set()
        self._failures: list[_Injected] = []
        self._delays: list[float] = []
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def start(self) -> TwilioStandIn:
        twilio_openapi()  # parse the spec before the first request, not during it
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # how long stop() waits for the loop
            name="twilio-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes delayed answers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> TwilioStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # What tests look at

    def messages(self) -> list[dict[str, str]]:
        """Accepted Messages creates: form fields ("To", "From", "Body", ...) plus "Sid"."""
        with self._changed:
            return list(self._accepted["SM"])

    def calls(self) -> list[dict[str, str]]:
        """Accepted Calls creates; repeated keys (StatusCallbackEvent) joined with ","."""
        with self._changed:
            return list(self._accepted["CA"])

    def add_recording(self, sid: str | None = None) -> str:
        """Keep a recording (as a call's voicemail would leave one); its SID."""
        sid = sid or "RE" + secrets.token_hex(16)
        with self._changed:
            self._recordings.add(sid)
        return sid

    def recordings(self) -> set[str]:
        """The SIDs of the recordings the stand-in still has."""
        with self._changed:
            return set(self._recordings)

    def invalid_requests(self) -> list[RecordedRequest]:
        with self._changed:
            return [r for r in self.requests if not r.valid]

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        code: int | None = None,
        message: str = "Injected failure",
    ) -> None:
        """The next `count` valid creates (or deletes) answer `status` with Twilio's error body.

        Without `code`, Twilio's generic code for the status (20500 for 5xx, 20429, ...).
        """
        with self._changed:
            self._failures.extend(_Injected(status, code, message) for _ in range(count))

    def delay_next(self, seconds: float, count: int = 1) -> None:
        """The next `count` valid creates answer after `seconds` (and are still accepted)."""
        with self._changed:
            self._delays.extend([seconds] * count)

    def wait_for_messages(self, n: int, timeout: float = 5.0) -> list[dict[str, str]]:
        """Wait until at least `n` messages were accepted; AssertionError after `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._accepted["SM"]) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    got = len(self._accepted["SM"])
                    raise AssertionError(f"expected {n} messages at the stand-in, got {got}")
                self._changed.wait(left)
            return list(self._accepted["SM"])

    # The server side

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        status, body = self._handle(request)
        if status == 204:  # Twilio answers a delete with no body
            return Response(status=204)(environ, start_response)
        response = Response(json.dumps(body), status=status, mimetype="application/json")
        return response(environ, start_response)

    def _handle(self, request: Request) -> tuple[int, dict[str, Any]]:
        request.get_data()  # cache the body: once the form is parsed, it would read as empty
        form = {key: request.form.getlist(key) for key in request.form}
        errors = validate(request)
        record = RecordedRequest(request.method, request.path, form, not errors, errors)
        with self._changed:
            self.requests.append(record)
        record.status, body = self._answer(request, record)
        return record.status, body

    def _answer(self, request: Request, record: RecordedRequest) -> tuple[int, dict[str, Any]]:
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.account_sid, self.auth_token):
            return 401, error_body(401, 20003, "Authenticate")
        if not record.valid:
            return 400, error_body(400, 20001, "Invalid request: " + "; ".join(record.errors))
        recording = _RECORDING.match(request.path)
        if recording is not None and request.method == "DELETE":
            return self._delete_recording(recording[1], recording[2])
        match = _CREATE.match(request.path)
        if match is None or match[1] != self.account_sid:
            return 404, error_body(404, 20404, "Not implemented by the stand-in")
        if request.method == "GET" and match[2] == "Messages.json":
            return 200, self._message_list(request)
        if request.method != "POST":
            return 404, error_body(404, 20404, "Not implemented by the stand-in")
        with self._changed:
            injected = self._failures.pop(0) if self._failures else None
            delay = self._delays.pop(0) if self._delays else 0.0
        if delay:
            self._stopping.wait(delay)
        if injected is not None:
            code = injected.code or _generic_code(injected.status)
            return injected.status, error_body(injected.status, code, injected.message)
        fields = {key: ",".join(values) for key, values in record.form.items()}
        refusal = _twilio_refusal(match[2], fields)
        if refusal is not None:
            return 400, error_body(400, *refusal)
        prefix = RESOURCES[match[2]]
        fields["Sid"] = prefix + secrets.token_hex(16)
        fields["DateCreated"] = format_datetime(self.now().astimezone(UTC), usegmt=True)
        with self._changed:
            self._accepted[prefix].append(fields)
            self._changed.notify_all()
        return 201, _resource(self.account_sid, match[2], fields)


    def _delete_recording(self, account_sid: str, sid: str) -> tuple[int, dict[str, Any]]:
        with self._changed:
            injected = self._failures.pop(0) if self._failures else None
        if injected is not None:
            code = injected.code or _generic_code(injected.status)
            return injected.status, error_body(injected.status, code, injected.message)
        with self._changed:
            if account_sid != self.account_sid or sid not in self._recordings:
                return 404, error_body(404, 20404, f"The requested resource {sid} was not found")
            self._recordings.discard(sid)
        return 204, {}

    def _message_list(self, request: Request) -> dict[str, Any]:
        """One page of the accepted messages between `To` and `From`, newest first."""
        to, from_ = request.args.get("To"), request.args.get("From")
        size = int(request.args.get("PageSize", "50"))
        with self._changed:
            found = [
                m
                for m in reversed(self._accepted["SM"])
                if (to is None or m["To"] == to) and (from_ is None or m.get("From") == from_)
            ]
        uri = request.path + ("?" + request.query_string.decode() if request.query_string else "")
        return {
            "messages": [_resource(self.account_sid, "Messages.json", m) for m in found[:size]],
            "end": min(len(found), size) - 1,
            "first_page_uri": uri,
            "next_page_uri": None,
            "page": 0,
            "page_size": size,
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }


def validate(request: Request) -> list[str]:
    """Why Twilio's API description rejects this request (empty when it accepts it)."""
    api, raw = twilio_openapi()
    with _spec_lock:  # the parsed spec caches lazily; keep threads from racing on it
        errors = [_describe(e) for e in api.iter_request_errors(_TwilioHostRequest(request))]
    match = _CREATE.match(request.path)
    if not errors and request.method == "POST" and match is not None:
        operation = raw["paths"][f"{API}/{match[2]}"]["post"]
        schema = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
        declared = schema["schema"]["properties"]
        errors += [f"undeclared parameter {key!r}" for key in request.form if key not in declared]
        errors += _documented_rules(match[2], request.form)
    return errors


def _generic_code(status: int) -> int:
    return 20500 if status >= 500 else _GENERIC_CODES.get(status, 20001)


def _describe(error: Exception) -> str:
    schema_errors = getattr(error.__cause__, "schema_errors", None)
    if schema_errors:
        return f"{type(error).__name__}: " + "; ".join(e.message for e in schema_errors)
    return f"{type(error).__name__}: {error}"


def _documented_rules(resource: str, form: Any) -> list[str]:
    """Rules the description states in prose rather than in the schema."""
    if resource == "Messages.json":
        rules = [
            (("From", "MessagingServiceSid"), "Messages need From or MessagingServiceSid"),
            (("Body", "MediaUrl", "ContentSid"), "Messages need Body, MediaUrl or ContentSid"),
        ]
    else:
        rules = [(("Url", "Twiml", "ApplicationSid"), "Calls need Url, Twiml or ApplicationSid")]
    return [why for keys, why in rules if not any(form.get(key) for key in keys)]


def _twilio_refusal(resource: str, fields: dict[str, str]) -> tuple[int, str] | None:
    """Twilio's answer to a well-formed create it would still refuse."""
    to = fields["To"]
    if resource == "Messages.json":
        if ":" not in to and not _E164.match(to):
            return 21211, "Invalid 'To' Phone Number"
        if len(fields.get("Body", "")) > 1600:
            return 21617, "The concatenated message body exceeds the 1600 character limit"
    return None


def _resource(account_sid: str, resource: str, fields: dict[str, str]) -> dict[str, Any]:
    sid = fields["Sid"]
    now = fields["DateCreated"]
    uri = f"/2010-04-01/Accounts/{account_sid}/{resource.removesuffix('.json')}/{sid}"
    common = {
        "sid": sid,
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "date_created": now,
        "date_updated": now,
        "direction": "outbound-api",
        "from": fields.get("From"),
        "to": fields["To"],
        "price": None,
        "price_unit": "USD",
        "status": "queued",
        "uri": uri + ".json",
    }
    if resource == "Messages.json":
        return common | {
            "body": fields.get("Body", ""),
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "messaging_service_sid": fields.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "subresource_uris": {"media": uri + "/Media.json"},
        }
    return common | {
        "answered_by": None,
        "caller_name": None,
        "duration": None,
        "end_time": None,
        "forwarded_from": None,
        "from_formatted": fields.get("From"),
        "parent_call_sid": None,
        "phone_number_sid": None,
        "queue_time": "0",
        "start_time": None,
        "to_formatted": fields["To"],
        "subresource_uris": {"notifications": uri + "/Notifications.json"},
    }
