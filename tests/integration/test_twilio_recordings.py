"""Deleting Twilio's copy of a recording through the real twilio library, against the stand-in
that checks each request against Twilio's own description (DeleteRecording)."""

from __future__ import annotations

import pytest
import requests

from tests.support import twilio_fixtures
from tests.support.twilio_standin import TwilioStandIn
from warmline.telephony.rest import SendError, TwilioSender, make_client
from warmline.telephony.simulator import SimulatorSender

twilio_standin = twilio_fixtures.twilio_standin


def sender_for(standin: TwilioStandIn) -> TwilioSender:
    return TwilioSender(
        make_client(standin.account_sid, standin.auth_token, standin.base_url, timeout=5)
    )


def test_delete_recording_removes_twilios_copy(twilio_standin: TwilioStandIn) -> None:
    sid = twilio_standin.add_recording()
    kept = twilio_standin.add_recording()

    sender_for(twilio_standin).delete_recording(sid)

    assert twilio_standin.recordings() == {kept}
    [request] = twilio_standin.requests
    assert (request.method, request.valid, request.status) == ("DELETE", True, 204)
    assert request.path == (
        f"/2010-04-01/Accounts/{twilio_standin.account_sid}/Recordings/{sid}.json"
    )


def test_a_recording_twilio_no_longer_has_counts_as_deleted(
    twilio_standin: TwilioStandIn,
) -> None:
    sid = twilio_standin.add_recording()
    sender = sender_for(twilio_standin)

    sender.delete_recording(sid)
    sender.delete_recording(sid)  # again: Twilio answers 404, which is what we wanted

    assert [r.status for r in twilio_standin.requests] == [204, 404]


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_are_transient_and_the_recording_stays(
    twilio_standin: TwilioStandIn, status: int
) -> None:
    sid = twilio_standin.add_recording()
    twilio_standin.fail_next(status=status)

    with pytest.raises(SendError) as raised:
        sender_for(twilio_standin).delete_recording(sid)

    assert raised.value.transient and raised.value.status == status
    assert twilio_standin.recordings() == {sid}
    sender_for(twilio_standin).delete_recording(sid)
    assert twilio_standin.recordings() == set()


def test_refused_credentials_are_permanent(twilio_standin: TwilioStandIn) -> None:
    sid = twilio_standin.add_recording()
    wrong = TwilioSender(make_client(twilio_standin.account_sid, "wrong", twilio_standin.base_url))

    with pytest.raises(SendError) as raised:
        wrong.delete_recording(sid)

    assert (raised.value.status, raised.value.code, raised.value.transient) == (401, 20003, False)
    assert twilio_standin.recordings() == {sid}


def test_an_unreachable_api_is_transient() -> None:
    with TwilioStandIn() as standin:
        base, account, token = standin.base_url, standin.account_sid, standin.auth_token
    sender = TwilioSender(make_client(account, token, base, timeout=2))

    with pytest.raises(SendError) as raised:
        sender.delete_recording("RE" + "0" * 32)

    assert raised.value.transient and raised.value.status is None


def test_the_stand_in_checks_deletes_against_twilios_description() -> None:
    with TwilioStandIn() as standin:
        url = f"{standin.base_url}/2010-04-01/Accounts/{standin.account_sid}/Recordings/RE12.json"
        answer = requests.delete(url, auth=(standin.account_sid, standin.auth_token), timeout=5)

    assert answer.status_code == 400
    [bad] = standin.invalid_requests()
    assert "RE12" in bad.path and bad.errors


def test_the_simulator_has_no_recordings_to_delete() -> None:
    SimulatorSender().delete_recording("RE" + "1" * 32)  # nothing kept, nothing to fail
