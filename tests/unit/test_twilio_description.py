"""The vendored part of Twilio's API description is what scripts/trim_twilio_openapi.py makes:
every operation it names, every component they reference, nothing else; and its licence."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "tests" / "support" / "twilio"


def trim_script():
    path = ROOT / "scripts" / "trim_twilio_openapi.py"
    spec = importlib.util.spec_from_file_location("trim_twilio_openapi", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_vendored_description_is_exactly_what_the_script_keeps():
    script = trim_script()
    vendored = json.loads((VENDORED / "twilio_api_v2010.json").read_text())
    assert set(vendored["paths"]) == set(script.OPERATIONS)
    for path, methods in script.OPERATIONS.items():
        assert {m for m in vendored["paths"][path] if m in script.METHODS} == set(methods)
    for ref in script.refs(vendored):  # every reference resolves inside the file
        script.resolve(vendored, ref)
    assert script.trim(vendored) == vendored  # regenerating keeps it as it is


def test_twilio_licence_and_origin_are_beside_it():
    assert "MIT License" in (VENDORED / "LICENSE").read_text()
    assert "twilio/twilio-oai" in (VENDORED / "README.md").read_text()
