"""Every word warmline sends a contact, a caller, a volunteer or a supervisor, by name.

Each :class:`Text` says who receives it, the ``{placeholders}`` it may use (``{line}`` and
``{hours}`` are always filled in: :data:`ALWAYS_FILLED`), its English, and its Spanish when a
contact reads it ([texts.es]; SPEC §8): see :mod:`warmline.texts.entry`. The ``configurable``
ones are the ``[texts]`` settings of the line file; the others are written here once, ready to
be made so, or translated, in the same way. Pure data: no settings, no database.
"""

from __future__ import annotations

from warmline.texts.alert_texts import ALERT_TEXTS
from warmline.texts.entry import Text
from warmline.texts.volunteer_texts import VOLUNTEER_TEXTS


def _contact(en: str, es: str, *placeholders: str) -> Text:
    return Text("contact", en, placeholders, es, configurable=True)


def _caller(en: str, *placeholders: str, configurable: bool = False) -> Text:
    """Spoken on calls, in ``calls.language``: never in [texts.es]."""
    return Text("caller", en, placeholders, configurable=configurable)


CONTACT_TEXTS: dict[str, Text] = {
    "greeting": _contact(
        "Hi, this is {line}. A peer volunteer will text you back here soon. "
        "If you are in danger right now, call or text 988, or call 911.",
        "Hola, te escribe {line}. Una persona voluntaria te responderá aquí pronto. "
        "Si estás en peligro ahora mismo, llama o envía un mensaje de texto al 988, o llama al "
        "911.",
    ),
    "queued": _contact(
        "All our volunteers are with someone right now. You are number {place} in line "
        "and we will text you as soon as someone is free.",
        "Ahora mismo todas las personas voluntarias están acompañando a alguien. Eres el "
        "número {place} en la fila y te escribiremos en cuanto alguien esté libre.",
        "place",
    ),
    "still_queued": _contact(
        "You are still in line (number {place}). Someone will be with you as soon as they can.",
        "Sigues en la fila (número {place}). Alguien te atenderá en cuanto pueda.",
        "place",
    ),
    "after_hours": _contact(
        "{line} is closed right now. We open again {next_open}. Your message is "
        "saved. If you need someone now, call or text 988, or call 911 in an emergency.",
        "{line} está cerrado en este momento. Volvemos a abrir {next_open}. Tu "
        "mensaje quedó guardado. Si necesitas hablar con alguien ya, llama o envía un mensaje de "
        "texto al 988, o llama al 911 en una emergencia.",
        "next_open",
    ),
    "closing": _contact(
        "Thank you for texting {line}. If you need someone now, call or text 988.",
        "Gracias por escribir a {line}. Si necesitas a alguien ahora, llama o envía un "
        "mensaje de texto al 988.",
    ),
    "idle_closing": _contact(
        "We haven't heard from you in a while, so we've closed this conversation. "
        "Text us again any time.",
        "Hace un rato que no sabemos de ti, así que cerramos esta conversación. "
        "Escríbenos cuando quieras.",
    ),
    "help": _contact(
        "{line}: peer support by text and phone, {hours}. In crisis, call or text 988; in an "
        "emergency call 911. Reply STOP to stop messages.",
        "{line}: apoyo entre pares por mensaje de texto y por teléfono, {hours}. En una "
        "crisis, llama o envía un mensaje de texto al 988; en una emergencia, llama al 911. "
        "Responde STOP para dejar de recibir mensajes.",
    ),
    "opted_out": _contact(
        "You will not get more messages from {line}. Reply START to resume.",
        "Ya no recibirás más mensajes de {line}. Responde START para volver.",
    ),
    "opted_in": _contact(
        "Welcome back to {line}. Text us any time we are open.",
        "Bienvenido de nuevo a {line}. Escríbenos cuando estemos abiertos.",
    ),
    "crisis_resources": _contact(
        "If you are in danger or thinking about ending your life, please call or "
        "text 988 now (Suicide & Crisis Lifeline, 24/7), or call 911 in an emergency.",
        "Si estás en peligro o pensando en quitarte la vida, por favor llama o "
        "envía un mensaje de texto al 988 ahora (Línea de Prevención del Suicidio y Crisis, 24/7, "
        "con atención en español), o llama al 911 en una emergencia.",
    ),
    # The reply to a contact who texts ENGLISH (or, in Spanish, ESPAÑOL).
    "language_changed": _contact(
        "OK, {line} will text you in English. Para español, responde ESPAÑOL.",
        "De acuerdo, {line} te escribirá en español. For English, reply ENGLISH.",
    ),
}

CALLER_TEXTS: dict[str, Text] = {
    # The greeting must offer 9 for the crisis line (SPEC §10).
    "call_greeting": _caller(
        "Hi, this is {line}, peer support by phone. If you are in danger or thinking "
        "about ending your life, press 9 to reach the crisis line, or hold for a peer volunteer.",
        configurable=True,
    ),
    "call_after_hours": _caller(
        "{line} is closed right now. We open again {next_open}.", "next_open", configurable=True
    ),
    "call_nobody_free": _caller(
        "All our volunteers are with someone right now.", configurable=True
    ),
    "call_voicemail": _caller(
        "If you are in danger, press 9 now to reach the crisis line. Or leave a "
        "message after the tone, and a volunteer will call you back from this number.",
        configurable=True,
    ),
    "call_crisis_transfer": _caller(
        "Connecting you to the crisis line now. Please stay on the line."
    ),
    "call_leave_message": _caller("Please leave your message after the tone."),
    "call_no_message": _caller("We did not get a message. Please call again any time. Goodbye."),
    "call_voicemail_saved": _caller(
        "Thank you. A volunteer will call you back from this number. Goodbye."
    ),
}

CATALOGUE: dict[str, Text] = CONTACT_TEXTS | CALLER_TEXTS | VOLUNTEER_TEXTS | ALERT_TEXTS
CONFIGURABLE = tuple(name for name, text in CATALOGUE.items() if text.configurable)
SPANISH = tuple(name for name in CONFIGURABLE if CATALOGUE[name].es is not None)
