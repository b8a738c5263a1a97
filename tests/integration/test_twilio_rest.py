"""The REST adapter through the real twilio library against the validating Twilio stand-in."""

from __future__ import annotations

import logging
import re
import traceback

import pytest
import requests

from tests.support import twilio_fixtures
from tests.support.twilio_standin import TwilioStandIn
from warmline.telephony.port import SendFailure
from warmline.telephony.rest import SendError, TwilioSender, make_client

twilio_standin = twilio_fixtures.twilio_standin

LINE = "+15550100000"
CONTACT = "+15550123456"
PUBLIC_URL = "https://warmline.example"
CALLBACK = "https://warmline.example/twilio/sms/status"


def sender_for(
    standin: TwilioStandIn, timeout: float = 5.0, public_url: str | None = None
) -> TwilioSender:
    return TwilioSender(
        make_client(standin.account_sid, standin.auth_token, standin.base_url, timeout=timeout),
        public_url,
    )


def test_send_sms_returns_the_sid_twilio_gave(twilio_standin: TwilioStandIn) -> None:
    sid = sender_for(twilio_standin, public_url=PUBLIC_URL + "/").send_sms(
        from_=LINE, to=CONTACT, body="Hi, you reached the warmline."
    )

    assert re.fullmatch(r"SM[0-9a-f]{32}", sid)
    [message] = twilio_standin.messages()
    assert message["Sid"] == sid
    assert (message["To"], message["From"]) == (CONTACT, LINE)
    assert message["Body"] == "Hi, you reached the warmline."
    assert message["StatusCallback"] == CALLBACK
    [request] = twilio_standin.requests
    assert request.valid and request.status == 201
    assert request.path == f"/2010-04-01/Accounts/{twilio_standin.account_sid}/Messages.json"


def test_send_sms_without_a_public_url_asks_for_no_status_callback(
    twilio_standin: TwilioStandIn,
) -> None:
    sender_for(twilio_standin).send_sms(from_=LINE, to=CONTACT, body="hello")

    assert "StatusCallback" not in twilio_standin.requests[0].form


@pytest.mark.parametrize(
    "body",
    [
        "Ça va ? Nous sommes là. 💛🌱 நன்றி 谢谢",
        "x" * 1600,
        "🙂" * 1600,
        "line one\nline two & 100% = ok?",
    ],
    ids=["unicode-emoji", "1600-ascii", "1600-emoji", "newline-and-form-chars"],
)
def test_send_sms_carries_the_body_unchanged(twilio_standin: TwilioStandIn, body: str) -> None:
    sender_for(twilio_standin).send_sms(from_=LINE, to=CONTACT, body=body)

    assert twilio_standin.wait_for_messages(1)[0]["Body"] == body


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_throttling_are_transient(
    twilio_standin: TwilioStandIn, status: int
) -> None:
    twilio_standin.fail_next(status=status)

    with pytest.raises(SendError) as raised:
        sender_for(twilio_standin).send_sms(from_=LINE, to=CONTACT, body="hello")

    assert raised.value.transient
    assert raised.value.status == status
    assert twilio_standin.messages() == []


def test_a_transient_failure_then_succeeds_on_retry(twilio_standin: TwilioStandIn) -> None:
    twilio_standin.fail_next(status=503)
    sender = sender_for(twilio_standin)

    with pytest.raises(SendError):
        sender.send_sms(from_=LINE, to=CONTACT, body="hello")
    sid = sender.send_sms(from_=LINE, to=CONTACT, body="hello")

    assert [m["Sid"] for m in twilio_standin.messages()] == [sid]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (21610, "Attempt to send to unsubscribed recipient"),
        (21211, "Invalid 'To' Phone Number"),
        (21608, "The number is unverified"),
    ],
)
def test_other_client_errors_are_permanent_with_twilio_code(
    twilio_standin: TwilioStandIn, code: int, message: str
) -> None:
    twilio_standin.fail_next(status=400, code=code, message=message)

    with pytest.raises(SendError) as raised:
        sender_for(twilio_standin).send_sms(from_=LINE, to=CONTACT, body="hello")

    assert not raised.value.transient
    assert (raised.value.status, raised.value.code) == (400, code)


def test_a_number_twilio_cannot_parse_is_refused_with_21211(
    twilio_standin: TwilioStandIn,
) -> None:
    with pytest.raises(SendError) as raised:
        sender_for(twilio_standin).send_sms(from_=LINE, to="555-0123", body="hello")

    assert (raised.value.code, raised.value.transient) == (21211, False)


def test_a_body_over_1600_characters_is_refused_with_21617(
    twilio_standin: TwilioStandIn,
) -> None:
    with pytest.raises(SendError) as raised:
        sender_for(twilio_standin).send_sms(from_=LINE, to=CONTACT, body="x" * 1601)

    assert (raised.value.code, raised.value.transient) == (21617, False)


def test_an_answer_slower_than_the_client_timeout_is_transient(
    twilio_standin: TwilioStandIn,
) -> None:
    twilio_standin.delay_next(3.0)

    with pytest.raises(SendError) as raised:
        sender_for(twilio_standin, timeout=0.3).send_sms(from_=LINE, to=CONTACT, body="hello")

    assert raised.value.transient
    assert raised.value.status is None


def test_an_unreachable_api_is_transient() -> None:
    with TwilioStandIn() as standin:
        sender = sender_for(standin)
    # stopped: nothing listens on its port any more

    with pytest.raises(SendError) as raised:
        sender.send_sms(from_=LINE, to=CONTACT, body="hello")

    assert raised.value.transient
    assert raised.value.status is None
    assert isinstance(raised.value.__cause__, requests.ConnectionError)


def test_start_call_sends_the_twiml_url_and_every_status_event(
    twilio_standin: TwilioStandIn,
) -> None:
    sid = sender_for(twilio_standin).start_call(
        from_=LINE,
        to=CONTACT,
        url="https://warmline.example/twilio/voice/bridge?leg=volunteer",
        status_callback="https://warmline.example/twilio/voice/status",
        timeout=25,
    )

    assert re.fullmatch(r"CA[0-9a-f]{32}", sid)
    [request] = twilio_standin.requests
    assert request.valid and request.status == 201
    assert request.form["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]
    assert request.form["Url"] == ["https://warmline.example/twilio/voice/bridge?leg=volunteer"]
    assert request.form["Timeout"] == ["25"]
    [call] = twilio_standin.calls()
    assert (call["Sid"], call["To"], call["From"]) == (sid, CONTACT, LINE)


def test_place_call_builds_the_callback_urls_from_the_public_url(
    twilio_standin: TwilioStandIn,
) -> None:
    sender = sender_for(twilio_standin, public_url=PUBLIC_URL)
    sid = sender.place_call(
        purpose="callback", conversation_id=42, from_=LINE, to=CONTACT, ring_seconds=20
    )

    [request] = twilio_standin.requests
    assert request.valid and request.status == 201
    assert request.form["Url"] == [f"{PUBLIC_URL}/twilio/voice/bridge?c=42"]
    assert request.form["StatusCallback"] == [f"{PUBLIC_URL}/twilio/voice/status"]
    assert request.form["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]
    assert request.form["Timeout"] == ["20"]
    [call] = twilio_standin.calls()
    assert (call["Sid"], call["To"], call["From"]) == (sid, CONTACT, LINE)


def test_place_call_without_a_public_url_is_a_transient_failure(
    twilio_standin: TwilioStandIn,
) -> None:
    with pytest.raises(SendFailure) as raised:
        sender_for(twilio_standin).place_call(
            purpose="callback", conversation_id=42, from_=LINE, to=CONTACT, ring_seconds=20
        )

    assert raised.value.transient
    assert twilio_standin.requests == []  # Twilio could never have fetched the call's TwiML


def test_start_call_without_status_callback_sends_no_events(
    twilio_standin: TwilioStandIn,
) -> None:
    sender_for(twilio_standin).start_call(
        from_=LINE, to=CONTACT, url="https://warmline.example/twilio/voice/bridge"
    )

    form = twilio_standin.requests[0].form
    assert "StatusCallbackEvent" not in form and "Timeout" not in form


def test_start_call_failure_follows_the_same_contract(twilio_standin: TwilioStandIn) -> None:
    twilio_standin.fail_next(status=400, code=21215, message="Geo permission")

    with pytest.raises(SendError) as raised:
        sender_for(twilio_standin).start_call(
            from_=LINE, to=CONTACT, url="https://warmline.example/twilio/voice/bridge"
        )

    assert (raised.value.code, raised.value.transient) == (21215, False)


def test_the_stand_in_flags_requests_twilio_would_reject() -> None:
    with TwilioStandIn() as standin:
        url = f"{standin.base_url}/2010-04-01/Accounts/{standin.account_sid}/Messages.json"
        auth = (standin.account_sid, standin.auth_token)
        missing_to = requests.post(url, data={"From": LINE, "Body": "hi"}, auth=auth, timeout=5)
        misspelt = requests.post(
            url,
            data={"To": CONTACT, "From": LINE, "Body": "hi", "StatusCalback": CALLBACK},
            auth=auth,
            timeout=5,
        )
        no_body = requests.post(url, data={"To": CONTACT, "From": LINE}, auth=auth, timeout=5)
        wrong_path = requests.post(url.replace("Messages", "Message"), auth=auth, timeout=5)
        wrong_token = requests.post(
            url,
            data={"To": CONTACT, "From": LINE, "Body": "hi"},
            auth=(standin.account_sid, "wrong"),
            timeout=5,
        )

    for answer in (missing_to, misspelt, no_body, wrong_path):
        assert answer.status_code == 400
        assert answer.json()["code"] == 20001
    assert wrong_token.status_code == 401 and wrong_token.json()["code"] == 20003
    errors = [r.errors for r in standin.invalid_requests()]
    assert len(errors) == 4
    assert "'To' is a required property" in errors[0][0]
    assert errors[1] == ["undeclared parameter 'StatusCalback'"]
    assert errors[2] == ["Messages need Body, MediaUrl or ContentSid"]
    assert errors[3][0].startswith("PathNotFound")
    assert standin.messages() == []


def test_no_phone_number_or_body_reaches_the_logs(
    twilio_standin: TwilioStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    body = "I feel awful tonight"
    caplog.set_level(logging.DEBUG)  # root: warmline.*, twilio.*, urllib3 alike
    sender = sender_for(twilio_standin, public_url=PUBLIC_URL)

    sender.send_sms(from_=LINE, to=CONTACT, body=body)
    sender.start_call(from_=LINE, to=CONTACT, url="https://warmline.example/twilio/voice")
    # Twilio's real 21211 message quotes the number; it must not travel on.
    twilio_standin.fail_next(
        status=400, code=21211, message=f"Invalid 'To' Phone Number: {CONTACT}"
    )
    with pytest.raises(SendError) as raised:
        sender.send_sms(from_=LINE, to=CONTACT, body=body)
    logging.getLogger("warmline.test").exception("send failed", exc_info=raised.value)

    assert "Messages.json -> 201" in caplog.text  # the adapter's own line was captured
    shown = caplog.text + str(raised.value) + "".join(traceback.format_exception(raised.value))
    for secret in (CONTACT, CONTACT.lstrip("+"), LINE, body, "I+feel", "%2B1555"):
        assert secret not in shown
