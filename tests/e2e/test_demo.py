"""`warmline demo` as a new user runs it: one process, web + worker + phone simulator."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.support.processes import ROOT, get, post, wait_until

ACCESS_LOG_LINE = re.compile(r'"(GET|POST|HEAD) /\S* HTTP/[\d.]+" \d{3}')


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
    output = proc.output()
    assert "demo is running" in output
    # The terminal shows the texts, not werkzeug's line per request (dozens of polls by now).
    assert "] hi, rough night" in output and "I'm here." in output
    assert not ACCESS_LOG_LINE.search(output), output
    assert "development server" not in output


def test_a_port_in_use_is_one_clear_line_and_nothing_starts(tmp_path):
    instance = tmp_path / "instance"
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "WARMLINE_"))}
        ran = subprocess.run(
            [sys.executable, "-m", "warmline", "demo", "--port", str(port)]
            + ["--instance", str(instance)],
            cwd=ROOT,
            env=env | {"PYTHONUNBUFFERED": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert ran.returncode == 2
    assert ran.stdout == ""
    error = re.fullmatch(
        r"error: port (\d+) is in use; try warmline demo --port (\d+)\n", ran.stderr
    )
    assert error, ran.stderr
    assert int(error[1]) == port and int(error[2]) > port
    # Nothing else started: no instance folder, so no database was created or migrated.
    assert not instance.exists()
