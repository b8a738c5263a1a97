"""Parsing and scoring a labelled escalation corpus (`warmline/escalation/evaluation.py`) and the
report script `bench/escalation_report.py`."""

import pytest

from bench.escalation_report import main as report_main
from warmline.escalation.evaluation import (
    CorpusError,
    Example,
    evaluate,
    format_errors,
    format_report,
    parse_corpus,
)

GOOD = """\
# a comment, then a blank line

crisis | explicit | en | i want to die
crisis | slang | es | me quiero desvivir
none | idiom | en | this traffic is killing me
concern | concern_distress | es | me siento muy sola
none | ordinary | en | hi
"""


def test_a_corpus_parses_into_examples_skipping_comments_and_blank_lines():
    examples = parse_corpus(GOOD, "good.txt")
    assert examples[0] == Example("crisis", "explicit", "en", "i want to die", 3)
    assert [(e.label, e.category, e.lang) for e in examples[1:]] == [
        ("crisis", "slang", "es"),
        ("none", "idiom", "en"),
        ("concern", "concern_distress", "es"),
        ("none", "ordinary", "en"),
    ]


@pytest.mark.parametrize(
    "line, why",
    [
        ("crisis | explicit | i want to die", "got 3 fields"),
        ("crisis | explicit | en | a | b", "the message contains ' | '"),
        ("urgent | explicit | en | i want to die", "unknown label 'urgent'"),
        ("crisis | explicit | fr | je veux mourir", "unknown language 'fr'"),
        ("crisis | suicide | en | i want to die", "unknown category 'suicide'"),
        ("none | explicit | en | i want to die", "explicit is for crisis messages only"),
        ("crisis | idiom | en | this traffic is killing me", "idiom is for non-crisis"),
        ("none | ordinary | en |  ", "empty message"),
        ("none | ordinary | en | HI  there", "same message as line 1"),
    ],
)
def test_a_bad_line_is_named_with_its_file_line_and_reason(line, why):
    with pytest.raises(CorpusError) as caught:
        parse_corpus(f"none | ordinary | en | hi there\n{line}\n", "bad.txt")
    assert str(caught.value).startswith("bad.txt:2: ")
    assert why in str(caught.value)


def test_recall_counts_crisis_caught_and_false_alarms_count_others_called_crisis():
    examples = parse_corpus(GOOD, "good.txt")
    flagged = {"i want to die", "this traffic is killing me"}
    result = evaluate(examples, lambda text: "crisis" if text in flagged else "concern")
    assert (result.overall.crisis, result.overall.caught) == (2, 1)
    assert (result.overall.other, result.overall.false_alarms) == (3, 1)
    assert result.overall.recall == 0.5 and result.overall.false_alarm_rate == pytest.approx(1 / 3)
    assert result.by_language["es"].recall == 0.0
    assert result.by_language["es"].false_alarm_rate == 0.0
    assert result.by_category["slang"].false_alarm_rate is None
    assert result.by_category_language[("idiom", "en")].false_alarms == 1
    assert [e.text for e in result.missed] == ["me quiero desvivir"]
    assert [e.text for e in result.false_alarms] == ["this traffic is killing me"]


def test_the_report_shows_overall_language_and_category_rows():
    result = evaluate(parse_corpus(GOOD, "good.txt"), lambda text: "crisis")
    table = format_report(result, "good.txt").splitlines()
    assert table[0] == "good.txt: 5 messages, 2 crisis, 3 other"
    assert table[1].split() == ["all", "en", "es"]
    assert table[2].split() == "all messages recall 1.000 (2/2) 1.000 (1/1) 1.000 (1/1)".split()
    assert (
        table[3].split() == "all messages false alarms 1.000 (3/3) 1.000 (2/2) 1.000 (1/1)".split()
    )
    rows = {(line.split()[0], line.split()[1]) for line in table[4:]}
    assert rows == {
        ("explicit", "recall"),
        ("slang", "recall"),
        ("idiom", "false"),
        ("concern_distress", "false"),
        ("ordinary", "false"),
    }
    slang = next(line for line in table if line.startswith("slang"))
    assert slang.split()[2:] == ["1.000", "(1/1)", "-", "1.000", "(1/1)"]
    assert "  6: [concern_distress es] me siento muy sola" in format_errors(result)


def test_the_report_script_prints_the_table_for_each_file(tmp_path, capsys):
    corpus = tmp_path / "mini.txt"
    corpus.write_text(GOOD, encoding="utf-8")
    assert report_main([str(corpus), "--errors"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("mini.txt: 5 messages, 2 crisis, 3 other\n")
    assert "explicit" in out and "missed (" in out and "false alarms (" in out


def test_the_report_scans_with_the_classifier_unless_told_rules_only(tmp_path, capsys):
    """The figures a reader quotes are the product's: the rules and the shipped classifier.
    "cut myself a huge slice of birthday cake" fires a rule; the classifier reads it as
    harmless (rule 10), so only the rules alone call it a false alarm."""
    corpus = tmp_path / "mini.txt"
    corpus.write_text("none | lookalike_cutting | en | cut myself a huge slice of birthday cake\n")
    assert report_main([str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "0.000 (0/1)" in out and "(1/1)" not in out
    assert report_main([str(corpus), "--rules-only"]) == 0
    assert "1.000 (1/1)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read"),
        (b"\xff\xfe not utf-8", "cannot read"),
        (b"crisis | explicit | en\n", "mini.txt:1: expected"),
    ],
)
def test_the_report_script_rejects_bad_input_with_one_error_line(
    tmp_path, capsys, content, message
):
    corpus = tmp_path / "mini.txt"
    if content is not None:
        corpus.write_bytes(content)
    assert report_main([str(corpus)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
