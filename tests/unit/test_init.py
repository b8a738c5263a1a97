"""`warmline init [FOLDER]`: a commented line file with every default, a private .env with fresh
keys that later commands read, and never an overwritten file."""

from __future__ import annotations

import dataclasses
import stat
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from warmline.cli import main
from warmline.config import (
    DEFAULT_TEXTS,
    DEFAULT_TEXTS_ES,
    Calls,
    ConfigError,
    Line,
    Routing,
    Timeouts,
    check_data_key,
    load_settings,
)

FILLED = {
    'name = ""': 'name = "Riverside Warmline"',
    'timezone = ""': 'timezone = "America/New_York"',
    'public_number = ""': 'public_number = "+15550100000"',
}
ONLY_LINE = """
[line]
name = "Riverside Warmline"
timezone = "America/New_York"
public_number = "+15550100000"
"""


def init(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["init", *args])
    assert result.exit_code == code, result.output
    return result.output


def env_values(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def fill_in(path: Path) -> None:
    text = path.read_text()
    for blank, value in FILLED.items():
        assert text.count(blank) == 1, blank
        text = text.replace(blank, value)
    path.write_text(text)


def test_init_writes_a_line_file_and_a_private_env_with_fresh_keys(tmp_path):
    out = init(str(tmp_path / "a"))
    assert "wrote" in out and "[line]" in out
    env = tmp_path / "a" / ".env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    first = env_values(env)
    assert set(first) == {"SECRET_KEY", "WARMLINE_DATA_KEY"}
    assert check_data_key(first["WARMLINE_DATA_KEY"]) and len(first["SECRET_KEY"]) >= 32
    init(str(tmp_path / "b"))
    second = env_values(tmp_path / "b" / ".env")
    assert first["SECRET_KEY"] != second["SECRET_KEY"]
    assert first["WARMLINE_DATA_KEY"] != second["WARMLINE_DATA_KEY"]
    assert (tmp_path / "a" / "warmline.toml").read_text().startswith("# warmline.toml")


def test_init_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    init()
    assert (tmp_path / "warmline.toml").is_file() and (tmp_path / ".env").is_file()


def test_init_never_overwrites_and_fails_when_nothing_could_be_written(tmp_path):
    (tmp_path / "warmline.toml").write_text("mine")
    out = init(str(tmp_path))
    assert "kept" in out and (tmp_path / "warmline.toml").read_text() == "mine"
    env_before = (tmp_path / ".env").read_text()
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("kept") == 2
    assert result.output.strip().splitlines()[-1].startswith("error: nothing written")
    assert (tmp_path / ".env").read_text() == env_before
    assert (tmp_path / "warmline.toml").read_text() == "mine"


def test_an_existing_config_folder_line_file_is_not_shadowed(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "warmline.toml").write_text(ONLY_LINE)
    out = init(str(tmp_path))
    assert "config/warmline.toml" in out
    assert not (tmp_path / "warmline.toml").exists() and (tmp_path / ".env").exists()


def test_the_line_file_must_be_filled_in_before_use(tmp_path):
    init(str(tmp_path))
    with pytest.raises(ConfigError, match=r"^line\.\w+"):
        load_settings("demo", env={}, cwd=tmp_path)


def test_the_written_line_file_shows_every_setting_with_its_default(tmp_path):
    init(str(tmp_path / "init"))
    written = tmp_path / "init" / "warmline.toml"
    fill_in(written)
    minimal = tmp_path / "minimal" / "warmline.toml"
    minimal.parent.mkdir()
    minimal.write_text(ONLY_LINE)
    from_init = load_settings("demo", env={}, cwd=written.parent)
    from_defaults = load_settings("demo", env={}, cwd=minimal.parent)
    paths = ("config_path", "escalation_path", "database_url", "instance_path")
    same_paths = {name: getattr(from_defaults, name) for name in paths}
    assert dataclasses.replace(from_init, **same_paths) == from_defaults

    tables = tomllib.loads(written.read_text())
    expected = {
        "line": {f.name for f in dataclasses.fields(Line)},
        "texts": {*DEFAULT_TEXTS, "es"},
        "timeouts": {f.name for f in dataclasses.fields(Timeouts)},
        "routing": {f.name for f in dataclasses.fields(Routing)},
        "calls": {f.name for f in dataclasses.fields(Calls)},
        "alerts": {"coordinator_numbers"},
        "retention": {"message_days"},
    }
    for table, keys in expected.items():
        assert set(tables[table]) == keys, table
    assert set(tables["texts"]["es"]) == set(DEFAULT_TEXTS_ES)


def test_commands_run_in_the_folder_read_its_env_and_the_environment_wins(tmp_path, monkeypatch):
    init(str(tmp_path))
    fill_in(tmp_path / "warmline.toml")
    for name in ("SECRET_KEY", "WARMLINE_DATA_KEY", "DATABASE_URL", "WARMLINE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    keys = env_values(tmp_path / ".env")
    settings = load_settings("production", cwd=tmp_path)
    assert settings.secret_key == keys["SECRET_KEY"]
    assert settings.data_key == keys["WARMLINE_DATA_KEY"]
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_settings("production", cwd=tmp_path).secret_key == "from-the-environment"
