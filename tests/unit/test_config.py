"""Configuration: a complete minimal file works; every bad setting is named in one line."""

from pathlib import Path

import pytest

from tests.support.keys import DATA_KEY
from warmline.config import ConfigError, load_settings

MINIMAL = """
[line]
name = "Riverside Warmline"
timezone = "America/New_York"
public_number = "+15550100000"
relay_numbers = ["+15550100001", "+15550100002"]
"""


def settings_from(tmp_path: Path, toml: str, mode="production", **env):
    path = tmp_path / "line.toml"
    path.write_text(toml)
    base = {"WARMLINE_CONFIG": str(path), "SECRET_KEY": "s", "WARMLINE_DATA_KEY": DATA_KEY}
    return load_settings(mode, env={k: v for k, v in (base | env).items() if v is not None})


def test_spec_minimal_file_is_complete(tmp_path):
    s = settings_from(tmp_path, MINIMAL)
    assert s.line.relay_pool == ("+15550100001", "+15550100002")
    assert s.timeouts.response_minutes == 5 and s.calls.strategy == "simultaneous"
    assert "988" in s.texts.crisis_resources
    assert s.database_url.startswith("sqlite:///") and s.uses_simulator


def test_postgres_urls_use_psycopg(tmp_path):
    s = settings_from(tmp_path, MINIMAL, DATABASE_URL="postgres://u@h/db")
    assert s.database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("toml", "env", "names"),
    [
        ("", {}, "[line]"),
        (
            MINIMAL.replace('timezone = "America/New_York"', 'timezone = "Mars/Base"'),
            {},
            "line.timezone",
        ),
        (MINIMAL.replace('name = "Riverside Warmline"', ""), {}, "line.name"),
        (MINIMAL.replace('"+15550100000"', '"555-0100"'), {}, "line.public_number"),
        (MINIMAL.replace('"+15550100002"', '"+15550100001"'), {}, "line.relay_numbers"),
        (MINIMAL + "[timeouts]\nresponse_minutes = -1\n", {}, "timeouts.response_minutes"),
        (MINIMAL + "[timeouts]\nresponse_minute = 3\n", {}, "timeouts.response_minute"),
        (MINIMAL + '[calls]\nstrategy = "random"\n', {}, "calls.strategy"),
        (MINIMAL + '[texts]\ngreting = "hi"\n', {}, "texts.greting"),
        (MINIMAL + '[alerts]\ncoordinator_numbers = ["nope"]\n', {}, "alerts.coordinator_numbers"),
        ("[line\n", {}, "not valid TOML"),
        (MINIMAL, {"SECRET_KEY": None}, "SECRET_KEY"),
        (MINIMAL, {"WARMLINE_DATA_KEY": None}, "WARMLINE_DATA_KEY"),
        (MINIMAL, {"TWILIO_ACCOUNT_SID": "AC1"}, "TWILIO_AUTH_TOKEN"),
        (MINIMAL, {"WARMLINE_PUBLIC_URL": "line.org"}, "WARMLINE_PUBLIC_URL"),
    ],
)
def test_bad_setting_is_named_in_one_line(tmp_path, toml, env, names):
    with pytest.raises(ConfigError) as excinfo:
        settings_from(tmp_path, toml, **env)
    message = str(excinfo.value)
    assert names in message and "\n" not in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="WARMLINE_CONFIG"):
        load_settings("demo", env={"WARMLINE_CONFIG": str(tmp_path / "nope.toml")})


def test_demo_mode_needs_no_secrets(tmp_path):
    s = settings_from(tmp_path, MINIMAL, mode="demo", SECRET_KEY=None, WARMLINE_DATA_KEY=None)
    assert s.secret_key and s.data_key
