"""The contact language guess (warmline.routing.language): Spanish, English or unsure."""

from __future__ import annotations

import pytest

from warmline.routing.language import guess_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hola, necesito hablar con alguien", "es"),
        ("hola", "es"),
        ("¿Hay alguien?", "es"),  # ¿ and one Spanish word: two points
        ("estoy muy triste esta noche", "es"),
        ("me siento solo", "es"),
        ("no sé qué hacer", "es"),
        ("HOLA NECESITO AYUDA", "es"),  # any case
        ("ya no quiero vivir, voy a matarme", "es"),  # a crisis text: its resources in Spanish
        ("ya no quiero vivir, me quiero matar", "es"),
        ("hi, is anyone there?", "en"),
        ("hi", "en"),
        ("Hey", "en"),
        ("I feel so alone tonight", "en"),
        ("i just need someone to talk to", "en"),
        ("", None),
        ("ok", None),
        ("😢", None),
        ("no", None),  # both languages
        ("yes", None),
        ("Ça va? J'ai besoin de parler", None),  # French: neither
        ("مرحبا، أنا وحيد الليلة", None),
        ("hola, hi", None),  # one greeting of each: unsure
    ],
)
def test_guess_language(text, expected):
    assert guess_language(text) == expected


def test_a_mixed_message_goes_to_the_clearly_stronger_language():
    assert guess_language("hola, I really need to talk to someone tonight please") == "en"
    assert guess_language("hi, necesito hablar con alguien por favor, estoy muy triste") == "es"
