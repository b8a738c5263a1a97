"""A small guess of a contact's language from one message: Spanish, English, or unsure.

Pure and cheap (no model, no network): it only has to tell the two languages the line's
volunteers declare ("en", "es") apart well enough to route, and to say "unsure" otherwise.

The rule, exactly:

* The text is lower-cased and split into words (letters only; accents kept).
* Each word in ``SPANISH`` scores one point for Spanish, each word in ``ENGLISH`` one for English.
  The lists are frequent function words and greetings that are not words of the other language
  ("me", "no", "a", "son" are left out because both languages use them).
* Spanish also scores one point for any of ``ñ ¿ ¡`` and one for any accented vowel (á é í ó ú ü),
  at most one point each, however many there are.
* The language with more points wins when it has at least ``MIN_POINTS`` (2) points and at least
  twice the other's; a single greeting word ("hola", "hello") also decides a message of one or
  two words. Anything else is ``None``: unsure, so routing ignores language.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "es"]
MIN_POINTS = 2

SPANISH = frozenset(
    """
    hola buenas buenos gracias por favor ayuda necesito quiero puedo tengo estoy siento
    el la los las un una unos unas del al de en que qué y o pero porque por para con
    es está estás están soy eres somos mi mis tu tus su sus yo nadie nada algo muy más
    como cómo cuando cuándo donde dónde quien quién alguien hablar hablo habla sé sí
    triste solo sola ahora hoy noche día mañana bien mal mucho poco aquí también
    ya voy vas vamos hay esto esta este eso esa ese lo nos nunca siempre
    todo toda todos vida vivir morir matar matarme quitarme mismo mejor peor
    """.split()
)
ENGLISH = frozenset(
    """
    hi hello hey thanks thank please help need want can could would should i'm im i'd
    the an and or but because for with without is are am was were be been being my your
    his her our their it's its this that these those what when where who why how
    feel feeling talk talking someone anyone nobody nothing something very really just
    sad alone lonely now today tonight day tomorrow good bad much little here also not
    do don't dont you to of in on at it i
    """.split()
)
GREETINGS: dict[str, Language] = {
    "hola": "es",
    "buenas": "es",
    "gracias": "es",
    "ayuda": "es",
    "hi": "en",
    "hello": "en",
    "hey": "en",
    "thanks": "en",
}
_WORD = re.compile(r"[a-záéíóúüñ']+")
_MARKS = frozenset("ñ¿¡")
_ACCENTS = frozenset("áéíóúü")


def guess_language(text: str) -> Language | None:
    """ "es", "en" or None (unsure) for one message, by the rule in this module's docstring."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    es = sum(w in SPANISH for w in words)
    en = sum(w in ENGLISH for w in words)
    es += any(ch in _MARKS for ch in lowered) + any(ch in _ACCENTS for ch in lowered)
    if es >= MIN_POINTS and es >= 2 * en:
        return "es"
    if en >= MIN_POINTS and en >= 2 * es:
        return "en"
    if 0 < len(words) <= 2 and es + en <= 2:
        greeted = {GREETINGS[w] for w in words if w in GREETINGS}
        if len(greeted) == 1:
            return greeted.pop()
    return None
