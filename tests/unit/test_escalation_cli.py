"""`warmline escalation check`: arguments or standard input, text or JSON lines (SPEC §8)."""

import json

from click.testing import CliRunner

from warmline.cli import main


def run(args, stdin=None):
    result = CliRunner().invoke(main, ["escalation", "check", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_arguments_are_checked_with_what_matched_and_why():
    out = run(["I want to kill myself", "I'm not suicidal, just lonely"])
    assert "crisis" in out and "suicide" in out
    assert "none" in out and "negated" in out


def test_json_lines_from_standard_input():
    out = run(["--json"], stdin="took 30 tylenol\nI'm not suicidal, just lonely\n")
    first, second = (json.loads(line) for line in out.strip().splitlines())
    assert first["text"] == "took 30 tylenol" and first["level"] == "crisis"
    match = first["matches"][0]
    assert set(match) >= {"category", "level", "phrase", "span"}
    assert first["text"][match["span"][0] : match["span"][1]]
    assert second["level"] == "none" and second["matches"] == []
