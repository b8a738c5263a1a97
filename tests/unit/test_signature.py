"""The signature check, pinned by Twilio's own documented example."""

import pytest

from warmline.telephony.signature import is_valid, sign, signed_url

DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675310",
    "Digits": "1234",
    "From": "+14158675310",
    "To": "+18005551212",
}


def test_twilios_documented_example_validates():
    assert is_valid("12345", DOC_URL, DOC_PARAMS, "GvWf1cFY/Q7PnoempGyD5oXAezc=")
    assert sign("12345", DOC_URL, DOC_PARAMS) == "GvWf1cFY/Q7PnoempGyD5oXAezc="


def test_a_signature_over_the_url_with_its_default_port_also_validates():
    with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
    assert is_valid("12345", DOC_URL, DOC_PARAMS, sign("12345", with_port, DOC_PARAMS))
    assert not is_valid("12345", DOC_URL, DOC_PARAMS, sign("54321", with_port, DOC_PARAMS))


@pytest.mark.parametrize("signature", [None, "", "GvWf1cFY/Q7PnoempGyD5oXAezd="])
def test_wrong_or_missing_signature_fails(signature):
    assert not is_valid("12345", DOC_URL, DOC_PARAMS, signature)


def test_changed_field_or_token_fails():
    assert not is_valid(
        "12345", DOC_URL, DOC_PARAMS | {"Digits": "9"}, "GvWf1cFY/Q7PnoempGyD5oXAezc="
    )
    assert not is_valid("54321", DOC_URL, DOC_PARAMS, "GvWf1cFY/Q7PnoempGyD5oXAezc=")


@pytest.mark.parametrize(
    ("public", "request_url", "path", "query", "expected"),
    [
        (
            "https://line.org",
            "http://10.0.0.5/twilio/sms",
            "/twilio/sms",
            "",
            "https://line.org/twilio/sms",
        ),
        (
            "https://line.org",
            "http://x/twilio/sms?a=1",
            "/twilio/sms",
            "a=1",
            "https://line.org/twilio/sms?a=1",
        ),
        (None, "https://h/twilio/sms#rc=3&rp=5xx", "/twilio/sms", "", "https://h/twilio/sms"),
    ],
)
def test_signed_url_uses_public_url_and_strips_fragment(public, request_url, path, query, expected):
    assert signed_url(public, request_url, path, query) == expected
