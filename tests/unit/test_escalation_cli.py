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


def test_check_names_the_rule_and_the_words_it_matched():
    out = run(["im gonna finally end it tonight"])
    assert "rule 'intent'" in out
    assert "words 'gonna' + 'end it'" in out
    line = run(["--json", "i have a knfie in my hand"]).strip()
    (match,) = json.loads(line)["matches"]
    assert match["rule"] == "means-at-hand"
    assert match["words"] == ["knfie", "in my hand"]
    assert match["typos"] == [{"text": "knfie", "read_as": "knife"}]
