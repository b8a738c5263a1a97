"""Where settings come from (SPEC §3): the line file, the lexicon and the instance folder are found
from the current folder or the environment, never beside the source tree; the data key has a
checked form."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner

from warmline.cli import main
from warmline.config import (
    ConfigError,
    check_data_key,
    demo_settings,
    load_settings,
    shipped_file,
)

LINE = """
[line]
name = "{name}"
timezone = "America/New_York"
public_number = "+15550100000"
"""


def line_file(path: Path, name: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LINE.format(name=name))
    return path


def settings(cwd: Path, demo_line: bool = False, **env: str):
    return load_settings("demo", env=env, cwd=cwd, demo_line=demo_line)


def test_the_line_file_is_looked_up_in_the_current_folder_first(tmp_path):
    line_file(tmp_path / "config" / "warmline.toml", "In config")
    assert settings(tmp_path).line.name == "In config"
    line_file(tmp_path / "warmline.toml", "Here")
    assert settings(tmp_path).line.name == "Here"
    line_file(tmp_path / "elsewhere" / "line.toml", "Named")
    assert settings(tmp_path, WARMLINE_CONFIG="elsewhere/line.toml").line.name == "Named"


def test_no_line_file_is_one_line_that_says_to_run_init(tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        settings(tmp_path)
    message = str(excinfo.value)
    assert "warmline init" in message and "\n" not in message
    with pytest.raises(ConfigError, match="WARMLINE_CONFIG: file not found"):
        settings(tmp_path, WARMLINE_CONFIG="nope.toml")


def test_only_the_demo_falls_back_to_the_shipped_demo_line(tmp_path):
    s = settings(tmp_path, demo_line=True)
    assert s.config_path == shipped_file("warmline.toml")
    assert s.line.name and s.escalation_path == shipped_file("escalation.toml")
    line_file(tmp_path / "warmline.toml", "Mine")
    assert settings(tmp_path, demo_line=True).line.name == "Mine"


def test_the_lexicon_is_named_else_beside_the_line_else_the_shipped_default(tmp_path):
    line = line_file(tmp_path / "warmline.toml", "Here")
    assert settings(tmp_path).escalation_path == shipped_file("escalation.toml")
    beside = tmp_path / "escalation.toml"
    beside.write_text("")
    assert settings(tmp_path).escalation_path == beside
    named = tmp_path / "words.toml"
    named.write_text("")
    assert settings(tmp_path, WARMLINE_ESCALATION_CONFIG="words.toml").escalation_path == named
    assert line.exists()


def test_a_mistyped_lexicon_path_is_an_error_not_a_silent_fallback(tmp_path):
    line_file(tmp_path / "warmline.toml", "Here")
    with pytest.raises(ConfigError, match="WARMLINE_ESCALATION_CONFIG: file not found"):
        settings(tmp_path, WARMLINE_ESCALATION_CONFIG="escalaton.toml")


def test_the_instance_folder_is_in_the_current_folder_or_named(tmp_path):
    line_file(tmp_path / "warmline.toml", "Here")
    default = settings(tmp_path)
    assert default.instance_path == tmp_path / "instance"
    assert default.database_url == f"sqlite:///{tmp_path}/instance/warmline.sqlite3"
    named = settings(tmp_path, WARMLINE_INSTANCE="data")
    assert named.instance_path == tmp_path / "data"
    assert named.database_url == f"sqlite:///{tmp_path}/data/warmline.sqlite3"


def test_the_demo_keeps_the_lookup_and_keys_but_never_a_deployment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    key = secrets.token_urlsafe(32)
    for name, value in {
        "DATABASE_URL": "postgresql://u@h/prod",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "t",
        "WARMLINE_DATA_KEY": key,
        "WARMLINE_INSTANCE": "demo-data",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WARMLINE_CONFIG", raising=False)
    s = demo_settings()
    assert s.database_url == f"sqlite:///{tmp_path}/demo-data/warmline.sqlite3"
    assert s.uses_simulator and s.data_key == key
    assert s.config_path == shipped_file("warmline.toml")


@pytest.mark.parametrize(
    "key",
    [
        "short",
        "test-data-key",
        "d2FybWxpbmUgdGVzdCBkYXRh",  # valid base64, 18 bytes
        "not base64 at all, though long enough to be a key of 32+",
        secrets.token_urlsafe(32)[:-2] + "!!",
    ],
)
def test_a_malformed_data_key_is_refused_with_how_to_make_one(tmp_path, key):
    with pytest.raises(ConfigError) as excinfo:
        check_data_key(key)
    message = str(excinfo.value)
    assert message.startswith("WARMLINE_DATA_KEY") and "\n" not in message
    assert "warmline init" in message and "secrets.token_urlsafe(32)" in message
    line_file(tmp_path / "warmline.toml", "Here")
    with pytest.raises(ConfigError, match="WARMLINE_DATA_KEY"):
        settings(tmp_path, WARMLINE_DATA_KEY=key)


@pytest.mark.parametrize(
    "key",
    [
        secrets.token_urlsafe(32),
        base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),  # with padding
        secrets.token_urlsafe(64),
    ],
)
def test_keys_of_32_bytes_or_more_in_url_safe_base64_are_accepted(key):
    assert check_data_key(key) == key


def test_a_command_without_a_line_file_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("WARMLINE_CONFIG", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["volunteer", "list"])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: no line file") and "warmline init" in line
