"""Calendar feeds on the web at secret URLs (SPEC §9), parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from warmline.db.models import Volunteer
from warmline.scheduling.editing import add_weekly_slot
from warmline.scheduling.feeds import feed_urls, rota_token

NY = ZoneInfo("America/New_York")


def rota_with_two(wl, people):
    sam = people.volunteer("Sam", on_shift=False)
    kim = people.volunteer("Kim", on_shift=False, role="supervisor")
    with wl.db.unit_of_work() as session:
        add_weekly_slot(
            session,
            day_name="tue",
            start="18:00",
            end="22:00",
            volunteers=[sam.phone],
            supervisors=[kim.phone],
            now=wl.clock(),
        )
        add_weekly_slot(
            session,
            day_name="sat",
            start="22:00",
            end="02:00",
            volunteers=[sam.phone],
            supervisors=[],
            now=wl.clock(),
        )
    return sam, kim


def events(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return list(Calendar.from_ical(response.data).walk("VEVENT"))


def test_volunteer_feed_lists_their_shifts_in_the_line_timezone(wl, client, people):
    sam, _ = rota_with_two(wl, people)
    with wl.db.unit_of_work() as session:
        token = session.get(Volunteer, sam.id).calendar_token
    found = events(client.get(f"/calendar/{token}.ics"))
    assert len(found) == 18  # two a week, for the week past and eight ahead
    first = min(found, key=lambda e: e.DTSTART)
    assert first.DTSTART == dt.datetime(2026, 11, 17, 18, tzinfo=NY)
    assert first["DTSTART"].params["TZID"] == "America/New_York"
    assert str(first["SUMMARY"]) == "Riverside Warmline shift"
    overnight = [e for e in found if e.DTSTART.hour == 22]
    assert overnight[0].DTEND - overnight[0].DTSTART == dt.timedelta(hours=4)


def test_rota_feed_has_everyone_behind_a_secret_derived_from_the_key(wl, client, people):
    rota_with_two(wl, people)
    found = events(client.get(f"/calendar/{rota_token(wl.settings.secret_key)}.ics"))
    summaries = {str(e["SUMMARY"]) for e in found}
    assert summaries == {"Riverside Warmline: Sam", "Riverside Warmline: Kim (supervisor)"}
    assert rota_token("another key") != rota_token(wl.settings.secret_key)


def test_wrong_token_or_inactive_volunteer_is_404(wl, client, people):
    sam, _ = rota_with_two(wl, people)
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/calendar/{rota_token('guess')}.ics").status_code == 404
    with wl.db.unit_of_work() as session:
        v = session.get(Volunteer, sam.id)
        v.active, token = False, v.calendar_token
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_feed_urls_name_every_active_volunteer(wl, people):
    rota_with_two(wl, people)
    with wl.db.unit_of_work() as session:
        urls = feed_urls(session, wl.settings)
    assert [who for who, _ in urls] == ["whole rota", "Kim", "Sam"]
    assert all(u.startswith("https://warmline.example.org/calendar/") for _, u in urls)
