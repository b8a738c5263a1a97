"""Loading and validating the escalation lexicon."""

import pytest

from warmline.escalation.lexicon import LexiconError, default_lexicon_path, load_lexicon

CATEGORIES = {"suicide", "self_harm", "harm_to_others", "danger_abuse", "medical_emergency"}


def test_default_lexicon_loads():
    lexicon = load_lexicon(default_lexicon_path())
    assert {p.category for p in lexicon.phrases} == CATEGORIES
    assert {p.level for p in lexicon.phrases} == {"crisis", "concern"}
    assert {p.language for p in lexicon.phrases} == {"en", "es"}
    assert {"not", "never", "no", "nunca"} <= lexicon.negation_cues
    assert lexicon.idioms
    texts = {p.text for p in lexicon.phrases}
    assert {"kms", "unalive", "gonna take all my tylenol", "quiero morir"} <= texts
    rules = {r.name for r in lexicon.rules}
    assert {"intent", "means-at-hand", "ingested", "third-person", "danger-now"} <= rules
    assert {"harm-to-others", "plan-with-time", "farewell", "symptoms-after-taking"} <= rules
    assert {r.language for r in lexicon.rules} == {"en", "es"}


def test_default_path_is_the_repo_config():
    path = default_lexicon_path()
    assert path.parts[-2:] == ("config", "escalation.toml")
    assert path.is_file()


def write(tmp_path, body):
    path = tmp_path / "escalation.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = '[phrases.suicide.crisis]\nen = ["kill myself"]\n'


def test_minimal_file(tmp_path):
    lexicon = load_lexicon(write(tmp_path, GOOD))
    (phrase,) = lexicon.phrases
    assert (phrase.text, phrase.words, phrase.source) == (
        "kill myself",
        ("kil", "myself"),
        "phrases.suicide.crisis.en[0]",
    )
    assert (lexicon.negation_window, lexicon.fuzzy_min_length) == (3, 4)


def test_slots_expand(tmp_path):
    body = '[slots]\nmeds = ["pills", "tylenol"]\n[phrases.suicide.crisis]\nen = ["took {meds}"]\n'
    lexicon = load_lexicon(write(tmp_path, body))
    assert [p.text for p in lexicon.phrases] == ["took pills", "took tylenol"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[phrases.suicide.crisis]\nen = ["ok", 3]\n', "phrases.suicide.crisis.en[1]: must be"),
        ('[phrases.suicide.crisis]\nen = ["ok", ""]\n', "phrases.suicide.crisis.en[1]"),
        ('[phrases.suicide.crisis]\nen = ["ok", "!!!"]\n', "'!!!' has no letters or digits"),
        ('[phrases.suicide.urgent]\nen = ["x"]\n', "phrases.suicide.urgent: unknown level"),
        ('[phrases.Suicide.crisis]\nen = ["x"]\n', "phrases.Suicide: category names"),
        ('[phrases.suicide.crisis]\nenglish = ["x"]\n', "phrases.suicide.crisis.english"),
        ('[phrases.suicide.crisis]\nen = "x"\n', "must be a list of strings"),
        ('[phrases.suicide.crisis]\nen = ["took {meds}"]\n', "unknown slot {meds}"),
        ('[phrases.suicide.crisis]\nen = ["over*dose"]\n', "only allowed at the very end"),
        (
            '[phrases.suicide.crisis]\nen = ["kill myself"]\n'
            '[phrases.self_harm.concern]\nen = ["KILL myself!"]\n',
            "phrases.self_harm.concern.en[0]: 'KILL myself!' is also suicide/crisis at "
            "phrases.suicide.crisis.en[0]",
        ),
        (GOOD + '[negation]\ncues = ["not really"]\n', "negation.cues[0]: 'not really' must"),
        (GOOD + "[settings]\nnegation_window = -1\n", "settings.negation_window: must be"),
        (GOOD + "[settings]\nwindow = 2\n", "settings.window: unknown setting"),
        (GOOD + '[idioms]\nen = ["killing me", 5]\n', "idioms.en[1]"),
        (GOOD + "[extras]\nx = 1\n", "extras: unknown section"),
        ("[phrases]\n", "phrases: no phrases or rules defined"),
        ("[phrases.suicide.crisis\nen = [", "invalid TOML"),
    ],
)
def test_bad_file_names_the_entry(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


def test_missing_file(tmp_path):
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon(tmp_path / "missing.toml")
