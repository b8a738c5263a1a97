"""Cut Twilio's API description down to what the test stand-in needs, and write it to the repo.

Twilio publishes one OpenAPI file for the whole 2010-04-01 REST API (about 1.9 MB, from the public
twilio/twilio-oai repository, MIT licensed). The stand-in in tests/support/twilio_standin.py
checks every request the product sends against it; it only needs the operations below and the
components they reference, so that subset is committed under tests/support/twilio/ and a fresh
clone needs nothing beside it.

Regenerate (for a newer description, or to add an operation to OPERATIONS):

    python scripts/trim_twilio_openapi.py path/to/twilio_api_v2010.json

The output is deterministic: the same input gives the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ACCOUNT = "/2010-04-01/Accounts/{AccountSid}"
# path -> the HTTP methods kept (Messages create/list/fetch, Calls create/update/fetch,
# Recordings list/fetch/delete).
OPERATIONS: dict[str, tuple[str, ...]] = {
    f"{ACCOUNT}/Messages.json": ("post", "get"),
    f"{ACCOUNT}/Messages/{{Sid}}.json": ("get",),
    f"{ACCOUNT}/Calls.json": ("post",),
    f"{ACCOUNT}/Calls/{{Sid}}.json": ("get", "post"),
    f"{ACCOUNT}/Recordings.json": ("get",),
    f"{ACCOUNT}/Recordings/{{Sid}}.json": ("get", "delete"),
}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "support" / "twilio"


def refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` inside ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(spec: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise SystemExit(f"error: external reference {ref!r} is not supported")
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    """The description with only OPERATIONS and what they reference, transitively."""
    paths: dict[str, Any] = {}
    for path, methods in OPERATIONS.items():
        item = spec["paths"].get(path)
        if item is None:
            raise SystemExit(f"error: {path} is not in the description")
        missing = [m for m in methods if m not in item]
        if missing:
            raise SystemExit(f"error: {path} has no {', '.join(missing)} operation")
        paths[path] = {k: v for k, v in item.items() if k not in METHODS or k in methods}

    kept: set[str] = set()
    todo = list(refs(paths)) + [
        f"#/components/securitySchemes/{name}"
        for requirement in spec.get("security", [])
        for name in requirement
    ]
    while todo:
        ref = todo.pop()
        if ref in kept:
            continue
        kept.add(ref)
        todo.extend(refs(resolve(spec, ref)))

    components: dict[str, dict[str, Any]] = {}
    for ref in sorted(kept):
        _, _, kind, name = ref.split("/", 3)
        components.setdefault(kind, {})[name] = resolve(spec, ref)
    operations = [item[m] for item in paths.values() for m in METHODS if m in item]
    tags = {tag for operation in operations for tag in operation.get("tags", [])}
    out = {key: spec[key] for key in ("openapi", "info", "servers", "security") if key in spec}
    out["tags"] = [t for t in spec.get("tags", []) if t.get("name") in tags]
    out["paths"] = paths
    out["components"] = components
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="Twilio's twilio_api_v2010.json")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="folder to write into")
    args = parser.parse_args(argv)
    with args.source.open(encoding="utf-8") as f:
        spec = json.load(f)
    trimmed = trim(spec)
    args.output.mkdir(parents=True, exist_ok=True)
    target = args.output / "twilio_api_v2010.json"
    target.write_text(json.dumps(trimmed, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(trimmed['paths'])} paths, {target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
