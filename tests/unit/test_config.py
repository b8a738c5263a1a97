"""Configuration: a complete minimal file works; every bad setting is named in one line."""

import datetime as dt
from pathlib import Path

import pytest

from tests.support.keys import DATA_KEY
from warmline.config import ConfigError, load_settings

MINIMAL = """
[line]
name = "Riverside Warmline"
timezone = "America/New_York"
public_number = "+15550100000"
relay_numbers = ["+15550100001", "+15550100002"]
"""


def settings_from(tmp_path: Path, toml: str, mode="production", **env):
    path = tmp_path / "line.toml"
    path.write_text(toml)
    base = {"WARMLINE_CONFIG": str(path), "SECRET_KEY": "s", "WARMLINE_DATA_KEY": DATA_KEY}
    return load_settings(mode, env={k: v for k, v in (base | env).items() if v is not None})


def test_spec_minimal_file_is_complete(tmp_path):
    s = settings_from(tmp_path, MINIMAL)
    assert s.line.relay_pool == ("+15550100001", "+15550100002")
    assert s.timeouts.response_minutes == 5 and s.calls.strategy == "simultaneous"
    assert "988" in s.texts.crisis_resources
    assert s.database_url.startswith("sqlite:///") and s.uses_simulator


def test_postgres_urls_use_psycopg(tmp_path):
    s = settings_from(tmp_path, MINIMAL, DATABASE_URL="postgres://u@h/db")
    assert s.database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("toml", "env", "names"),
    [
        ("", {}, "[line]"),
        (
            MINIMAL.replace('timezone = "America/New_York"', 'timezone = "Mars/Base"'),
            {},
            "line.timezone",
        ),
        (MINIMAL.replace('name = "Riverside Warmline"', ""), {}, "line.name"),
        (MINIMAL.replace('"+15550100000"', '"555-0100"'), {}, "line.public_number"),
        (MINIMAL.replace('"+15550100002"', '"+15550100001"'), {}, "line.relay_numbers"),
        (MINIMAL + "[timeouts]\nresponse_minutes = -1\n", {}, "timeouts.response_minutes"),
        (MINIMAL + "[timeouts]\nresponse_minute = 3\n", {}, "timeouts.response_minute"),
        (MINIMAL + '[calls]\nstrategy = "random"\n', {}, "calls.strategy"),
        (MINIMAL + '[texts]\ngreting = "hi"\n', {}, "texts.greting"),
        (MINIMAL + '[alerts]\ncoordinator_numbers = ["nope"]\n', {}, "alerts.coordinator_numbers"),
        ("[line\n", {}, "not valid TOML"),
        (MINIMAL, {"SECRET_KEY": None}, "SECRET_KEY"),
        (MINIMAL, {"WARMLINE_DATA_KEY": None}, "WARMLINE_DATA_KEY"),
        (MINIMAL, {"TWILIO_ACCOUNT_SID": "AC1"}, "TWILIO_AUTH_TOKEN"),
        (MINIMAL, {"WARMLINE_PUBLIC_URL": "line.org"}, "WARMLINE_PUBLIC_URL"),
    ],
)
def test_bad_setting_is_named_in_one_line(tmp_path, toml, env, names):
    with pytest.raises(ConfigError) as excinfo:
        settings_from(tmp_path, toml, **env)
    message = str(excinfo.value)
    assert names in message and "\n" not in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="WARMLINE_CONFIG"):
        load_settings("demo", env={"WARMLINE_CONFIG": str(tmp_path / "nope.toml")})


def test_demo_mode_needs_no_secrets(tmp_path):
    s = settings_from(tmp_path, MINIMAL, mode="demo", SECRET_KEY=None, WARMLINE_DATA_KEY=None)
    assert s.secret_key and s.data_key


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "[routng]\ndefault_capacity = 3\n",
            "[routng] is not a known table (did you mean [routing]?)",
        ),
        (
            "[retention]\nmesage_days = 7\n",
            "retention.mesage_days is not a known setting (did you mean retention.message_days?)",
        ),
        (
            "[timeouts]\nmessage_days = 7\n",
            "timeouts.message_days is not a known setting (did you mean retention.message_days?)",
        ),
        (
            '[texts]\ngreting = "hi"\n',
            "texts.greting is not a known text (did you mean texts.greeting?)",
        ),
        (
            '[calls]\nstrategi = "sequential"\n',
            "calls.strategi is not a known setting (did you mean calls.strategy?)",
        ),
        ("[wibble]\nx = 1\n", "[wibble] is not a known table"),
    ],
)
def test_unknown_tables_and_keys_are_errors_with_a_suggestion(tmp_path, extra, message):
    with pytest.raises(ConfigError) as excinfo:
        settings_from(tmp_path, MINIMAL + extra)
    assert str(excinfo.value) == message


def test_a_key_before_any_table_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match=r"^name is outside any table.*did you mean line\.name"):
        settings_from(tmp_path, 'name = "Riverside"\n' + MINIMAL)


def test_a_table_written_as_a_value_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match=r"^\[hours\] must be a table"):
        settings_from(tmp_path, 'hours = "18:00-23:00"\n' + MINIMAL)


@pytest.mark.parametrize(
    ("text", "template", "message"),
    [
        (
            "greeting",
            "Hi from {lines}",
            "texts.greeting: {lines} is not a placeholder this text can use (did you mean "
            "{line}?); it can use {line}, {hours}",
        ),
        ("greeting", "You are number {place}", "texts.greeting: {place} is not a placeholder"),
        ("queued", "Number {plac} in line", "did you mean {place}?"),
        ("after_hours", "Back {next_opne}", "did you mean {next_open}?"),
        ("closing", "Bye {line.upper}", "texts.closing: {line.upper} is not a placeholder"),
        ("closing", "Bye {}", "texts.closing: {} is not a placeholder"),
        ("help", "Hi {line", "texts.help: malformed braces"),
        ("help", "Hi line}", "texts.help: malformed braces"),
    ],
)
def test_a_text_with_a_placeholder_it_cannot_use_is_an_error(tmp_path, text, template, message):
    with pytest.raises(ConfigError) as excinfo:
        settings_from(tmp_path, MINIMAL + f'[texts]\n{text} = "{template}"\n')
    assert message in str(excinfo.value) and "\n" not in str(excinfo.value)


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("queued", "{line}: you are number {place} ({hours})"),
        ("still_queued", "Still number {place} at {line}"),
        ("after_hours", "{line} opens {next_open}; {{braces}} are fine"),
        ("call_after_hours", "We open again {next_open}."),
        ("crisis_resources", "Call 988 now."),
    ],
)
def test_placeholders_a_text_is_given_are_accepted(tmp_path, text, template):
    s = settings_from(tmp_path, MINIMAL + f'[texts]\n{text} = "{template}"\n')
    assert getattr(s.texts, text) == template


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            MINIMAL.replace('"+15550100002"', '"+15550100000"'),
            "line.relay_numbers: +15550100000 is the public number",
        ),
        (
            MINIMAL.replace('"+15550100002"', '"(555) 010-0000"'),
            "line.relay_numbers: (555) 010-0000 is the public number",
        ),
        (
            MINIMAL.replace('"+15550100002"', '"555-010-0001"'),
            "line.relay_numbers: 555-010-0001 is listed twice",
        ),
        (
            MINIMAL + '[alerts]\ncoordinator_numbers = ["555-010-0002"]\n',
            "alerts.coordinator_numbers: 555-010-0002 is one of the line's own numbers",
        ),
        (
            MINIMAL + '[alerts]\ncoordinator_numbers = ["+15550100000"]\n',
            "alerts.coordinator_numbers: +15550100000 is one of the line's own numbers",
        ),
        (
            MINIMAL.replace('"+15550100000"', '"555-010-0000"'),
            "line.public_number: write '555-010-0000' in international form",
        ),
    ],
)
def test_line_numbers_are_distinct(tmp_path, toml, message):
    with pytest.raises(ConfigError) as excinfo:
        settings_from(tmp_path, toml)
    assert str(excinfo.value).startswith(message)


def test_national_numbers_are_read_in_the_lines_own_country(tmp_path):
    toml = MINIMAL.replace('["+15550100001", "+15550100002"]', '["555-010-0001", "(555) 010 0002"]')
    s = settings_from(
        tmp_path, toml + '[alerts]\ncoordinator_numbers = ["5551230009", "+44 20 7946 0958"]\n'
    )
    assert s.line.relay_numbers == ("+15550100001", "+15550100002")
    assert s.coordinator_numbers == ("+15551230009", "+442079460958")


def test_national_numbers_follow_the_public_numbers_country(tmp_path):
    toml = (
        MINIMAL.replace('"+15550100000"', '"+442079460000"')
        .replace('"America/New_York"', '"Europe/London"')
        .replace('["+15550100001", "+15550100002"]', '["020 7946 0001"]')
    )
    assert settings_from(tmp_path, toml).line.relay_numbers == ("+442079460001",)


HOURS = """
[hours]
mon = "18:00-23:00"
fri = ["12:00-14:00", "18:00-02:00"]
sun = "closed"
[holidays]
2026-12-25 = "closed"
2026-12-24 = "10:00-14:00"
"""


def test_hours_and_holidays_are_read(tmp_path):
    s = settings_from(tmp_path, MINIMAL + HOURS)
    weekly = s.opening_hours.weekly
    assert [str(p) for p in weekly[0]] == ["18:00-23:00"]
    assert [str(p) for p in weekly[4]] == ["12:00-14:00", "18:00-02:00"]
    assert weekly[1] == () and weekly[6] == ()  # left out, or "closed"
    assert s.opening_hours.periods_on(dt.date(2026, 12, 25)) == ()
    assert [str(p) for p in s.opening_hours.periods_on(dt.date(2026, 12, 24))] == ["10:00-14:00"]
    assert s.line.hours == "open Mon 18:00-23:00, Fri 12:00-14:00 and 18:00-02:00"


def test_without_hours_the_line_is_always_open(tmp_path):
    s = settings_from(tmp_path, MINIMAL)
    assert s.opening_hours.always_open and s.line.hours == "see our website for opening hours"


def test_line_hours_in_words_win_over_the_derived_ones(tmp_path):
    toml = MINIMAL + 'hours = "evenings"\n' + HOURS
    assert settings_from(tmp_path, toml).line.hours == "evenings"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[hours]\nfr = "18:00-23:00"\n', "hours.fr is not a weekday (did you mean hours.fri?)"),
        ('[hours]\nmon = "18:00-18:00"\n', "hours.mon: '18:00-18:00' starts and ends at the same"),
        ('[hours]\nmon = "6pm-11pm"\n', "hours.mon: '6pm-11pm' is not a period"),
        ('[hours]\nmon = "18:00-25:00"\n', "hours.mon: '18:00-25:00' is not a time of day"),
        ('[hours]\nmon = "18:60-23:00"\n', "hours.mon: '18:60-23:00' is not a time of day"),
        ("[hours]\nmon = 18\n", 'hours.mon must be "closed", "HH:MM-HH:MM"'),
        ("[hours]\nmon = []\n", 'hours.mon must be "closed"'),
        (
            '[hours]\nmon = ["18:00-23:00", "22:00-01:00"]\n',
            "hours.mon: 18:00-23:00 and 22:00-01:00 overlap",
        ),
        ('[hours]\nmon = ["closed", "18:00-23:00"]\n', 'hours.mon: "closed" cannot be combined'),
        ('[hours]\nsun = "closed"\n', "[hours] leaves every weekday closed"),
        ("[hours]\n", "[hours] leaves every weekday closed"),
        ('[holidays]\n2026-12-32 = "closed"\n', "holidays.2026-12-32 is not a date"),
        ('[holidays]\nchristmas = "closed"\n', "holidays.christmas is not a date"),
        ('[holidays]\n2026-12-24 = "10-14"\n', "holidays.2026-12-24: '10-14' is not a period"),
    ],
)
def test_bad_hours_are_named_in_one_line(tmp_path, extra, message):
    with pytest.raises(ConfigError) as excinfo:
        settings_from(tmp_path, MINIMAL + extra)
    assert str(excinfo.value).startswith(message) and "\n" not in str(excinfo.value)


@pytest.mark.parametrize("name", ["warmline.toml", "warmline.example.toml"])
def test_the_example_line_file_is_valid_with_and_without_its_hours_example(name):
    import re
    import tomllib

    from warmline.config import parse_line_config, shipped_file

    text = shipped_file(name).read_text()
    if name == "warmline.example.toml":  # what `warmline init` writes, once [line] is filled in
        text = text.replace('name = ""', 'name = "Test Line"', 1)
        text = text.replace('timezone = ""', 'timezone = "America/New_York"', 1)
        text = text.replace('public_number = ""', 'public_number = "+15550100000"', 1)
    assert parse_line_config(tomllib.loads(text))["opening_hours"].always_open
    uncommented = re.sub(r"^# (?=\[hours\]|\[holidays\]|\w+ = |\d{4}-)", "", text, flags=re.M)
    hours = parse_line_config(tomllib.loads(uncommented))["opening_hours"]
    assert not hours.always_open and hours.weekly[6] == ()


def test_spanish_texts_default_to_natural_spanish_with_988_and_911(tmp_path):
    s = settings_from(tmp_path, MINIMAL)
    resources = s.texts_es.crisis_resources
    assert "llama o envía un mensaje de texto al 988" in resources and "911" in resources
    assert s.texts_es.greeting.startswith("Hola") and "{next_open}" in s.texts_es.after_hours
    assert s.texts_es.call_greeting == s.texts.call_greeting  # calls speak calls.language


def test_texts_es_overrides_the_spanish_texts_only(tmp_path):
    toml = (
        MINIMAL + '[texts]\ngreeting = "Hi from {line}"\n[texts.es]\ngreeting = "¡Hola, {line}!"\n'
    )
    s = settings_from(tmp_path, toml)
    assert (s.texts.greeting, s.texts_es.greeting) == ("Hi from {line}", "¡Hola, {line}!")
    assert s.texts_es.help.startswith("{line}: apoyo")


@pytest.mark.parametrize(
    ("spanish", "message"),
    [
        (
            'greting = "hola"',
            "texts.es.greting is not a known text (did you mean texts.es.greeting?)",
        ),
        (
            'call_greeting = "hola"',
            "texts.es.call_greeting is not a Spanish text: calls are spoken",
        ),
        (
            'queued = "Eres el {plce}"',
            "texts.es.queued: {plce} is not a placeholder this text can use "
            "(did you mean {place}?)",
        ),
        ('greeting = "Hola {place}"', "texts.es.greeting: {place} is not a placeholder"),
        ('help = "Hola {line"', "texts.es.help: malformed braces"),
        ('closing = ""', "texts.es.closing must be a non-empty string"),
    ],
)
def test_texts_es_errors_name_the_spanish_text(tmp_path, spanish, message):
    with pytest.raises(ConfigError) as err:
        settings_from(tmp_path, MINIMAL + f"[texts.es]\n{spanish}\n")
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_texts_es_must_be_a_table(tmp_path):
    with pytest.raises(ConfigError, match=r"^\[texts\.es\] must be a table"):
        settings_from(tmp_path, MINIMAL + '[texts]\nes = "hola"\n')
