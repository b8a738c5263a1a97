"""Contact numbers at rest: found by keyed hash, stored encrypted; stable aliases for volunteers.

``WARMLINE_DATA_KEY`` (any string) is stretched into two independent keys with HKDF: one for
HMAC-SHA256 lookup hashes, one for Fernet (AES-128-CBC + HMAC) encryption.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

import phonenumbers
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ADJECTIVES = (
    "Amber Blue Bright Calm Cedar Clear Coral Crimson Dawn Dusky Gentle Golden Green Hazel Indigo "
    "Ivory Jade Kind Lilac Lucky Maple Misty Mossy Olive Opal Pearl Quiet Rosy Ruby Sandy Silver "
    "Sky Snowy Steady Sunny Swift Tawny Warm Willow Young"
).split()
ANIMALS = (
    "Badger Bear Beaver Bison Crane Deer Dolphin Dove Eagle Falcon Finch Fox Hare Hawk Heron "
    "Ibis Jay Koala Lark Lynx Marten Moose Otter Owl Panda Puffin Quail Raven Robin Salmon Seal "
    "Sparrow Swan Tern Thrush Turtle Whale Wolf Wren Yak"
).split()


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"warmline", info=purpose).derive(
        secret.encode()
    )


@dataclass(frozen=True)
class Address:
    """Where a message came from: ``key`` identifies the sender, ``phone`` is set when textable."""

    key: str
    phone: str | None


def parse_address(raw: str) -> Address:
    """Normalise a Twilio ``From``/``To`` value.

    A valid phone number becomes E.164 and is textable. Anything else (``anonymous``, short codes,
    ``client:alice``, ``whatsapp:`` without a valid number) keeps its trimmed text as its identity
    and is not texted back: its messages are still stored and relayed.
    """
    value = raw.strip()
    try:
        parsed = phonenumbers.parse(value, None)
        if phonenumbers.is_possible_number(parsed):
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            return Address(key=e164, phone=e164)
    except phonenumbers.NumberParseException:
        pass
    return Address(key=value.lower(), phone=None)


class Vault:
    """Hash, encrypt and decrypt contact numbers with keys derived from the data key."""

    def __init__(self, data_key: str) -> None:
        self._hash_key = _derive(data_key, b"lookup-hash")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(data_key, b"encryption")))

    def lookup_hash(self, key: str) -> str:
        return hmac.new(self._hash_key, key.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode())

    def decrypt(self, token: bytes) -> str:
        return self._fernet.decrypt(token).decode()


def alias_for(number_hash: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A friendly alias derived from the lookup hash, e.g. "Blue Heron"; numbered if taken."""
    n = int(number_hash[:12], 16)
    base = f"{ADJECTIVES[n % len(ADJECTIVES)]} {ANIMALS[(n // len(ADJECTIVES)) % len(ANIMALS)]}"
    alias, i = base, 2
    while alias in taken:
        alias, i = f"{base} {i}", i + 1
    return alias
