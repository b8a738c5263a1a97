"""The wheel's package list: pyproject.toml lists packages (config/ is mapped in as
warmline.defaults), so a new package under warmline/ must be listed there to be installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_under_warmline_is_shipped_and_config_is_the_defaults():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "warmline").rglob("__init__.py")
    }
    listed = set(setuptools["packages"])
    assert found - listed == set(), "add these packages to [tool.setuptools] packages"
    assert setuptools["package-dir"] == {"warmline.defaults": "config"}
    assert listed - found == {"warmline.defaults"}
    assert (ROOT / "config" / "__init__.py").is_file()
    assert {"escalation.toml", "warmline.toml", "warmline.example.toml"} <= {
        p.name for p in (ROOT / "config").glob("*.toml")
    }
