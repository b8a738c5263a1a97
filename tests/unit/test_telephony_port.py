"""Every adapter of the telephony port offers exactly the port's calls, and the recording fake
records what it was asked."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from warmline.telephony.fake import FakeTelephony, PlacedCall
from warmline.telephony.port import SendFailure, Telephony
from warmline.telephony.rest import TwilioSender
from warmline.telephony.simulator import SimulatorSender

PORT_CALLS = ("send_sms", "find_sent", "place_call", "delete_recording")


@pytest.mark.parametrize("adapter", [TwilioSender, SimulatorSender, FakeTelephony])
@pytest.mark.parametrize("name", PORT_CALLS)
def test_each_adapter_takes_what_the_port_declares(adapter, name):
    declared = inspect.signature(getattr(Telephony, name))
    offered = inspect.signature(getattr(adapter, name))
    assert list(offered.parameters) == list(declared.parameters)
    for parameter in declared.parameters.values():
        assert offered.parameters[parameter.name].kind == parameter.kind


def test_the_fake_records_texts_by_number_calls_and_deletions():
    now = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
    fake = FakeTelephony(clock=lambda: now)
    first = fake.send_sms(from_="+15550100000", to="+15550123456", body="hello")
    fake.send_sms(from_="+15550100000", to="+15550123456", body="again")
    call = fake.place_call(
        purpose="callback", conversation_id=7, from_="+15550100000", to="+15551230001",
        ring_seconds=20,
    )  # fmt: skip
    fake.delete_recording("RE" + "1" * 32)

    assert fake.sent == {"+15550123456": ["hello", "again"]}
    assert fake.calls == [PlacedCall("callback", 7, "+15550100000", "+15551230001", 20, call)]
    assert fake.deleted == ["RE" + "1" * 32]
    found = fake.find_sent(from_="+15550100000", to="+15550123456", body="hello", since=now)
    assert found == [first]
    later = now + dt.timedelta(seconds=1)
    assert fake.find_sent(from_="+15550100000", to="+15550123456", body="hello", since=later) == []


def test_the_fake_fails_when_told_and_records_nothing():
    fake = FakeTelephony()
    fake.fail_next(SendFailure("HTTP 400, error 21211", code=21211, transient=False))
    with pytest.raises(SendFailure) as raised:
        fake.send_sms(from_="+15550100000", to="+15550123456", body="hello")
    assert raised.value.code == 21211
    assert fake.sent == {}
    fake.send_sms(from_="+15550100000", to="+15550123456", body="hello")  # only the next one
    assert fake.sent == {"+15550123456": ["hello"]}
