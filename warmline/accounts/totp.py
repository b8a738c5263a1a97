"""Time-based one-time passwords (RFC 6238, pyotp): the optional second factor of an account.

Secrets are base32 strings made by pyotp; at rest they are encrypted with the Vault (the caller
stores ``Vault.encrypt(secret)``). Codes are 6 digits, 30-second steps; one step either side is
accepted for clocks that drift. The time is an argument, never read here.

A code is good for one use: :func:`matching_step` says which 30-second step a code belongs to, so
the caller can keep the last step it accepted and refuse that step (and older ones) next time.
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp

DIGITS = 6
STEP_SECONDS = 30
WINDOW = 1  # steps of 30 s accepted either side of now


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app reads (as a QR code or pasted)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def code_at(secret: str, at: dt.datetime) -> str:
    """The code valid at ``at`` (for tests and for showing the first code when enabling)."""
    return pyotp.TOTP(secret).at(at)


def verify_code(secret: str, code: str, now: dt.datetime) -> bool:
    """True when ``code`` (spaces allowed, ``123 456``) is the code of ``now`` ± WINDOW steps."""
    return matching_step(secret, code, now) is not None


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step (Unix time // 30) whose code ``code`` is, among ``now`` ± WINDOW steps;
    None when it is none of them or is not six digits (spaces allowed, ``123 456``)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    digits = code.replace(" ", "")
    if len(digits) != DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    generator = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(generator.generate_otp(step), digits):
            return step
    return None
