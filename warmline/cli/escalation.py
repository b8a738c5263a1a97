"""``warmline escalation check``: what the escalation rules make of a text."""

from __future__ import annotations

import sys

import click

from warmline.config import ConfigError, load_settings


@click.group()
def escalation() -> None:
    """The escalation lexicon."""


@escalation.command("check")
@click.argument("texts", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per text per line.")
def escalation_check(texts: tuple[str, ...], as_json: bool) -> None:
    """Print what the lexicon matches in TEXTS (or each line of standard input), and why."""
    from warmline.escalation.check import format_scan_json, format_scan_text
    from warmline.escalation.classifier import load_model
    from warmline.escalation.lexicon import LexiconError, load_lexicon
    from warmline.escalation.matcher import Matcher

    try:
        matcher = Matcher(load_lexicon(load_settings("demo").escalation_path), load_model())
    except (LexiconError, ConfigError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    lines = texts or tuple(line.rstrip("\n") for line in sys.stdin)
    for text in lines:
        scan = matcher.scan(text)
        click.echo(format_scan_json(text, scan) if as_json else format_scan_text(text, scan))
