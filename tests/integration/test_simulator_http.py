"""The phone simulator's HTTP interface, on a line without Twilio credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from tests.conftest import Clock, People, settings_for
from warmline.app import create_app
from warmline.bootstrap import Warmline, bootstrap
from warmline.db.models import Message, Outbound
from warmline.worker import jobs

CONTACT = "+15555550123"
PUBLIC = "+15550100000"


@pytest.fixture
def sim_wl(database_url: str, clock: Clock) -> Iterator[Warmline]:
    warmline = bootstrap(settings_for(database_url, None), clock=clock)
    assert warmline.settings.uses_simulator
    yield warmline
    warmline.db.dispose()


@pytest.fixture
def sim(sim_wl: Warmline):
    return create_app(sim_wl).test_client()


@pytest.fixture
def people(sim_wl: Warmline) -> People:
    """Volunteers on the simulator's line (the shared fixture's line has Twilio)."""
    return People(sim_wl)


def thread(sim, phone: str) -> dict:
    response = sim.get("/simulator/thread", query_string={"phone": phone})
    assert response.status_code == 200
    return response.get_json()


def stored(wl: Warmline) -> tuple[int, int]:
    with wl.db.unit_of_work() as session:
        return (
            session.scalar(select(func.count()).select_from(Message)) or 0,
            session.scalar(select(func.count()).select_from(Outbound)) or 0,
        )


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"from": CONTACT, "to": "+15550199999", "body": "hi"}, "to: +15550199999 is not one of"),
        ({"from": CONTACT, "body": "hi"}, "to is required"),
        ({"from": "not a phone", "to": PUBLIC, "body": "hi"}, "from: 'not a phone' is not a"),
        ({"from": PUBLIC, "to": PUBLIC, "body": "hi"}, "from: +15550100000 is one of the line's"),
        ({"from": CONTACT, "to": PUBLIC, "body": 42}, "body must be a string"),
    ],
)
def test_a_text_the_line_could_never_receive_is_a_400_naming_the_field(sim, sim_wl, payload, error):
    response = sim.post("/simulator/send", json=payload)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(error)
    assert stored(sim_wl) == (0, 0)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"from": "+15555550123", "to": ', "application/json"),
        ('["+15555550123", "+15550100000", "hi"]', "application/json"),
        ("null", "application/json"),
        ("\xff\xfe not utf-8", "application/json; charset=utf-8"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400_not_a_500(sim, sim_wl, data, content_type):
    response = sim.post("/simulator/send", data=data, content_type=content_type)
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["error"]
    assert stored(sim_wl) == (0, 0)


def test_a_form_with_a_national_number_is_a_text_from_that_phone(sim, sim_wl, people: People):
    form = {"from": "(555) 555-0123", "to": "555-010-0000", "body": "hi"}
    assert sim.post("/simulator/send", data=form).status_code == 201
    sent = thread(sim, "555-555-0123")
    assert sent["phone"] == CONTACT
    assert [(m["from"], m["to"], m["body"]) for m in sent["messages"]][0] == (CONTACT, PUBLIC, "hi")
    # An empty form is a 400 too, never a 500.
    response = sim.post("/simulator/send", data={})
    assert (response.status_code, response.get_json()["error"]) == (400, "from is required")


def test_a_volunteer_answers_on_the_relay_number_by_default_and_the_contact_gets_it(
    sim, sim_wl, clock: Clock, people: People
):
    volunteer = people.volunteer("Alex Kim")
    texted = {"from": CONTACT, "to": PUBLIC, "body": "hi, rough night"}
    assert sim.post("/simulator/send", json=texted).status_code == 201
    jobs.deliver_outbox(sim_wl, sim_wl.clock())

    screen = thread(sim, volunteer.phone)
    relayed = [m for m in screen["messages"] if m["body"].endswith("] hi, rough night")]
    assert len(relayed) == 1
    relay = relayed[0]["from"]
    assert relay in ("+15550100001", "+15550100002")
    assert screen["reply_to"] == relay
    # Monday 23:00 UTC is 18:00 in New York, the line's timezone.
    assert (relayed[0]["time"], relayed[0]["at"]) == ("18:00", "2026-11-23T23:00:00+00:00")
    assert relayed[0]["when"] == "Mon 23 Nov 2026, 18:00:00 EST"
    assert thread(sim, CONTACT)["reply_to"] == PUBLIC

    clock.advance(minutes=2)
    answer = {"from": volunteer.phone, "to": screen["reply_to"], "body": "I'm here."}
    assert sim.post("/simulator/send", json=answer).status_code == 201
    jobs.deliver_outbox(sim_wl, sim_wl.clock())
    received = [m for m in thread(sim, CONTACT)["messages"] if m["body"] == "I'm here."]
    assert [(m["from"], m["time"], m["status"]) for m in received] == [(PUBLIC, "18:02", "sent")]


def test_the_page_and_phones_say_who_is_a_supervisor_and_who_is_on_shift(sim, people: People):
    people.volunteer("Sam Lee", role="supervisor")
    people.volunteer("Alex Kim")
    people.volunteer("Robin Off", on_shift=False)

    phones = {p["name"]: p for p in sim.get("/simulator/phones").get_json()["phones"]}
    assert {n: (p["supervisor"], p["on_shift"], p["status"]) for n, p in phones.items()} == {
        "Sam Lee": (True, True, "On shift until Tue 00:00"),
        "Alex Kim": (False, True, "On shift until Tue 00:00"),
        "Robin Off": (False, False, "Off shift"),
    }
    page = sim.get("/simulator/").get_data(as_text=True)
    assert page.count(">Supervisor<") == 1
    assert page.count(">Volunteer<") == 2
    assert page.count("On shift until Tue 00:00") == 2
    assert "Off shift" in page
