"""Installed anywhere (SPEC §2, §3): the wheel built from this checkout, installed into a fresh
virtual environment, runs a line from a folder that holds nothing but a `[line]` table.

Nothing from the checkout is on the path: the commands run from empty temporary folders with a
clean environment, so the default lexicon, the demo line, the example line, the templates and the
migrations must all come from the installed package. pip's own cache is reused between runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import free_port, healthy, wait_until

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
# SPEC §3: "this is a complete configuration".
SPEC_LINE = """\
[line]
name = "Riverside Warmline"
timezone = "America/New_York"
public_number = "+15550100000"
relay_numbers = ["+15550100001", "+15550100002"]   # optional pool (§6)
"""
NOT_COPIED = (".git", ".venv", "build", "dist", "*.egg-info", "instance", ".env", "__pycache__")


def run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (no system site-packages) with the wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a clean copy: no stale build/ of an earlier build gets in
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_COPIED, ".*_cache"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "wheel", "-q", "--no-deps", "-w", str(work / "dist"), str(source)])
    [wheel] = (work / "dist").glob("warmline-*.whl")
    run([sys.executable, "-m", "venv", str(work / "venv")])
    run([str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)])
    return work / "venv"


def clean_env(venv: Path) -> dict[str, str]:
    drop = ("WARMLINE_", "TWILIO_", "DATABASE_URL", "SECRET_KEY", "PYTHON", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return env | {"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"}


def warmline(venv: Path, folder: Path, *args: str, code: int = 0) -> str:
    result = subprocess.run(
        [str(venv / "bin" / "warmline"), *args],
        cwd=folder,
        env=clean_env(venv),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == code, f"warmline {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout + result.stderr


def demo_answers_healthz(venv: Path, folder: Path) -> None:
    port = free_port()
    log = folder.parent / f"demo-{folder.name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(venv / "bin" / "warmline"), "demo", "--port", str(port)],
            cwd=folder,
            env=clean_env(venv),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: healthy(base) or proc.poll() is not None, 60, "the demo to start")
        assert proc.poll() is None, log.read_text()
        served_from_the_package(base)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def served_from_the_package(base: str) -> None:
    """The dashboard's templates and vendored assets and the API's document ship in the wheel."""
    login = fetch(base + "/login")
    assert "Log in" in login and 'name="csrf_token"' in login
    for asset in re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js))"', login):
        assert fetch(base + asset), asset
    assert "htmx" in login
    assert json.loads(fetch(base + "/api/v1/openapi.json"))["openapi"].startswith("3.")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return response.read().decode()


def site_packages(venv: Path) -> Path:
    [path] = venv.glob("lib/python*/site-packages")
    return path


def test_the_installed_wheel_runs_a_line_from_a_folder_with_only_a_line_table(venv, tmp_path):
    folder = tmp_path / "line"
    folder.mkdir()
    (folder / "warmline.toml").write_text(SPEC_LINE)
    where = warmline(venv, folder, "--help")  # the console script of the fresh environment
    assert "init" in where
    located = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import warmline; print(warmline.__file__)"],
        cwd=folder,
        env=clean_env(venv),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(located).is_relative_to(site_packages(venv))

    assert "up to date" in warmline(venv, folder, "db", "upgrade")
    warmline(venv, folder, "volunteer", "add", "Sam Lee", "+15551230001", "--role", "supervisor")
    warmline(venv, folder, "volunteer", "add", "Alex Kim", "+15551230002")
    warmline(
        venv,
        folder,
        "shift",
        "add",
        "--day",
        "mon",
        "--start",
        "18:00",
        "--end",
        "23:00",
        "--volunteer",
        "+15551230002",
        "--supervisor",
        "+15551230001",
    )
    assert "Alex Kim" in warmline(venv, folder, "shift", "list")
    added = subprocess.run(
        [
            str(venv / "bin" / "warmline"),
            "user",
            "add",
            "coord@example.org",
            "--role",
            "coordinator",
        ],
        cwd=folder,
        env=clean_env(venv),
        input="a long enough passphrase\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stdout + added.stderr
    token = warmline(venv, folder, "api-token", "add", "crm", "--role", "viewer")
    assert token.splitlines()[-1].startswith("wl_"), token  # the last line of all it printed
    checked = warmline(venv, folder, "escalation", "check", "I want to kill myself", "hi there")
    assert "crisis" in checked and "kill myself" in checked  # the shipped default lexicon
    # the shipped model (package data): a plan the rules have no pattern for
    planned = warmline(venv, folder, "escalation", "check", "i'll go to the bridge after dark")
    assert planned.startswith("crisis:") and "classifier: crisis, p=" in planned, planned
    assert "'bridge' (+" in planned, planned
    demo_answers_healthz(venv, folder)  # on this line and its database (already populated)

    assert (folder / "instance" / "warmline.sqlite3").is_file()
    assert sorted(p.name for p in folder.iterdir()) == ["instance", "warmline.toml"]
    installed = {p.name for p in site_packages(venv).iterdir()}
    assert not installed & {"instance", "config"}


def test_the_installed_wheel_demo_falls_back_and_init_writes_from_the_package(venv, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = warmline(venv, empty, "volunteer", "list", code=2)
    assert out.startswith("error: no line file") and "warmline init" in out
    demo_answers_healthz(venv, empty)  # the shipped demo line
    assert (empty / "instance" / "warmline.sqlite3").is_file()

    warmline(venv, tmp_path, "init", "new-line")
    written = (tmp_path / "new-line" / "warmline.toml").read_text()
    assert written.startswith("# warmline.toml") and "[retention]" in written
    assert (tmp_path / "new-line" / ".env").stat().st_mode & 0o777 == 0o600
