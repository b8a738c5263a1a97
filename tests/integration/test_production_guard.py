"""The phone simulator only in demo and test modes (issue 13): in production it would show every
phone's texts to anyone, so a production process without Twilio credentials refuses to start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import settings_for
from tests.support.processes import ROOT, base_env
from warmline.app import create_app
from warmline.bootstrap import bootstrap
from warmline.config import ConfigError

REFUSAL = "error: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required in production"


def test_a_production_app_without_twilio_credentials_refuses_to_start(database_url):
    settings = settings_for(database_url, None).with_(mode="production")
    wl = bootstrap(settings)
    try:
        with pytest.raises(ConfigError, match="TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"):
            create_app(wl)
    finally:
        wl.db.dispose()


def test_a_production_app_with_twilio_has_no_simulator(database_url, twilio_standin):
    wl = bootstrap(settings_for(database_url, twilio_standin).with_(mode="production"))
    try:
        client = create_app(wl).test_client()
        assert client.get("/simulator/").status_code == 404
        assert client.get("/simulator/thread?phone=%2B15551230001").status_code == 404
        assert client.post("/simulator/send", json={}).status_code == 404
    finally:
        wl.db.dispose()


def test_the_test_app_keeps_its_simulator(database_url):
    wl = bootstrap(settings_for(database_url, None))
    try:
        assert create_app(wl).test_client().get("/simulator/").status_code == 200
    finally:
        wl.db.dispose()


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-c", "import warmline.wsgi"],  # what gunicorn imports
        [sys.executable, "-m", "warmline", "worker"],
        [sys.executable, "-m", "warmline", "serve", "--port", "1"],
    ],
    ids=["wsgi", "worker", "serve"],
)
def test_production_processes_say_one_line_and_stop(command, tmp_path):
    env = base_env(f"sqlite:///{tmp_path / 'warmline.sqlite3'}")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(REFUSAL)
