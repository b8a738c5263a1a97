"""Escalation rules (SPEC §8): each kind of rule, typos, symbols and clause-scoped negation.

Table tests against the shipped lexicon, in English and Spanish: for each kind of rule the
messages it must catch (and the rule that names them) and the harmless look-alikes it must not.
"""

import pytest

from warmline.escalation.fuzzy import FuzzyIndex, common_words
from warmline.escalation.lexicon import LexiconError, default_lexicon_path, load_lexicon
from warmline.escalation.matcher import Matcher, Scan

MATCHER = Matcher(load_lexicon(default_lexicon_path()))


def scan(text: str) -> Scan:
    return MATCHER.scan(text)


def rules_of(result: Scan) -> set[str | None]:
    return {m.rule for m in result.matches if m.level == "crisis"}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # first-person intent: a modal or future verb, a bounded gap, an act of harm
        ("i should just end it", "intent"),
        ("im gonna finally end things tonight", "intent"),
        ("decided to end things", "intent"),
        ("ready to end things", "intent"),
        ("hoy me voy a quitar la vida", "intent"),
        ("ya decidi quitarme de en medio", "intent"),
        # heights
        ("im going to drive my car off the overpass", "jump-from-height"),
        ("gonna throw myself off the roof of my building", "jump-from-height"),
        ("me voy a aventar del edificio", "jump-from-height"),
        # means with possession
        ("the gun is loaded and on the table", "means-at-hand"),
        ("belt around my neck rn", "means-at-hand"),
        ("i have like 60 tylenol counted out on my desk", "means-at-hand"),
        ("tengo un cuchillo en la mano ahorita", "means-at-hand"),
        ("ya tengo la soga amarrada", "means-at-hand"),
        # ingestion and quantity
        ("swallowed 30 pills", "ingested"),
        ("took everything in the medicine cabinet", "ingested"),
        ("i drank antifreeze", "ingested"),
        ("took 4000mg of tylenol an hour ago", "ingested"),
        ("me tome un frasco entero de clonazepam", "ingested"),
        ("tome cloro", "ingested"),
        # third person
        ("my roommate says shes going to kill herself", "third-person"),
        ("my son wants to overdose", "third-person"),
        ("mi amiga dice que se va a matar esta noche", "third-person"),
        # danger to the texter
        ("someone is trying to break into my house right now", "danger-now"),
        ("my stepdad is threatening me with a bat", "danger-now"),
        ("mi padrastro me jalo del pelo", "danger-now"),
        # harm to others
        ("im going to shoot up my workplace", "harm-to-others"),
        ("planning to poison my husbands coffee", "harm-to-others"),
        ("voy a envenenar a mi marido", "harm-to-others"),
        # a plan with a time that never names the act
        ("when theyre asleep im going to do it", "plan-with-time"),
        ("tomorrow morning before anyone wakes up ill be gone", "plan-with-time"),
        ("hoy en la noche cuando todos duerman lo hago", "it-with-a-time"),
        # farewells
        ("thanks for everything you guys did for me. goodbye", "farewell"),
        ("gave away my guitar and my cat. everything is sorted", "farewell"),
        ("adios a todos, perdon por todo", "farewell"),
        # hopelessness said as not going on living
        ("i cant keep living like this", "not-going-on"),
        ("no tiene sentido seguir viviendo", "not-going-on"),
        # symptoms after taking something
        ("cant keep my eyes open i think i took too much", "symptoms-after-taking"),
        ("el corazon me late muy rapido despues de las pastillas", "symptoms-after-taking"),
        # a negated act then a threat in the next clause
        ("i'm not going to kill myself tonight, but maybe tomorrow", "not-now-but-later"),
        ("no me voy a matar hoy, pero mañana quizas si", "not-now-but-later"),
    ],
)
def test_rule_kinds_catch_crisis_and_name_the_rule(text, rule):
    result = scan(text)
    assert result.level == "crisis"
    assert rule in rules_of(result)


@pytest.mark.parametrize(
    "text",
    [
        # overdosing, shooting and cutting in their harmless senses
        "i overdosed on coffee this morning lol",
        "slight overdose of tiktok today",
        "sobredosis de series este finde",
        "took all my vitamins this morning",
        "took two advil for my headache",
        "i took all the pills the pharmacy gave me, the antibiotics are done",
        "me tome todas las pastillas del tratamiento, por fin acabe los antibioticos",
        "shoot me a text when ur free",
        "going to the shooting range with my dad",
        "we shot some hoops after school",
        "finally cutting my hair short this weekend",
        "im cutting carbs and im so cranky",
        "i cut class today",
        "me voy a cortar el pelo mañana",
        # other look-alikes
        "going to jump in the pool at my friends party",
        "me voy a tirar a la piscina con mis primos",
        "heading out, im ready to go whenever you are",
        "gave away my old clothes to goodwill",
        "tonight when everyones asleep im gonna eat the leftover cake",
        "the knife set i got my dad for his birthday is so nice",
        # negated
        "no plans to hurt myself, just need to vent",
        "i dont have any pills or anything like that",
        "never would i ever hurt myself",
        "no tengo pastillas ni nada, estoy a salvo",
        # idioms
        "this traffic is killing me",
        "my sister is gonna kill me for eating her leftovers",
        "mi jefe me va a matar por llegar tarde",
    ],
)
def test_look_alikes_are_not_crisis(text):
    assert scan(text).level != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i used to want to die all the time, meds really helped",
        "years ago i tried to kill myself, now im doing a lot better",
        "hace años intente suicidarme, ahora estoy mucho mejor",
    ],
)
def test_past_and_recovered_is_at_most_concern(text):
    assert scan(text).level != "crisis"


def test_recovered_lowers_crisis_to_concern_and_says_why():
    result = scan("i overdosed twice in my 20s, been in recovery since")
    assert result.level == "concern"
    assert any("crisis lowered to concern" in s.reason for s in result.suppressed)


@pytest.mark.parametrize(
    "text",
    [
        "i was suicidal years ago but i got better and now its back, i have the pills in my hand",
        "im doing much better now. jk. i have the rope ready for tonight",
        "estaba mucho mejor, ya estoy bien decia, pero hoy me tome todas las pastillas",
    ],
)
def test_a_crisis_told_after_the_safety_phrase_is_not_lowered(text):
    """Safety now closes the story told before it; what comes after it is the present."""
    result = scan(text)
    assert result.level == "crisis", result


# --- clause-scoped negation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I'm not going to kill myself tonight, but maybe tomorrow", "crisis"),
        ("no plans to hurt myself", "none"),
        ("i dont have any plans to hurt myself", "none"),
        ("im not ok i want to kill myself", "crisis"),
        ("not gonna lie i want to die", "crisis"),
        ("its not like i want to die, i just dont want to go to school", "none"),
        ("i have no pills", "none"),
        ("no quiero morir", "none"),
        ("no estoy bien, quiero morir", "crisis"),
        ("nunca me haria daño, mis hijos me necesitan", "none"),
        ("hoy no, pero el fin de semana me mato", "crisis"),
        ("ahorita no pero en la noche me quito la vida", "crisis"),
    ],
)
def test_negation_covers_only_its_own_clause(text, level):
    assert scan(text).level == level


def test_a_negation_before_a_rules_first_start_does_not_hide_a_later_start():
    # "hoy" and "el sabado" both start the plan; "no" lies between "hoy" and the act, so the
    # chain from "hoy" is negated, but the tighter one from "el sabado" still stands.
    result = scan("hoy no pero el sabado me quito la vida")
    assert result.level == "crisis"
    assert [m.words for m in result.matches] == [("el sabado", "me quito la vida")]
    assert [s.reason for s in result.suppressed] == ["negated by 'no'"]


def test_negation_inside_a_rule_gap_cancels_it():
    result = scan("i have no gun in my hand")
    assert result.level == "none"
    assert any(s.reason == "negated by 'no'" for s in result.suppressed)


# --- typos and symbols --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "typo", "read_as"),
    [
        ("im going to kilk myself", "kilk", "kil"),
        ("want to end my lfie", "lfie", "life"),
        ("i wnat to die", "wnat", "want"),
        ("i wamt to die", "wamt", "want"),
        ("im gonna hang myslef", "myslef", "myself"),
        ("me qiero morir", "qiero", "quiero"),
        ("ya no qiero bivir", "bivir", "vivir"),
    ],
)
def test_one_typo_in_any_lexicon_word_of_four_letters(text, typo, read_as):
    result = scan(text)
    assert result.level == "crisis"
    assert any(t == typo for m in result.matches for t, _ in m.typos)
    assert MATCHER._fuzzy.lookup(typo) == read_as


@pytest.mark.parametrize(
    "text",
    [
        "i have a hand in this",  # "hand" is one edit from "hang" but a common word
        "the fruit is ripe",  # "ripe" / "rope"
        "i want to dye my hair",  # "dye" / "die": short words are never corrected
        "keys",
        "km",
    ],
)
def test_typos_that_are_common_words_are_read_as_themselves(text):
    assert scan(text).level == "none"


def test_common_word_lists_ship_with_the_package():
    words = common_words()
    assert {"hand", "ripe", "house", "casa", "tiempo"} <= words
    assert "sucide" not in words and "myslef" not in words


def test_fuzzy_index_prefers_swaps_and_neighbouring_keys():
    index = FuzzyIndex(["want", "wait", "suicide", "suicidal"], 4, [])
    assert index.lookup("wnat") == "want"  # swap
    assert index.lookup("wamt") == "want"  # m is beside n
    assert index.lookup("suicidl") == "suicidal"  # a letter left out
    assert index.lookup("house") is None


@pytest.mark.parametrize(
    "text",
    ["k1ll mys3lf", "$uicidal", "i wanna d!e", "su1c1d@l", "ki|| myself", "k!ll myself"],
)
def test_symbol_substitutions(text):
    assert scan(text).level == "crisis"


# --- the lexicon format for rules ---------------------------------------------------------------


def write(tmp_path, body):
    path = tmp_path / "escalation.toml"
    path.write_text(body, encoding="utf-8")
    return path


RULE = """
[sets]
will = ["going to", "gonna"]
act = ["end it", "jump off"]

[[rules]]
name = "intent"
category = "suicide"
level = "crisis"
en = ["{will} ~2 {act}"]
es = ["voy a ~1 acabar con todo"]
unless = ["the game"]
"""


def test_rule_file_loads_and_matches_with_its_gap(tmp_path):
    lexicon = load_lexicon(write(tmp_path, RULE))
    assert [(r.name, r.language, r.pattern) for r in lexicon.rules] == [
        ("intent", "en", "{will} ~2 {act}"),
        ("intent", "es", "voy a ~1 acabar con todo"),
    ]
    matcher = Matcher(lexicon)
    assert matcher.scan("im gonna just finally end it").level == "crisis"
    assert matcher.scan("im gonna just finally really end it").level == "none"  # gap of 3
    assert matcher.scan("voy a ya acabar con todo").level == "crisis"
    (match,) = matcher.scan("gonna end it").matches
    assert (match.rule, match.words) == ("intent", ("gonna", "end it"))
    result = matcher.scan("gonna end it, the game is boring")
    assert result.level == "none"
    assert result.suppressed[0].reason == "unless 'the game'"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\n", "rules.x: has no"),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'urgent'\nen = ['a']\n",
            "rules.x: unknown level 'urgent'",
        ),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['{nope} a']\n",
            "rules.x.en[0]: '{nope} a' uses unknown slot {nope}",
        ),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['a ~9 b']\n",
            "gaps are at most ~8",
        ),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['~2 b']\n",
            "~2 must stand between two parts",
        ),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['a ~2']\n",
            "a gap cannot end a pattern",
        ),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nenglish = ['a']\n",
            "rules.x.english: unknown key",
        ),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['a']\n"
            "negatable = 'no'\n",
            "rules.x.negatable: must be true or false",
        ),
        (
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['a']\n"
            "[[rules]]\nname = 'x'\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['b']\n",
            "rules.x: a rule of that name is already defined",
        ),
        (
            "[[rules]]\ncategory = 'suicide'\nlevel = 'crisis'\nen = ['a']\n",
            "rules[0]: needs a name",
        ),
        ("rules = 3\n", "rules: must be an array of tables"),
        ("[slots]\na = ['x']\n[sets]\na = ['y']\n", "sets.a: is also defined under [slots]"),
    ],
)
def test_bad_rules_name_the_entry(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("text", "typo", "read_as"),
    [
        ("kiero morirme", "kiero", "quiero"),
        ("q ya no kiero vivir", "kiero", "quiero"),
        ("gonna end it tn", "tn", "tonight"),
    ],
)
def test_informal_spellings_are_read_as_the_word(text, typo, read_as):
    result = scan(text)
    assert result.level == "crisis"
    assert (typo, read_as) in {t for m in result.matches for t in m.typos}


def test_a_star_between_letters_stands_for_one_letter():
    result = scan("im gonna k*ll myself")
    assert result.level == "crisis"
    assert scan("s*icidal").level == "crisis"
    assert scan("*sigh* long day").level == "none"


def test_spellings_in_a_lexicon_file(tmp_path):
    body = RULE + '\n[fuzzy.spellings]\ngunna = "gonna"\n'
    matcher = Matcher(load_lexicon(write(tmp_path, body)))
    (match,) = matcher.scan("im gunna end it").matches
    assert match.typos == (("gunna", "gona"),)
    bad = RULE + '\n[fuzzy.spellings]\nbouta = "about to"\n'
    with pytest.raises(LexiconError, match="must each be a single word"):
        load_lexicon(write(tmp_path, bad))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("took all my pills", "crisis"),
        ("took all my pills like the doctor said", "none"),
        ("tonight is the night i end it", "crisis"),
        ("tonight is the night we finally watch the finale", "none"),
        ("thanks for everything. goodbye", "crisis"),
        ("thanks for everything, bye! talk tomorrow", "none"),
    ],
)
def test_unless_phrases_cancel_a_rule(text, level):
    assert scan(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        "what should i say to a friend who is suicidal",
        "we watched a documentary about suicide for class",
        "estoy viendo un documental sobre el suicidio",
    ],
)
def test_talk_about_the_subject_is_concern_at_most(text):
    assert scan(text).level != "crisis"


def test_the_past_reaches_past_a_new_i_but_negation_does_not():
    assert scan("when i was 16 i tried to overdose, now im 30").level != "crisis"
    assert scan("im not ok i want to kill myself").level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i want to be proud of myself",  # "off myself" reads "of myself" once letters collapse
        "im going to take care of myself",
        "i cant breathe through my nose, this cold is awful",  # "noose" reads "nose"
        "i'll do it for my son",  # "soon" reads "son"
        "im going to rope in my friends to help",
    ],
)
def test_no_lexicon_entry_collapses_onto_an_ordinary_phrase(text):
    assert scan(text).level != "crisis"


def test_fuzzy_index_prefers_a_letter_left_out_to_one_too_many():
    index = FuzzyIndex(["mar", "matar"], 4, [])
    assert index.lookup("mtar") == "matar"
