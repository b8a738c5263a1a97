"""The texts catalogue (``warmline.texts``): every text's words use only the placeholders it may,
what contacts read has Spanish, and every text the code sends by name is in it."""

from __future__ import annotations

import re
import string
from pathlib import Path
from types import SimpleNamespace

import pytest

import warmline
from warmline import texts
from warmline.config import DEFAULT_TEXTS, DEFAULT_TEXTS_ES, PLACEHOLDERS, Texts
from warmline.texts.catalogue import CATALOGUE

SOURCE = Path(warmline.__file__).parent


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_each_text_uses_only_its_placeholders(name):
    text = CATALOGUE[name]
    assert fields(text.en) <= set(text.allowed)
    if text.es is not None:
        assert fields(text.es) <= set(text.allowed)
        assert fields(text.es) == fields(text.en)  # a translation says the same things


def test_what_a_contact_reads_has_spanish_and_is_configurable():
    contact = {name for name, t in CATALOGUE.items() if t.audience == "contact"}
    assert contact == set(DEFAULT_TEXTS_ES)
    assert all(CATALOGUE[name].es and CATALOGUE[name].configurable for name in contact)


def test_the_line_files_texts_are_the_catalogues_configurable_ones():
    configurable = {name for name, t in CATALOGUE.items() if t.configurable}
    assert configurable == set(DEFAULT_TEXTS) == set(Texts.__dataclass_fields__)
    assert all(PLACEHOLDERS[name] == CATALOGUE[name].allowed for name in configurable)


# A call that sends a text by name, and the text names (quoted words) in its arguments.
CALL = re.compile(r"(?:texts\.(?:render|fixed)|\bsay|\bline)\(([^()]*)|\btell=\"(\w+)\"")
QUOTED = re.compile(r'"(\w+)"')


def test_every_text_the_code_sends_by_name_is_in_the_catalogue():
    named = set()
    for path in SOURCE.rglob("*.py"):
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            named |= set(QUOTED.findall(match.group(1) or "")) | {match.group(2)} - {None}
    assert len(named) > 40  # the pattern does find them
    assert named - set(CATALOGUE) == set()


SETTINGS = SimpleNamespace(
    line=SimpleNamespace(name="Riverside Warmline", hours="6 PM to midnight"),
    texts=SimpleNamespace(greeting="Hi from {line}, open {hours}"),
    texts_es=SimpleNamespace(greeting="¡Hola desde {line}!"),
)


def test_render_takes_a_configurable_text_from_the_settings_in_the_contacts_language():
    assert texts.render(SETTINGS, "greeting") == "Hi from Riverside Warmline, open 6 PM to midnight"
    assert texts.render(SETTINGS, "greeting", lang="es") == "¡Hola desde Riverside Warmline!"


def test_render_takes_any_other_text_from_the_catalogue():
    said = texts.render(SETTINGS, "callback_waiting", alias="Blue Heron")
    assert said.startswith("Blue Heron called Riverside Warmline and left a voicemail")
    assert texts.render(SETTINGS, "ended", lang="es", alias="Teal Fox") == (
        "Conversation with Teal Fox closed. Thank you."  # volunteers read English
    )


def test_words_filled_in_are_never_read_as_placeholders():
    assert texts.fixed("relay", alias="Blue Heron", body="{line} {0} }{") == (
        "[Blue Heron] {line} {0} }{"
    )


def test_a_placeholder_left_unfilled_stays_as_written_rather_than_failing():
    assert texts.fixed("ended") == "Conversation with {alias} closed. Thank you."
