"""Settings: the only reader of ``os.environ``, ``./.env`` and the line's TOML files.

Secrets and deployment settings come from the environment (completed by a ``.env`` file in the
current folder, as ``warmline init`` writes it), the line's behaviour from its TOML file. Only
the ``[line]`` table is required; everything else has a default. Any missing or invalid setting
raises :class:`ConfigError` whose message is one line naming the setting, so start-up stops with
that line and nothing else.

Where files are found (SPEC §3), never beside the source tree, so an installed wheel works:

- the line: ``WARMLINE_CONFIG``, else ``./warmline.toml``, else ``./config/warmline.toml``
  (``warmline demo`` falls back to the shipped demo line);
- the escalation lexicon: ``WARMLINE_ESCALATION_CONFIG`` (which must exist), else
  ``escalation.toml`` beside the line's file, else the shipped default;
- the instance folder (the SQLite file): ``WARMLINE_INSTANCE``, else ``./instance``.

The shipped files are the repository's ``config/`` folder, installed as the package
``warmline.defaults`` and read with :mod:`importlib.resources`.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import difflib
import os
import re
import string
import tomllib
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from warmline.opening_hours import (
    ALWAYS_OPEN,
    HoursError,
    OpeningHours,
    parse_opening_hours,
)
from warmline.opening_hours import describe as describe_hours
from warmline.texts.catalogue import CATALOGUE, CONFIGURABLE, SPANISH

Mode = Literal["production", "demo", "test"]
# Development-only secrets; refused in production mode.
DEV_SECRET_KEY = "warmline-dev-secret-key-not-for-production"
DEV_DATA_KEY = "warmline-dev-data-key-not-for-production"
DEFAULTS_PACKAGE = "warmline.defaults"
LINE_FILE = "warmline.toml"  # also the name of the shipped demo line
EXAMPLE_LINE_FILE = "warmline.example.toml"  # what `warmline init` writes
LEXICON_FILE = "escalation.toml"
# WARMLINE_DATA_KEY: at least this many bytes, written in url-safe base64 (what init makes).
DATA_KEY_BYTES = 32
MAKE_DATA_KEY = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
_URLSAFE_B64 = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_extracted = ExitStack()  # shipped files copied out of a zipped install, removed at exit
atexit.register(_extracted.close)


class ConfigError(Exception):
    """A setting is missing or invalid; ``str()`` is one line naming it."""


@dataclass(frozen=True)
class Texts:
    greeting: str
    queued: str
    still_queued: str
    after_hours: str
    closing: str
    idle_closing: str
    help: str
    opted_out: str
    opted_in: str
    crisis_resources: str
    call_greeting: str
    call_after_hours: str
    call_nobody_free: str
    call_voicemail: str
    language_changed: str


@dataclass(frozen=True)
class Timeouts:
    response_minutes: int = 5
    idle_close_minutes: int = 60
    escalation_ack_minutes: int = 5
    escalation_resources_minutes: int = 30  # crisis resources not sent again within this
    queue_update_minutes: int = 10
    return_to_volunteer_hours: int = 72


@dataclass(frozen=True)
class Routing:
    default_capacity: int = 2
    flood_max_auto_texts_per_hour: int = 6


@dataclass(frozen=True)
class Calls:
    strategy: Literal["simultaneous", "sequential"] = "simultaneous"
    ring_seconds: int = 20
    voice: str = "Polly.Joanna"
    language: str = "en-US"
    voicemail_seconds: int = 120  # longest voicemail a caller may leave


@dataclass(frozen=True)
class Line:
    name: str
    timezone: ZoneInfo
    public_number: str
    relay_numbers: tuple[str, ...] = ()
    hours: str = "see our website for opening hours"
    crisis_line: str = "988"

    @property
    def region(self) -> str | None:
        """The line's own country, in which national-format numbers are understood."""
        return region_of(self.public_number)

    @property
    def relay_pool(self) -> tuple[str, ...]:
        """Numbers a volunteer's conversations are bound to: the pool, or the public number."""
        return self.relay_numbers or (self.public_number,)


@dataclass(frozen=True)
class Settings:
    mode: Mode
    line: Line
    texts: Texts
    # What contacts who write Spanish get ([texts.es]); calls are spoken in calls.language, so
    # the call_* texts here are the [texts] ones.
    texts_es: Texts = field(default_factory=lambda: spanish_texts(DEFAULT_TEXTS, {}))
    timeouts: Timeouts = field(default_factory=Timeouts)
    routing: Routing = field(default_factory=Routing)
    calls: Calls = field(default_factory=Calls)
    coordinator_numbers: tuple[str, ...] = ()
    retention_days: int = 30
    opening_hours: OpeningHours = ALWAYS_OPEN  # [hours] and [holidays]
    database_url: str = ""
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_base_url: str | None = None
    public_url: str | None = None
    secret_key: str = DEV_SECRET_KEY
    data_key: str = DEV_DATA_KEY
    config_path: Path = field(default_factory=lambda: shipped_file(LINE_FILE))
    escalation_path: Path = field(default_factory=lambda: shipped_file(LEXICON_FILE))
    instance_path: Path = Path("instance")  # the instance folder (SQLite file, local state)
    # Where the dashboard counts failed logins: "memory://" serves one process; several web
    # instances share "redis://host:6379" (RATELIMIT_STORAGE_URI).
    ratelimit_storage_uri: str = "memory://"
    # How many reverse proxies in front set X-Forwarded-For/-Proto (WARMLINE_TRUSTED_PROXIES);
    # the login throttle counts per client address, which behind a proxy is only in that header.
    trusted_proxies: int = 0

    @property
    def uses_simulator(self) -> bool:
        """True when no Twilio credentials are set: outbound goes to the built-in simulator."""
        return not (self.twilio_account_sid and self.twilio_auth_token)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


# The [texts] settings and their defaults come from the texts catalogue (warmline.texts).
DEFAULT_TEXTS: dict[str, str] = {name: CATALOGUE[name].en for name in CONFIGURABLE}
# Spoken on calls, in calls.language: not in [texts.es].
CALL_TEXTS = tuple(name for name in CONFIGURABLE if CATALOGUE[name].audience == "caller")
# What a contact who writes Spanish (or texts ESPAÑOL) gets; [texts.es] overrides each.
DEFAULT_TEXTS_ES: dict[str, str] = {name: CATALOGUE[name].es or "" for name in SPANISH}


def normalise_number(value: str, setting: str, region: str | None = None) -> str:
    """Return ``value`` as E.164 or raise ConfigError naming ``setting``.

    With ``region`` (a CLDR code such as ``"US"``: the line's own country), a number written in
    that country's national format (``555-123-0009``, ``(555) 123 0009``) is accepted too;
    without it, only international ``+...`` numbers are.
    """
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        how = "+E.164 or national" if region else "+E.164"
        raise ConfigError(f"{setting}: {value!r} is not a phone number in {how} form") from None
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:  # "555-0666"
        raise ConfigError(f"{setting}: {value!r} is not a whole phone number (area code missing?)")
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ConfigError(f"{setting}: {value!r} is not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def region_of(number: str) -> str | None:
    """The country (CLDR region code) of an E.164 number, e.g. ``"US"``; None when unknown."""
    # By country code, not by number range: fictional 555 numbers are valid US numbers here.
    code = phonenumbers.parse(number, None).country_code or 0
    region = phonenumbers.region_code_for_country_code(code)
    return None if region == phonenumbers.UNKNOWN_REGION else region


# The placeholders each text may use: what the code that sends it passes to texts.render, which
# always adds {line} (the line's name) and {hours} (its opening hours in words).
PLACEHOLDERS: dict[str, tuple[str, ...]] = {name: CATALOGUE[name].allowed for name in CONFIGURABLE}
LINE_KEYS = ("name", "timezone", "public_number", "relay_numbers", "hours", "crisis_line")
# Every table and its keys; None: any key (checked by the table's own parser).
TABLES: dict[str, tuple[str, ...] | None] = {
    "line": LINE_KEYS,
    "texts": (*DEFAULT_TEXTS, "es"),
    "timeouts": tuple(Timeouts.__dataclass_fields__),
    "routing": tuple(Routing.__dataclass_fields__),
    "calls": tuple(Calls.__dataclass_fields__),
    "alerts": ("coordinator_numbers",),
    "retention": ("message_days",),
    "hours": None,
    "holidays": None,
}


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def check_known(data: Mapping[str, Any]) -> None:
    """Raise ConfigError for the first unknown table or setting, suggesting the nearest known."""
    for name, value in data.items():
        if not isinstance(value, Mapping) and name in TABLES:
            raise ConfigError(f"[{name}] must be a table, written [{name}] on a line of its own")
        if not isinstance(value, Mapping):
            raise ConfigError(
                f"{name} is outside any table; settings go in a table such as [line]"
                + _elsewhere(name)
            )
        if name not in TABLES:
            hint = _did_you_mean(f"[{name}]", [f"[{t}]" for t in TABLES])
            raise ConfigError(f"[{name}] is not a known table{hint}")
        keys = TABLES[name]
        if keys is None:
            continue
        for key in value:
            if key not in keys:
                what = "text" if name == "texts" else "setting"
                raise ConfigError(f"{name}.{key} is not a known {what}{_suggest(name, key)}")


def _suggest(table: str, key: str) -> str:
    """The did-you-mean for an unknown ``table.key``: the same key in the table it belongs to,
    else the nearest key of this table, else a near key of another table."""
    owners = {k: t for t, ks in TABLES.items() for k in ks or () if t != table}
    if key in owners:
        return f" (did you mean {owners[key]}.{key}?)"
    close = difflib.get_close_matches(key, TABLES[table] or (), n=1, cutoff=0.6)
    if close:
        return f" (did you mean {table}.{close[0]}?)"
    return _elsewhere(key)


def _elsewhere(key: str) -> str:
    """`` (did you mean retention.message_days?)`` for a key that belongs in another table."""
    owners = {k: t for t, ks in TABLES.items() for k in ks or ()}
    close = difflib.get_close_matches(key, list(owners), n=1, cutoff=0.8)
    return f" (did you mean {owners[close[0]]}.{close[0]}?)" if close else ""


def _table(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _get(table: Mapping[str, Any], section: str, key: str, kind: type, default: Any) -> Any:
    value = table.get(key, default)
    if value is None:
        raise ConfigError(f"{section}.{key} is required")
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ConfigError(f"{section}.{key} must be a positive whole number, got {value!r}")
    if kind is str and (not isinstance(value, str) or not value.strip()):
        raise ConfigError(f"{section}.{key} must be a non-empty string")
    if kind is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ConfigError(f"{section}.{key} must be a list of strings")
    return value


def _line(data: Mapping[str, Any], opening: OpeningHours) -> Line:
    """The [line] table. The public number must be +E.164; it gives the line's country, in which
    relay numbers may be written in national format. Every line number is distinct."""
    if "line" not in data:
        raise ConfigError("[line] table is missing (name, timezone, public_number are required)")
    t = _table(data, "line")
    tz_name = _get(t, "line", "timezone", str, None)
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"line.timezone: unknown time zone {tz_name!r}") from None
    public_text = _get(t, "line", "public_number", str, None)
    if not public_text.strip().startswith("+"):
        raise ConfigError(
            f"line.public_number: write {public_text!r} in international form, + and country "
            "code (e.g. +15550100000); it sets the country whose national format other numbers "
            "may use"
        )
    public = normalise_number(public_text, "line.public_number")
    region = region_of(public)
    relays: list[str] = []
    for value in _get(t, "line", "relay_numbers", list, []):
        number = normalise_number(value, "line.relay_numbers", region)
        if number == public:
            raise ConfigError(
                f"line.relay_numbers: {value} is the public number (line.public_number); "
                "relay numbers must be other numbers of the line"
            )
        if number in relays:
            raise ConfigError(f"line.relay_numbers: {value} is listed twice")
        relays.append(number)
    words = Line.hours if opening.always_open else describe_hours(opening)
    return Line(
        name=_get(t, "line", "name", str, None),
        timezone=tz,
        public_number=public,
        relay_numbers=tuple(relays),
        hours=_get(t, "line", "hours", str, words),
        crisis_line=_get(t, "line", "crisis_line", str, Line.crisis_line),
    )


def _texts(data: Mapping[str, Any]) -> tuple[Texts, Texts]:
    """[texts] and [texts.es]: the English texts and the Spanish ones, each checked."""
    t = _table(data, "texts")
    values = {k: _get(t, "texts", k, str, v) for k, v in DEFAULT_TEXTS.items()}
    for name, template in values.items():
        check_placeholders(f"texts.{name}", template, PLACEHOLDERS[name])
    spanish = t.get("es", {})
    if not isinstance(spanish, Mapping):
        raise ConfigError("[texts.es] must be a table, written [texts.es] on a line of its own")
    return Texts(**values), spanish_texts(values, spanish)


def spanish_texts(english: Mapping[str, str], table: Mapping[str, Any]) -> Texts:
    """The Spanish texts: ``table`` ([texts.es]) over ``DEFAULT_TEXTS_ES``; the call texts are
    ``english``'s, since calls are spoken in ``calls.language``."""
    for key in table:
        if key in CALL_TEXTS:
            raise ConfigError(
                f"texts.es.{key} is not a Spanish text: calls are spoken in calls.language, "
                f"so set it in [texts]"
            )
        if key not in DEFAULT_TEXTS_ES:
            close = difflib.get_close_matches(key, list(DEFAULT_TEXTS_ES), n=1, cutoff=0.6)
            hint = f" (did you mean texts.es.{close[0]}?)" if close else _elsewhere(key)
            raise ConfigError(f"texts.es.{key} is not a known text{hint}")
    values = {k: _get(table, "texts.es", k, str, v) for k, v in DEFAULT_TEXTS_ES.items()}
    for name, template in values.items():
        check_placeholders(f"texts.es.{name}", template, PLACEHOLDERS[name])
    return Texts(**values, **{k: english[k] for k in CALL_TEXTS})


def check_placeholders(setting: str, template: str, allowed: tuple[str, ...]) -> None:
    """Raise ConfigError unless every ``{placeholder}`` of ``template`` is one of ``allowed`` and
    its braces are balanced (a literal brace is written ``{{`` or ``}}``)."""
    can_use = ", ".join(f"{{{a}}}" for a in allowed)
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise ConfigError(
            f"{setting}: malformed braces ({exc}); write {{{{ and }}}} for a literal brace, "
            f"placeholders are {can_use}"
        ) from None
    for name in fields:
        if name not in allowed:
            shown = "{" + name + "}"
            hint = _did_you_mean(shown, [f"{{{a}}}" for a in allowed])
            raise ConfigError(
                f"{setting}: {shown} is not a placeholder this text can use{hint}; "
                f"it can use {can_use}"
            )


def _opening_hours(data: Mapping[str, Any]) -> OpeningHours:
    try:
        return parse_opening_hours(
            _table(data, "hours") if "hours" in data else None,
            _table(data, "holidays") if "holidays" in data else None,
        )
    except HoursError as exc:
        raise ConfigError(str(exc)) from None


def parse_line_config(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the line's TOML (already parsed) into the Settings fields it provides."""
    check_known(data)
    timeouts_t = _table(data, "timeouts")
    routing_t = _table(data, "routing")
    calls_t = _table(data, "calls")
    timeouts = Timeouts(
        **{k: _get(timeouts_t, "timeouts", k, int, getattr(Timeouts(), k)) for k in timeouts_t}
    )
    routing = Routing(
        **{k: _get(routing_t, "routing", k, int, getattr(Routing(), k)) for k in routing_t}
    )
    strategy = calls_t.get("strategy", "simultaneous")
    if strategy not in ("simultaneous", "sequential"):
        raise ConfigError(
            f"calls.strategy must be 'simultaneous' or 'sequential', got {strategy!r}"
        )
    calls = Calls(
        strategy=strategy,
        ring_seconds=_get(calls_t, "calls", "ring_seconds", int, Calls.ring_seconds),
        voice=_get(calls_t, "calls", "voice", str, Calls.voice),
        language=_get(calls_t, "calls", "language", str, Calls.language),
        voicemail_seconds=_get(calls_t, "calls", "voicemail_seconds", int, Calls.voicemail_seconds),
    )
    opening = _opening_hours(data)
    line = _line(data, opening)
    alerts = _table(data, "alerts")
    coordinators = []
    for value in _get(alerts, "alerts", "coordinator_numbers", list, []):
        number = normalise_number(value, "alerts.coordinator_numbers", line.region)
        if number == line.public_number or number in line.relay_numbers:
            raise ConfigError(
                f"alerts.coordinator_numbers: {value} is one of the line's own numbers; alerts "
                "go to the coordinators' own phones"
            )
        coordinators.append(number)
    retention = _table(data, "retention")
    english, spanish = _texts(data)
    return {
        "line": line,
        "texts": english,
        "texts_es": spanish,
        "timeouts": timeouts,
        "routing": routing,
        "calls": calls,
        "coordinator_numbers": tuple(coordinators),
        "retention_days": _get(retention, "retention", "message_days", int, 30),
        "opening_hours": opening,
    }


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'warmline.sqlite3'}"


def shipped_file(name: str) -> Path:
    """A file the package ships (``warmline.defaults``: the lexicon, the demo and example lines)."""
    resource = resources.files(DEFAULTS_PACKAGE) / name
    if isinstance(resource, Path):
        return resource
    return Path(_extracted.enter_context(resources.as_file(resource)))


def environment(cwd: Path | None = None) -> Mapping[str, str]:
    """The process environment, completed by ``.env`` in ``cwd`` (the current folder).

    A variable already set in the environment wins over the file, so a deployment's own settings
    are never overridden by a stray file.
    """
    path = (cwd or Path.cwd()) / ".env"
    if not path.is_file():
        return os.environ
    from dotenv import dotenv_values

    from_file = {k: v for k, v in dotenv_values(path).items() if v is not None}
    return from_file | dict(os.environ)


def find_line_file(env: Mapping[str, str], cwd: Path, demo_line: bool = False) -> Path:
    """The line's TOML file, by the lookup order of SPEC §3; ConfigError when there is none."""
    named = env.get("WARMLINE_CONFIG")
    if named:
        path = cwd / named
        if not path.is_file():
            raise ConfigError(f"WARMLINE_CONFIG: file not found: {path}")
        return path
    for candidate in (cwd / LINE_FILE, cwd / "config" / LINE_FILE):
        if candidate.is_file():
            return candidate
    if demo_line:
        return shipped_file(LINE_FILE)
    raise ConfigError(
        f"no line file: neither {LINE_FILE} nor config/{LINE_FILE} in {cwd}, and WARMLINE_CONFIG "
        "is not set (run `warmline init` to write one)"
    )


def find_lexicon(env: Mapping[str, str], cwd: Path, line_file: Path) -> Path:
    """The escalation lexicon: named, else beside the line's file, else the shipped default."""
    named = env.get("WARMLINE_ESCALATION_CONFIG")
    if named:
        path = cwd / named
        if not path.is_file():
            raise ConfigError(f"WARMLINE_ESCALATION_CONFIG: file not found: {path}")
        return path
    beside = line_file.parent / LEXICON_FILE
    return beside if beside.is_file() else shipped_file(LEXICON_FILE)


def check_data_key(value: str) -> str:
    """``value`` when it is a usable WARMLINE_DATA_KEY, else ConfigError saying how to make one.

    The format is at least 32 bytes written in url-safe base64 (padding optional), which is what
    ``warmline init`` generates: a key typed by hand is too easy to guess, and every contact's
    number is only as private as it.
    """
    problem = None
    if not _URLSAFE_B64.fullmatch(value):
        problem = "is not url-safe base64"
    else:
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) < DATA_KEY_BYTES:
            problem = f"is shorter than {DATA_KEY_BYTES} bytes of url-safe base64"
    if problem:
        raise ConfigError(
            f"WARMLINE_DATA_KEY {problem}; make one with `warmline init` or {MAKE_DATA_KEY}"
        )
    return value


def load_settings(
    mode: Mode = "production",
    env: Mapping[str, str] | None = None,
    instance_path: Path | None = None,
    *,
    cwd: Path | None = None,
    demo_line: bool = False,
) -> Settings:
    """Read the environment and the line's TOML into one typed Settings, or raise ConfigError.

    ``env`` defaults to the process environment with ``./.env``; relative paths, and the files
    looked up by default, are taken from ``cwd`` (the current folder). With ``demo_line``, a
    folder without a line file gets the shipped demo line instead of an error.
    """
    cwd = cwd or Path.cwd()
    env = environment(cwd) if env is None else env
    instance = instance_path or cwd / (env.get("WARMLINE_INSTANCE") or "instance")
    config_path = find_line_file(env, cwd, demo_line)
    try:
        with open(config_path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"{config_path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_path} is not valid TOML ({exc})") from None
    fields = parse_line_config(data)
    escalation_path = find_lexicon(env, cwd, config_path)

    secret_key = env.get("SECRET_KEY") or None
    data_key = env.get("WARMLINE_DATA_KEY") or None
    if mode == "production":
        if not secret_key:
            raise ConfigError("SECRET_KEY is required (set it in the environment)")
        if not data_key:
            raise ConfigError(
                "WARMLINE_DATA_KEY is required (set it in the environment; `warmline init` "
                "writes one to .env)"
            )
    if data_key:
        check_data_key(data_key)
    sid = env.get("TWILIO_ACCOUNT_SID") or None
    token = env.get("TWILIO_AUTH_TOKEN") or None
    if bool(sid) != bool(token):
        missing = "TWILIO_AUTH_TOKEN" if sid else "TWILIO_ACCOUNT_SID"
        raise ConfigError(f"{missing} is required when the other Twilio credential is set")
    public_url = (env.get("WARMLINE_PUBLIC_URL") or "").rstrip("/") or None
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError(f"WARMLINE_PUBLIC_URL must start with http:// or https://: {public_url}")
    database_url = env.get("DATABASE_URL") or default_database_url(instance)
    ratelimit_storage_uri = env.get("RATELIMIT_STORAGE_URI") or "memory://"
    if "://" not in ratelimit_storage_uri:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI must be a storage URI like memory:// or redis://host:6379, "
            f"not {ratelimit_storage_uri!r}"
        )
    proxies = env.get("WARMLINE_TRUSTED_PROXIES") or "0"
    if not proxies.isdigit():
        raise ConfigError(f"WARMLINE_TRUSTED_PROXIES must be a whole number, not {proxies!r}")
    if database_url.startswith("postgres://"):  # Heroku-style URLs
        database_url = "postgresql://" + database_url[len("postgres://") :]
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    return Settings(
        mode=mode,
        database_url=database_url,
        twilio_account_sid=sid,
        twilio_auth_token=token,
        twilio_api_base_url=(env.get("TWILIO_API_BASE_URL") or "").rstrip("/") or None,
        public_url=public_url,
        secret_key=secret_key or DEV_SECRET_KEY,
        data_key=data_key or DEV_DATA_KEY,
        config_path=config_path,
        escalation_path=escalation_path,
        instance_path=instance,
        ratelimit_storage_uri=ratelimit_storage_uri,
        trusted_proxies=int(proxies),
        **fields,
    )


def demo_settings(instance_path: Path | None = None) -> Settings:
    """The settings of ``warmline demo``: the line and lexicon found as usual (the shipped demo
    line when there is none) and the keys when set, so the demo and the commands run beside it
    agree; never a deployment's database or Twilio credentials, so the demo cannot touch them."""
    env = environment()
    kept = (
        *("WARMLINE_CONFIG", "WARMLINE_ESCALATION_CONFIG", "WARMLINE_INSTANCE"),
        *("SECRET_KEY", "WARMLINE_DATA_KEY"),
    )
    only = {k: env[k] for k in kept if k in env}
    return load_settings("demo", env=only, instance_path=instance_path, demo_line=True)


def cli_mode(env: Mapping[str, str] | None = None) -> Mode:
    """Production when a deployment's database is configured, else the embedded demo default."""
    env = environment() if env is None else env
    return "production" if env.get("DATABASE_URL") else "demo"


def metrics_dir(env: Mapping[str, str] | None = None) -> str | None:
    """``PROMETHEUS_MULTIPROC_DIR``: where gunicorn's workers keep their metrics (None: one
    process, metrics in memory)."""
    env = environment() if env is None else env
    return env.get("PROMETHEUS_MULTIPROC_DIR") or None
