"""Password hashing with Argon2id (argon2-cffi).

Why Argon2id rather than hashlib.scrypt: it is OWASP's first choice for password storage, its PHC
string (``$argon2id$v=19$m=...,t=...,p=...$salt$hash``) carries its own cost parameters, so the
cost can be raised later and old hashes upgraded at the next login (:func:`needs_rehash`), and
argon2-cffi does the salting and the constant-time comparison itself.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from warmline.accounts import AccountError

MIN_LENGTH = 12
# Long enough for any passphrase, short enough that hashing cannot be made a denial of service.
MAX_LENGTH = 1024

_hasher = PasswordHasher()  # argon2-cffi's defaults: RFC 9106's low-memory profile


def check_strength(password: str) -> None:
    """Raise AccountError unless ``password`` has MIN_LENGTH to MAX_LENGTH characters.

    Length is the rule (NIST SP 800-63B): no composition rules that push people to ``Passw0rd!``.
    The message never repeats the password.
    """
    if len(password) < MIN_LENGTH:
        raise AccountError(f"the password is too short: use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise AccountError(f"the password is too long: use at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    """The Argon2id PHC string of ``password`` (a fresh random salt each call)."""
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; False on a mismatch or a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (rehash at next login)."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _decoy_hash() -> str:
    return _hasher.hash("warmline decoy password, never a real one")


def spend_like_a_check(password: str) -> None:
    """Spend the time of one check, for an unknown email: its timing reveals no account."""
    check_password(_decoy_hash(), password)
