"""`warmline demo` as a new user runs it: one process, web + worker + phone simulator."""

from __future__ import annotations

import urllib.request

import pytest

from tests.support.processes import get, post, wait_until


def thread(base: str, phone: str) -> list[dict]:
    return get(f"{base}/simulator/thread?phone=%2B{phone[1:]}")["messages"]


@pytest.mark.slow
def test_demo_relays_a_text_to_a_volunteer_and_back(demo):
    base, proc = demo
    contact = "+15555550123"
    texted = {"from": contact, "to": "+15550100000", "body": "hi, rough night"}
    assert post(f"{base}/simulator/send", texted) == 201
    volunteers = ("+15551230001", "+15551230002", "+15551230003")

    def relayed() -> list[tuple[str, dict]]:
        return [
            (phone, m)
            for phone in volunteers
            for m in thread(base, phone)
            if m["body"].endswith("] hi, rough night")
        ]

    wait_until(relayed, 5, "a volunteer to receive the text")
    volunteer, message = relayed()[0]
    answer = {"from": volunteer, "to": message["from"], "body": "I'm here."}
    assert post(f"{base}/simulator/send", answer) == 201
    # The worker thread delivers it to the simulator.
    wait_until(
        lambda: any(
            m["body"] == "I'm here." and m.get("status") == "sent" for m in thread(base, contact)
        ),
        5,
        "the reply to reach the contact",
    )
    page = urllib.request.urlopen(f"{base}/simulator/", timeout=5).read().decode()
    assert "phone simulator" in page
    wait_until(lambda: "[sms to" in proc.output(), 5, "the demo to print the texts")
    assert "demo is running" in proc.output()
