"""Password hashing, API token format and TOTP at a fixed time: pure functions, no database."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from warmline.accounts import AccountError, passwords, tokens, totp

PASSWORD = "correct horse battery staple"
# RFC 6238's SHA-1 test secret ("12345678901234567890"), base32, and its published vector:
# at 2009-02-13 23:31:30 UTC (unix 1234567890) the 8-digit code is 89005924, so 6 digits 005924.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_TIME = dt.datetime(2009, 2, 13, 23, 31, 30, tzinfo=dt.UTC)


def test_password_hash_is_argon2id_salted_and_checks():
    first, second = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and first != second
    assert PASSWORD not in first
    assert passwords.check_password(first, PASSWORD)
    assert not passwords.check_password(first, PASSWORD + "!")
    assert not passwords.check_password("not a hash", PASSWORD)
    assert not passwords.needs_rehash(first)


def test_a_hash_made_with_weaker_parameters_needs_rehash():
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    assert passwords.check_password(weak, PASSWORD)
    assert passwords.needs_rehash(weak)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Hunter2!", "too short: use at least 12"),
        ("x" * 11, "too short"),
        ("x" * 1025, "too long"),
    ],
)
def test_password_length_rule(password, message):
    with pytest.raises(AccountError, match=message) as info:
        passwords.check_strength(password)
    assert password not in str(info.value)


@pytest.mark.parametrize("password", ["x" * 12, "twelve chars", "x" * 1024])
def test_passwords_of_acceptable_length(password):
    passwords.check_strength(password)


def test_token_format_and_hash():
    plain = tokens.new_plain_token()
    assert plain.startswith("wl_") and len(plain) == 46
    assert tokens.looks_like_token(plain)
    assert tokens.hash_token(plain) == hashlib.sha256(plain.encode()).hexdigest()
    assert tokens.new_plain_token() != plain


@pytest.mark.parametrize(
    "plain",
    ["", "wl_", "wl_short", "xx_" + "a" * 43, "wl_" + "a" * 42 + "!", "wl_" + "a" * 44],
)
def test_not_token_shaped(plain):
    assert not tokens.looks_like_token(plain)


@pytest.mark.parametrize("name", ["crm", "Funder report 2026", "sheet-sync_v2.1"])
def test_token_names(name):
    assert tokens.check_name(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", " ", "-lead", "a/b", "x" * 65])
def test_bad_token_names(name):
    with pytest.raises(AccountError, match="is not a token name"):
        tokens.check_name(name)


def test_totp_matches_rfc_6238_vector():
    assert totp.code_at(RFC_SECRET, RFC_TIME) == "005924"
    assert totp.verify_code(RFC_SECRET, "005924", RFC_TIME)
    assert totp.verify_code(RFC_SECRET, "005 924", RFC_TIME)


def test_totp_accepts_one_step_either_side_and_no_more():
    code = totp.code_at(RFC_SECRET, RFC_TIME)
    step = dt.timedelta(seconds=30)
    assert totp.verify_code(RFC_SECRET, code, RFC_TIME + step)
    assert totp.verify_code(RFC_SECRET, code, RFC_TIME - step)
    assert not totp.verify_code(RFC_SECRET, code, RFC_TIME + 3 * step)
    assert not totp.verify_code(RFC_SECRET, code, RFC_TIME - 3 * step)


def test_totp_names_the_step_a_code_belongs_to():
    step = int(RFC_TIME.timestamp()) // 30
    code = totp.code_at(RFC_SECRET, RFC_TIME)
    later = RFC_TIME + dt.timedelta(seconds=30)
    assert totp.matching_step(RFC_SECRET, code, RFC_TIME) == step
    assert totp.matching_step(RFC_SECRET, code, later) == step  # the step of the code, not of now
    assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, later), RFC_TIME) == step + 1
    assert totp.matching_step(RFC_SECRET, "000000", RFC_TIME) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "٠٠٥٩٢٤"])
def test_totp_refuses_malformed_codes(code):
    assert not totp.verify_code(RFC_SECRET, code, RFC_TIME)


def test_totp_needs_an_aware_time():
    with pytest.raises(ValueError, match="aware"):
        totp.verify_code(RFC_SECRET, "005924", RFC_TIME.replace(tzinfo=None))


def test_totp_secret_and_uri():
    secret = totp.new_secret()
    assert len(secret) == 32 and secret.isalnum()
    uri = totp.provisioning_uri(secret, "sam@example.org", "Warmline")
    assert uri.startswith("otpauth://totp/Warmline:sam%40example.org?")
    assert f"secret={secret}" in uri and "issuer=Warmline" in uri
