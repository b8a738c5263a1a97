"""Twilio webhook fields, bounded and checked at the edge (SPEC §4): never a 500 for bad input.

Each reader takes the request's form (or query string) and returns a value every later step can
store on SQLite and PostgreSQL alike, or raises :class:`BadField`, which the webhooks answer with
a 400 naming the field. Where refusing would lose what a person said, the value is kept instead:
a message body of any length Twilio can send is stored whole (NUL, which PostgreSQL refuses in
text, becomes U+FFFD), and counts, durations or error codes that make no sense are capped or
treated as absent.
What Twilio never sends is refused: SIDs that are not short ASCII letters and digits, addresses
with control characters or longer than any number, bodies over ten times Twilio's limit.

Reasons name the field, never its value: a 400's text can end up in Twilio's debugger and in
logs, and a value may be a phone number or a message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

SID_MAX = 64  # Twilio's are 34 (two letters and 32 hex digits); the columns hold 64
ADDRESS_MAX = 64  # From: E.164 is at most 16; "whatsapp:", "client:" and the like add a prefix
OWN_NUMBER_MAX = 32  # To: one of the line's numbers, which replies are sent from (32 stored)
BODY_MAX = 16_000  # Twilio's messages are at most 1,600 characters; ten times that, to be safe
WORD_MAX = 64  # status words, keypad digits
URL_MAX = 500  # the recording URL column
MEDIA_MAX = 100  # Twilio allows 10 media per message; more are counted as 100
CODE_DIGITS = 8  # Twilio's error codes have five digits; anything longer is not one
REQUEST_MAX = 256 * 1024  # bytes: a form with a 16,000-character body in 4-byte characters


class BadField(ValueError):
    """A field or query parameter no Twilio request carries; ``str()`` is the 400's reason."""

    def __init__(self, name: str, problem: str, *, where: str = "field") -> None:
        super().__init__(f"{where} {name} {problem}")
        self.name = name


Form = Mapping[str, str]


def storable(value: str) -> str:
    """Text PostgreSQL can store: NUL characters become U+FFFD."""
    return value.replace("\x00", "\ufffd")


def has_control(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in value)


def present(form: Form, name: str) -> str:
    """A required field, trimmed; missing or blank is a BadField."""
    value = form.get(name, "").strip()
    if not value:
        raise BadField(name, "is missing")
    return value


def sid(form: Form, *names: str) -> str:
    """A Twilio SID from the first of ``names`` present (``MessageSid``, then ``SmsSid``)."""
    value = next((form[n].strip() for n in names if form.get(n, "").strip()), "")
    if not value:
        raise BadField(names[0], "is missing")
    if len(value) > SID_MAX or not (value.isascii() and value.isalnum()):
        raise BadField(names[0], "is not a Twilio SID")
    return value


def address(form: Form, name: str, limit: int = ADDRESS_MAX) -> str:
    """A ``From``/``To``: a phone number, or an address such as ``client:alice`` or
    ``anonymous``; never a control character, never longer than ``limit``."""
    value = present(form, name)
    if len(value) > limit:
        raise BadField(name, f"is longer than {limit} characters")
    if has_control(value):
        raise BadField(name, "has control characters")
    return value


def body(form: Form, name: str = "Body") -> str:
    """A message body as sent (blank when absent), kept whole up to ``BODY_MAX`` characters."""
    value = form.get(name, "")
    if len(value) > BODY_MAX:
        raise BadField(name, f"is longer than {BODY_MAX} characters")
    return storable(value)


def count(form: Form, name: str, limit: int = MEDIA_MAX) -> int:
    """A small count such as ``NumMedia``, never refused (a text is not lost over it): a whole
    number is capped at ``limit``; anything else (absent, negative, not a number) counts 0."""
    value = form.get(name, "").strip()
    if not (value.isascii() and value.isdigit()):
        return 0
    return limit if len(value) > 9 else min(int(value), limit)


def word(form: Form, name: str) -> str:
    """A required status word (``MessageStatus``, ``CallStatus``...), lower case; a word
    warmline does not know is passed on (and ignored there), a long or odd one refused."""
    value = present(form, name)
    if len(value) > WORD_MAX or has_control(value):
        raise BadField(name, "is not a status word")
    return value.lower()


def optional_word(form: Form, name: str) -> str:
    """An optional status word or keypad entry (``Digits``): blank when absent."""
    value = form.get(name, "").strip()
    if len(value) > WORD_MAX or has_control(value):
        raise BadField(name, "is not a status word" if name != "Digits" else "is not keypad input")
    return value.lower()


def url(form: Form, name: str) -> str:
    """A required ``https://`` (or ``http://``) URL such as ``RecordingUrl``."""
    value = present(form, name)
    if (
        len(value) > URL_MAX
        or not value.lower().startswith(("https://", "http://"))
        or has_control(value)
        or any(ch.isspace() for ch in value)
    ):
        raise BadField(name, "is not a URL warmline can keep")
    return value


def error_code(form: Form, name: str = "ErrorCode") -> int | None:
    """Twilio's error code, or None when absent or not one (it is informative only)."""
    value = form.get(name, "").strip()
    if value.isascii() and value.isdigit() and len(value) <= CODE_DIGITS:
        return int(value)
    return None


def is_id(value: str) -> bool:
    """Whole ASCII digits that fit a row id (checked before ``int()``, which refuses strings
    of over 4,300 digits with an error of its own)."""
    return value.isascii() and value.isdigit() and len(value) <= 9


def query_id(args: Form, name: str) -> int:
    """A row id warmline put in a callback URL's query string (``c``, ``v``)."""
    value = args.get(name, "")
    if not is_id(value):
        raise BadField(name, "is missing or not an id", where="query parameter")
    return int(value)


def optional_query_id(args: Form, name: str) -> int | None:
    """``query_id``, or None when the parameter is missing or not an id."""
    value = args.get(name, "")
    return int(value) if is_id(value) else None
