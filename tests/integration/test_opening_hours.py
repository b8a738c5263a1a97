"""Opening hours (SPEC §3): closed hours are after hours, and coverage gaps count only open hours.

The test line here has ``[hours]`` (weekday evenings) and a holiday; its volunteers may be on
shift around the clock, as a line's rota often covers more than its opening hours.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import TwilioActions
from tests.integration.test_voice import Call, verbs
from warmline.app import create_app
from warmline.bootstrap import bootstrap
from warmline.db.models import Conversation
from warmline.opening_hours import describe, parse_opening_hours
from warmline.worker import jobs

CONTACT = "+15557770001"
COORDINATOR = "+15550109999"
NY = dt.timezone(dt.timedelta(hours=-5))  # EST: every instant below is in November/December
WEEKDAY_EVENINGS = {d: "18:00-23:00" for d in ("mon", "tue", "wed", "thu", "fri")}
HOURS = parse_opening_hours(WEEKDAY_EVENINGS, {"2026-11-26": "closed"})  # Thanksgiving


def est(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NY).astimezone(dt.UTC)


@pytest.fixture
def line(wl, clock):
    """The test line with weekday-evening opening hours and a coordinator alert number."""
    settings = wl.settings.with_(
        opening_hours=HOURS,
        line=dataclasses.replace(wl.settings.line, hours=describe(HOURS)),
        coordinator_numbers=(COORDINATOR,),
    )
    warmline = bootstrap(settings, sender=wl.sender, clock=clock)
    yield warmline
    warmline.db.dispose()


@pytest.fixture
def texting(line, twilio_standin):
    return TwilioActions(create_app(line).test_client(), line, twilio_standin)


def conversation_status(line) -> str:
    with line.db.unit_of_work() as session:
        return session.scalar(select(Conversation.status))


@pytest.mark.parametrize(
    ("now", "next_open"),
    [
        (est(23, 12), "today at 6:00 PM"),  # Monday noon
        (est(23, 23, 30), "tomorrow at 6:00 PM"),  # Monday night
        (est(25, 23, 30), "on Friday at 6:00 PM"),  # Wednesday night: Thanksgiving is closed
        (est(27, 23, 30), "on Monday at 6:00 PM"),  # Friday night: the weekend is closed
    ],
)
def test_a_text_while_closed_gets_the_after_hours_text_even_with_someone_on_shift(
    line, texting, people, clock, now, next_open
):
    sam = people.volunteer("Sam")  # on shift around the clock
    clock.now = now
    texting.sms(CONTACT, "is anyone there?")
    delivered = texting.deliver()
    [text] = texting.texts_to(CONTACT, delivered)
    assert "closed right now" in text and f"We open again {next_open}." in text
    assert texting.texts_to(sam.phone, delivered) == []  # nobody is handed a contact while closed
    assert conversation_status(line) == "queued"


@pytest.mark.parametrize(
    ("now", "next_open"),
    [
        (est(23, 12), "hoy a las 18:00"),  # Monday noon
        (est(23, 23, 30), "mañana a las 18:00"),  # Monday night
        (est(25, 23, 30), "el viernes a las 18:00"),  # Wednesday night: Thanksgiving is closed
    ],
)
def test_a_spanish_text_while_closed_gets_the_spanish_after_hours_text(
    line, texting, people, clock, now, next_open
):
    people.volunteer("Sam")
    clock.now = now
    texting.sms(CONTACT, "hola, ¿hay alguien ahí? necesito hablar")
    [text] = texting.texts_to(CONTACT, texting.deliver())
    name = line.settings.line.name
    assert text == line.settings.texts_es.after_hours.format(line=name, next_open=next_open)
    assert "está cerrado" in text and f"Volvemos a abrir {next_open}." in text


def test_the_queue_is_served_when_the_line_opens(line, texting, people, clock):
    sam = people.volunteer("Sam")  # on shift since before the opening
    clock.now = est(23, 12)
    texting.sms(CONTACT, "is anyone there?")
    texting.deliver()
    clock.now = est(23, 17, 55)
    jobs.plan_shift_timers(line, clock.now)
    jobs.fire_timers(line, clock.now)
    assert conversation_status(line) == "queued"  # not before the opening
    clock.now = est(23, 18, 0)
    jobs.fire_timers(line, clock.now)  # the opening's drain timer
    assert conversation_status(line) == "assigned"
    to_sam = texting.texts_to(sam.phone, texting.deliver())
    assert any(b.endswith("] is anyone there?") for b in to_sam)


def test_queue_updates_stay_quiet_while_closed(line, texting, people, clock):
    people.volunteer("Sam", capacity=1)
    clock.now = est(23, 12)
    texting.sms(CONTACT, "hello?")
    texting.deliver()
    clock.now = est(23, 13)
    jobs.fire_timers(line, clock.now)  # queue-update timers: no "still in line" at lunchtime
    assert texting.texts_to(CONTACT, texting.deliver()) == []


def test_the_next_opening_is_one_with_someone_on_shift(line, texting, people, clock):
    sam = people.volunteer("Sam", on_shift=False)
    people.shift(sam, "tue", "19:00", "22:00")  # Monday's evening has nobody on shift
    clock.now = est(23, 12)
    texting.sms(CONTACT, "hello?")
    [text] = texting.texts_to(CONTACT, texting.deliver())
    assert "We open again tomorrow at 7:00 PM." in text


def test_open_hours_with_someone_on_shift_are_answered_as_before(line, texting, people, clock):
    sam = people.volunteer("Sam")
    clock.now = est(23, 19)
    texting.sms(CONTACT, "hello?")
    delivered = texting.deliver()
    assert any(
        "A peer volunteer will text you back" in b for b in texting.texts_to(CONTACT, delivered)
    )
    assert any(b.endswith("] hello?") for b in texting.texts_to(sam.phone, delivered))


def test_the_help_text_gives_the_hours_in_words(line, texting, clock):
    clock.now = est(23, 19)
    texting.sms(CONTACT, "HELP")
    texts = texting.texts_to(CONTACT, texting.deliver())
    assert any("open Mon-Fri 18:00-23:00" in b for b in texts)


def test_a_call_while_closed_hears_when_the_line_opens_and_rings_nobody(
    line, texting, people, clock
):
    sam = people.volunteer("Sam")  # on shift around the clock
    clock.now = est(23, 12)
    prompt = Call(texting).to_volunteers()
    assert verbs(prompt) == ["Gather", "Record", "Say", "Hangup"]  # the voicemail, no <Dial>
    said = prompt.find("Gather").find("Say").text
    assert "closed right now. We open again today at 6:00 PM." in said
    assert texting.texts_to(sam.phone, texting.deliver()) == []


def evenings_for(line, volunteer, start: str, end: str) -> None:
    from warmline.scheduling.editing import add_weekly_slot

    with line.db.unit_of_work() as session:
        for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            add_weekly_slot(
                session,
                day_name=day,
                start=start,
                end=end,
                volunteers=[],
                supervisors=[volunteer.phone],
                now=line.clock(),
            )


def test_the_daily_gap_alert_counts_only_open_hours(line, texting, people, clock):
    sam = people.volunteer("Sam", on_shift=False, role="supervisor")
    evenings_for(line, sam, "18:00", "22:00")  # every evening to 22:00: 23:00 is short
    clock.now = est(24, 9)  # Tuesday 09:00
    assert jobs.coverage_gap_alert(line, clock.now) is True
    [alert] = texting.texts_to(COORDINATOR, texting.deliver())
    gaps = alert.splitlines()[1:]
    assert gaps == [
        "Tue Nov 24 10:00 PM to Tue Nov 24 11:00 PM: nobody on shift",
        "Wed Nov 25 10:00 PM to Wed Nov 25 11:00 PM: nobody on shift",
        # Thursday is Thanksgiving: closed, so no gap
        "Fri Nov 27 10:00 PM to Fri Nov 27 11:00 PM: nobody on shift",
        "Mon Nov 30 10:00 PM to Mon Nov 30 11:00 PM: nobody on shift",
    ]


def test_a_line_covered_in_its_open_hours_has_no_gap_alert(line, texting, people, clock):
    sam = people.volunteer("Sam", on_shift=False, role="supervisor")
    evenings_for(line, sam, "17:30", "23:30")
    for days in range(3):
        assert jobs.coverage_gap_alert(line, est(24 + days, 9)) is False
    assert texting.texts_to(COORDINATOR, texting.deliver()) == []


EVENING_LINE = """
[line]
name = "Riverside Warmline"
timezone = "America/New_York"
public_number = "+15550100000"
relay_numbers = ["+15550100001", "+15550100002"]

[hours]
mon = "18:00-23:00"
tue = "18:00-23:00"
wed = "18:00-23:00"
thu = "18:00-23:00"
fri = "18:00-23:00"
sat = "18:00-23:00"
sun = "18:00-23:00"
"""


def test_rota_gaps_counts_only_open_hours(cli, tmp_path: Path, monkeypatch):
    path = tmp_path / "warmline.toml"
    path.write_text(EVENING_LINE)
    monkeypatch.setenv("WARMLINE_CONFIG", str(path))
    cli("volunteer", "add", "Sam Lee", "+15551230001", "--role", "supervisor")
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        cli("shift", "add", "--day", day, "--start", "18:00", "--end", "22:00",
            "--supervisor", "+15551230001")  # fmt: skip
    out = cli("rota", "gaps", "--days", "7", "--at", "2030-01-07 00:00")
    assert "only opening hours count: open every day 18:00-23:00" in out
    rows = [" ".join(r.split()) for r in out.splitlines() if r.startswith("nobody")]
    assert len(rows) == 7 and all(r.endswith("1h00") for r in rows)  # not 162 hours of gaps
    assert rows[0] == "nobody on shift Mon 2030-01-07 22:00 Mon 2030-01-07 23:00 1h00"
