"""`warmline demo` as a new user runs it: one process, web + worker + phone simulator."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def post(url: str, payload: dict) -> int:
    request = urllib.request.Request(
        url, json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


@pytest.mark.slow
def test_demo_relays_a_text_to_a_volunteer_and_back(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "warmline",
            "demo",
            "--port",
            str(port),
            "--instance",
            str(tmp_path),
        ],
        cwd=REPO,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(f"{base}/healthz")["database"] == "ok":
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        contact = "+15555550123"
        assert (
            post(
                f"{base}/simulator/send",
                {"from": contact, "to": "+15550100000", "body": "hi, rough night"},
            )
            == 201
        )
        deadline = time.monotonic() + 5
        relayed = []
        while not relayed and time.monotonic() < deadline:
            for phone in ("+15551230002", "+15551230003", "+15551230001"):
                thread = get(f"{base}/simulator/thread?phone=%2B{phone[1:]}")["messages"]
                relayed += [(phone, m) for m in thread if m["body"].endswith("] hi, rough night")]
            time.sleep(0.2)
        assert relayed, "no volunteer received the text"
        volunteer, message = relayed[0]
        assert (
            post(
                f"{base}/simulator/send",
                {"from": volunteer, "to": message["from"], "body": "I'm here."},
            )
            == 201
        )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the worker thread delivers it to the simulator
            delivered = [
                m["body"]
                for m in get(f"{base}/simulator/thread?phone=%2B{contact[1:]}")["messages"]
                if m.get("status") == "sent"
            ]
            if "I'm here." in delivered:
                break
            time.sleep(0.2)
        assert "I'm here." in delivered
        page = urllib.request.urlopen(f"{base}/simulator/", timeout=5).read().decode()
        assert "phone simulator" in page
    except Exception:
        proc.terminate()
        print(proc.communicate(timeout=10)[0])
        raise
    proc.terminate()
    output = proc.communicate(timeout=10)[0]
    assert "demo is running" in output and "[sms to" in output
