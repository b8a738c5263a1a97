"""What a text *is*, before anything acts on it: opt-out keywords and volunteer commands.

Opt-out rules (SPEC §5.1), as exact as GoAlert's ``isStopMessage``:

* The whole message, after trimming spaces and punctuation and ignoring case, must be one of the
  keywords. "stop" alone opts out; "please stop texting me" is an ordinary message.
* STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT -> ``"stop"``.
* START, YES, UNSTOP -> ``"start"`` (acted on only for an opted-out contact; otherwise an
  ordinary message, so "yes" is just a reply).
* HELP, INFO -> ``"help"`` (the help text is sent *and* the message still goes to a volunteer).

Language choice (SPEC §8), by the same whole-message rule, accents optional:

* ESPAÑOL, ESPANOL, EN ESPAÑOL, SPANISH, IN SPANISH, CASTELLANO -> ``"es"``;
* ENGLISH, IN ENGLISH, INGLÉS, EN INGLÉS -> ``"en"``.

The contact then gets every text in that language and a confirmation in it; like HELP, the
message still goes to the volunteer, who learns which language to answer in.

Commands (SPEC §6): the first word starts with ``#`` (any case); the rest is the argument.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from typing import Literal

Keyword = Literal["stop", "start", "help"]
STOP_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"}
)
START_WORDS = frozenset({"start", "yes", "unstop"})
HELP_WORDS = frozenset({"help", "info"})
_TRIM = string.whitespace + string.punctuation + "\u00a1\u00bf\u2019\u201c\u201d\u2026"

LANGUAGE_WORDS: dict[str, Literal["en", "es"]] = {
    "espanol": "es",
    "en espanol": "es",
    "spanish": "es",
    "in spanish": "es",
    "castellano": "es",
    "english": "en",
    "in english": "en",
    "ingles": "en",
    "en ingles": "en",
}


def keyword(body: str) -> Keyword | None:
    """The opt-out keyword the whole message is, or None."""
    word = body.strip(_TRIM).lower()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


def language_choice(body: str) -> Literal["en", "es"] | None:
    """The language the whole message asks for ("ESPAÑOL", "in English"), or None."""
    words = " ".join(body.strip(_TRIM).lower().split())
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", words) if not unicodedata.combining(ch)
    )
    return LANGUAGE_WORDS.get(plain)


@dataclass(frozen=True)
class Command:
    name: str  # lower-case, without '#'; may be unknown (``routing.volunteers.COMMANDS``)
    argument: str


def command(body: str) -> Command | None:
    """The volunteer command in ``body``, or None when it is a reply to relay."""
    text = body.strip()
    if not text.startswith("#"):
        return None
    parts = text[1:].split(maxsplit=1)
    if not parts:
        return Command(name="", argument="")
    return Command(name=parts[0].lower(), argument=parts[1].strip() if len(parts) > 1 else "")
