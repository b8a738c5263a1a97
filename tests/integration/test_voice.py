"""Calls end to end (SPEC §10): signed webhooks in, TwiML out, walked the way Twilio would.

Each test plays a scripted caller (and volunteers' phones): it posts what Twilio posts, parses the
TwiML with xml.etree, and follows the URLs that TwiML names. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import PUBLIC_URL
from warmline.db.models import Conversation, Escalation, WebhookEvent
from warmline.people import set_blocked
from warmline.routing import calls, queue
from warmline.scheduling.editing import add_weekly_slot
from warmline.telephony.fake import FakeTelephony, PlacedCall
from warmline.telephony.port import SendFailure
from warmline.worker import jobs

CONTACT = "+12025550101"
OTHER = "+12025550102"
GREETING_END = "press 9 to reach the crisis line, or hold for a peer volunteer."
_sids = itertools.count(1)


def new_sid() -> str:
    return f"CA{next(_sids):032x}"


def parse(response: Any) -> ET.Element:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "Response"
    return root


def verbs(root: ET.Element) -> list[str]:
    return [child.tag for child in root]


def path(url: str | None) -> str:
    assert url is not None and url.startswith(PUBLIC_URL), url
    return url[len(PUBLIC_URL) :]


def configure(wl: Any, **changes: Any) -> None:
    """Change [calls] or [line] settings of the running app (strategy, crisis_line, ...)."""
    s = wl.settings
    calls = {k: v for k, v in changes.items() if k in s.calls.__dataclass_fields__}
    line = {k: v for k, v in changes.items() if k in s.line.__dataclass_fields__}
    wl.settings = s.with_(
        calls=dataclasses.replace(s.calls, **calls), line=dataclasses.replace(s.line, **line)
    )
    wl.context = dataclasses.replace(wl.context, settings=wl.settings)


@dataclass
class Call:
    """One inbound call, driven through the webhooks as Twilio would drive it."""

    twilio: Any
    from_: str = CONTACT
    sid: str = dataclasses.field(default_factory=new_sid)

    def form(self, **extra: str) -> dict[str, str]:
        return {
            "CallSid": self.sid,
            "AccountSid": self.twilio.standin.account_sid,
            "From": self.from_,
            "To": self.twilio.wl.settings.line.public_number,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        } | extra

    def dial_in(self) -> ET.Element:
        return parse(self.twilio.post("/twilio/voice", self.form(CallStatus="ringing")))

    def follow(self, url: str | None, **fields: str) -> ET.Element:
        return parse(self.twilio.post(path(url), self.form(**fields)))

    def to_volunteers(self, key: str | None = None) -> ET.Element:
        """Dial in and press ``key`` at the greeting (None: wait, as Twilio's <Redirect>)."""
        greeting = self.dial_in()
        if key is None:
            return self.follow(greeting.find("Redirect").text)  # type: ignore[union-attr]
        return self.follow(greeting.find("Gather").get("action"), Digits=key)  # type: ignore[union-attr]

    def status(self, status: str, duration: str = "0") -> Any:
        response = self.twilio.post(
            "/twilio/voice/status", self.form(CallStatus=status, CallDuration=duration)
        )
        assert response.status_code == 204, response.get_data(as_text=True)
        return response


def leg(twilio: Any, number: ET.Element, digits: str | None) -> ET.Element:
    """A rung volunteer's phone: hears the whisper and presses ``digits`` (None: no key)."""
    form = {
        "CallSid": new_sid(),
        "AccountSid": twilio.standin.account_sid,
        "From": twilio.wl.settings.line.public_number,
        "To": number.text,
        "CallStatus": "in-progress",
        "Direction": "outbound-dial",
    }
    whisper = parse(twilio.post(path(number.get("url")), form))
    assert verbs(whisper) == ["Gather", "Hangup"]  # no key: Twilio falls through to <Hangup/>
    gather = whisper.find("Gather")
    assert gather.get("numDigits") == "1"
    assert "Warmline call. Press 1 to accept" in gather.find("Say").text
    if digits is None:
        return whisper
    return parse(twilio.post(path(gather.get("action")), form | {"Digits": digits}))


def conversation(wl: Any) -> Conversation:
    with wl.db.unit_of_work() as session:
        conv = session.scalars(
            select(Conversation).where(Conversation.channel == "voice").order_by(Conversation.id)
        ).first()
        assert conv is not None
        session.expunge(conv)
        return conv


def test_greeting_offers_the_crisis_line_in_the_configured_voice(twilio, people):
    root = Call(twilio).dial_in()
    assert verbs(root) == ["Gather", "Redirect"]
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1"
    assert gather.get("action") == PUBLIC_URL + "/twilio/voice/menu"
    say = gather.find("Say")
    assert say.text.endswith(GREETING_END)
    assert "Riverside Warmline" in say.text
    assert (say.get("voice"), say.get("language")) == ("Polly.Joanna", "en-US")
    assert root.find("Redirect").text == PUBLIC_URL + "/twilio/voice/menu"
    conv = conversation(twilio.wl)
    assert (conv.channel, conv.status, conv.outcome) == ("voice", "ringing", None)


def test_greeting_repeated_for_the_same_call_sid_makes_one_conversation(twilio):
    call = Call(twilio)
    call.dial_in()
    call.dial_in()
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Conversation.id))) == 1


@pytest.mark.parametrize("crisis_line", ["988", "+15550109999"])
def test_nine_transfers_to_the_crisis_line_and_records_an_escalation(twilio, people, crisis_line):
    configure(twilio.wl, crisis_line=crisis_line)
    people.volunteer("Sam")
    call = Call(twilio)
    greeting = call.dial_in()
    root = call.follow(greeting.find("Gather").get("action"), Digits="9")
    assert verbs(root) == ["Say", "Dial"]
    assert root.find("Dial").text == crisis_line
    # Twilio repeating the request changes nothing.
    call.follow(greeting.find("Gather").get("action"), Digits="9")
    call.status("completed", duration="95")
    with twilio.wl.db.unit_of_work() as session:
        escalations = session.scalars(select(Escalation)).all()
        assert [(e.source, e.level) for e in escalations] == [("voice", "crisis")]
        assert crisis_line in escalations[0].actions
    conv = conversation(twilio.wl)
    assert (conv.status, conv.outcome, conv.duration_seconds) == ("closed", "crisis-transfer", 95)
    assert conv.escalated and escalations[0].conversation_id == conv.id


@pytest.mark.parametrize("key", [None, "1", "5", "#"])
def test_any_other_key_or_none_rings_the_volunteers_on_shift(twilio, people, key):
    sam, kim = people.volunteer("Sam"), people.volunteer("Kim")
    people.volunteer("Off", on_shift=False)
    root = Call(twilio).to_volunteers(key)
    assert verbs(root) == ["Dial"]
    dial = root.find("Dial")
    assert dial.get("callerId") == twilio.wl.settings.line.public_number
    assert dial.get("timeout") == "20"
    assert dial.get("action") == PUBLIC_URL + "/twilio/voice/dialed"
    numbers = dial.findall("Number")
    assert sorted(n.text for n in numbers) == sorted([sam.phone, kim.phone])
    assert all(path(n.get("url")).startswith("/twilio/voice/whisper?c=") for n in numbers)


def test_simultaneous_rings_at_most_ten_and_not_paused_or_busy_volunteers(twilio, people):
    crew = [people.volunteer(f"V{i}") for i in range(12)]
    twilio.sms(crew[0].phone, "#off")
    root = Call(twilio).to_volunteers()
    numbers = [n.text for n in root.find("Dial").findall("Number")]
    assert len(numbers) == 10
    assert crew[0].phone not in numbers


def test_whisper_accepted_connects_and_keeps_new_texts_away(twilio, people):
    sam = people.volunteer("Sam", capacity=1)
    kim = people.volunteer("Kim", capacity=1)
    call = Call(twilio)
    dial = call.to_volunteers().find("Dial")
    sam_number = next(n for n in dial.findall("Number") if n.text == sam.phone)
    assert list(leg(twilio, sam_number, "1")) == []  # empty TwiML: connected
    conv = conversation(twilio.wl)
    assert (conv.status, conv.volunteer_id, conv.outcome) == ("assigned", sam.id, "answered")
    # Kim pressing 1 a moment later does not take the call.
    kim_number = next(n for n in dial.findall("Number") if n.text == kim.phone)
    assert verbs(leg(twilio, kim_number, "1")) == ["Hangup"]
    # On the call, Sam gets no new text conversation; Kim does.
    twilio.sms(OTHER, "hello")
    delivered = twilio.deliver()
    assert twilio.texts_to(sam.phone, delivered) == []
    assert any(b.endswith("] hello") for b in twilio.texts_to(kim.phone, delivered))
    # The call ends: the Dial action reports how long they talked.
    root = call.follow(dial.get("action"), DialCallStatus="completed", DialCallDuration="312")
    assert verbs(root) == ["Hangup"]
    call.status("completed", duration="340")
    conv = conversation(twilio.wl)
    assert (conv.status, conv.outcome, conv.volunteer_id) == ("closed", "answered", sam.id)
    assert conv.duration_seconds == 312


@pytest.mark.parametrize("digits", ["2", "*", None])
def test_whisper_declined_or_unanswered_hangs_up_that_leg_only(twilio, people, digits):
    sam = people.volunteer("Sam")
    call = Call(twilio)
    number = call.to_volunteers().find("Dial").find("Number")
    root = leg(twilio, number, digits)
    assert root.find("Hangup") is not None
    conv = conversation(twilio.wl)
    assert (conv.status, conv.volunteer_id) == ("ringing", None)
    assert sam.id is not None


def sequential_ring(twilio: Any, people: Any, n: int = 2) -> tuple[Call, list[Any], ET.Element]:
    configure(twilio.wl, strategy="sequential")
    crew = [people.volunteer(f"V{i}") for i in range(n)]
    call = Call(twilio)
    return call, crew, call.to_volunteers()


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "completed"])
def test_sequential_moves_on_when_nobody_accepted(twilio, people, status):
    call, crew, root = sequential_ring(twilio, people)
    dial = root.find("Dial")
    first = dial.findall("Number")
    assert [n.text for n in first] == [crew[0].phone]
    assert dial.get("callerId") == twilio.wl.settings.line.public_number
    assert path(dial.get("action")) == f"/twilio/voice/dialed?v={crew[0].id}"
    if status == "completed":  # answered by voicemail, or declined at the whisper
        leg(twilio, first[0], "3")
    root = call.follow(dial.get("action"), DialCallStatus=status)
    second = root.find("Dial")
    assert [n.text for n in second.findall("Number")] == [crew[1].phone]
    assert path(second.get("action")) == f"/twilio/voice/dialed?v={crew[1].id}"
    # The same action repeated by Twilio rings the same next volunteer, not the one after.
    again = call.follow(dial.get("action"), DialCallStatus=status)
    assert [n.text for n in again.find("Dial").findall("Number")] == [crew[1].phone]
    # Nobody left: the caller may leave a voicemail.
    root = call.follow(second.get("action"), DialCallStatus="no-answer")
    assert verbs(root) == ["Gather", "Record", "Say", "Hangup"]
    assert "with someone right now" in root.find("Gather").find("Say").text


def test_sequential_ends_when_the_volunteer_accepted(twilio, people):
    call, crew, root = sequential_ring(twilio, people)
    dial = root.find("Dial")
    leg(twilio, dial.find("Number"), "1")
    root = call.follow(dial.get("action"), DialCallStatus="completed", DialCallDuration="61")
    assert verbs(root) == ["Hangup"]
    conv = conversation(twilio.wl)
    assert (conv.outcome, conv.volunteer_id, conv.duration_seconds) == ("answered", crew[0].id, 61)


def test_sequential_canceled_means_the_caller_hung_up(twilio, people):
    call, crew, root = sequential_ring(twilio, people)
    root = call.follow(root.find("Dial").get("action"), DialCallStatus="canceled")
    assert verbs(root) == ["Hangup"]
    call.status("completed", duration="30")
    conv = conversation(twilio.wl)
    assert (conv.status, conv.outcome, conv.duration_seconds) == ("closed", "missed", 30)


def test_hanging_up_during_the_greeting_is_abandoned_and_status_is_idempotent(twilio, people):
    call = Call(twilio)
    call.dial_in()
    for status in ("ringing", "in-progress", "completed", "completed"):
        call.status(status, duration="4")
    conv = conversation(twilio.wl)
    assert (conv.status, conv.outcome, conv.duration_seconds) == ("closed", "abandoned", 4)
    with twilio.wl.db.unit_of_work() as session:
        kinds = session.scalars(select(WebhookEvent.kind)).all()
        assert kinds.count("call-status") == 3


def test_status_callback_after_an_answered_call_keeps_the_talk_time(twilio, people):
    people.volunteer("Sam")
    call = Call(twilio)
    dial = call.to_volunteers().find("Dial")
    leg(twilio, dial.find("Number"), "1")
    call.status("completed", duration="200")  # before the Dial action this time
    call.follow(dial.get("action"), DialCallStatus="completed", DialCallDuration="180")
    conv = conversation(twilio.wl)
    assert (conv.status, conv.outcome, conv.duration_seconds) == ("closed", "answered", 180)


def leave_voicemail(call: Call, prompt: ET.Element, rec: str = "RE" + "1" * 32) -> ET.Element:
    record = prompt.find("Record")
    assert record.get("maxLength") == "120"
    return call.follow(
        record.get("action"),
        RecordingSid=rec,
        RecordingUrl=f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{rec}",
        RecordingDuration="14",
        Digits="#",
    )


def test_nobody_on_shift_tells_when_we_open_then_a_voicemail_becomes_a_callback(twilio, people):
    wl = twilio.wl
    sam = people.volunteer("Sam", on_shift=False)
    with wl.db.unit_of_work() as session:  # Sam's shift: Tuesdays from 6 PM
        add_weekly_slot(session, day_name="tue", start="18:00", end="22:00",
                        volunteers=[sam.phone], supervisors=[], now=wl.clock())  # fmt: skip
    call = Call(twilio)
    prompt = call.to_volunteers()
    assert verbs(prompt) == ["Gather", "Record", "Say", "Hangup"]
    said = prompt.find("Gather").find("Say").text
    assert "open again tomorrow at 6:00 PM" in said and "press 9" in said
    assert path(prompt.find("Gather").get("action")) == "/twilio/voice/menu?then=record"
    # 9 at the voicemail prompt still reaches the crisis line; another key goes to the tone.
    assert verbs(call.follow(prompt.find("Gather").get("action"), Digits="4")) == [
        "Say", "Record", "Say", "Hangup",
    ]  # fmt: skip
    thanks = leave_voicemail(call, prompt)
    assert verbs(thanks) == ["Say", "Hangup"]
    call.status("completed", duration="40")
    conv = conversation(wl)
    assert (conv.status, conv.outcome, conv.recording_seconds) == ("queued", "voicemail", 14)
    assert conv.recording_sid == "RE" + "1" * 32 and conv.duration_seconds == 40
    assert twilio.texts_to(sam.phone, twilio.deliver()) == []  # nobody on shift to tell
    # Tuesday, 6:05 PM: Sam's shift starts and the queue is served.
    wl.clock.advance(days=1, minutes=5)
    with wl.db.unit_of_work() as session:
        queue.drain_queue(session, wl.context, wl.clock())
    told = twilio.texts_to(sam.phone, twilio.deliver())
    assert len(told) == 1 and "#callback" in told[0] and "voicemail" in told[0]
    take_the_callback(twilio, sam, call)


def take_the_callback(twilio: Any, volunteer: Any, call: Call) -> None:
    """``#callback`` -> warmline calls the volunteer -> 1 -> the contact is dialled."""
    wl = twilio.wl
    twilio.sms(volunteer.phone, "#callback")
    reply = twilio.texts_to(volunteer.phone, twilio.deliver())
    assert len(reply) == 1 and "call you now" in reply[0]
    assert CONTACT not in reply[0] and "2025550101" not in reply[0]
    assert jobs.place_callbacks(wl, wl.clock()) == 1
    assert jobs.place_callbacks(wl, wl.clock()) == 0  # placed once
    placed = twilio.standin.calls()
    assert len(placed) == 1
    out = placed[0]
    assert (out["To"], out["From"]) == (volunteer.phone, wl.settings.line.public_number)
    assert path(out["StatusCallback"]) == "/twilio/voice/status"
    conv = conversation(wl)
    assert path(out["Url"]) == f"/twilio/voice/bridge?c={conv.id}"
    assert (conv.status, conv.volunteer_id) == ("assigned", volunteer.id)
    # Twilio fetches the bridge TwiML when the volunteer answers.
    form = {"CallSid": out["Sid"], "AccountSid": twilio.standin.account_sid,
            "From": wl.settings.line.public_number, "To": volunteer.phone,
            "CallStatus": "in-progress", "Direction": "outbound-api"}  # fmt: skip
    prompt = parse(twilio.post(path(out["Url"]), form))
    assert verbs(prompt) == ["Gather", "Say", "Hangup"]
    gather = prompt.find("Gather")
    assert gather.find("Play").text.endswith("RE" + "1" * 32)
    assert CONTACT not in ET.tostring(prompt, encoding="unicode")
    dial = parse(twilio.post(path(gather.get("action")), form | {"Digits": "1"})).find("Dial")
    assert dial.get("callerId") == wl.settings.line.public_number
    assert [n.text for n in dial.findall("Number")] == [CONTACT]
    end = parse(
        twilio.post(
            path(dial.get("action")),
            form | {"DialCallStatus": "completed", "DialCallDuration": "420"},
        )
    )
    assert verbs(end) == ["Hangup"]
    twilio.post("/twilio/voice/status", form | {"CallStatus": "completed", "CallDuration": "450"})
    conv = conversation(wl)
    assert (conv.status, conv.outcome, conv.duration_seconds) == ("closed", "answered", 420)
    assert call.sid == conv.call_sid


def test_nobody_free_voicemail_goes_to_the_volunteer_when_their_call_ends(twilio, people):
    sam = people.volunteer("Sam")
    first = Call(twilio, from_=OTHER)
    dial = first.to_volunteers().find("Dial")
    leg(twilio, dial.find("Number"), "1")  # Sam is on a call
    second = Call(twilio)
    prompt = second.to_volunteers()
    assert "with someone right now" in prompt.find("Gather").find("Say").text
    leave_voicemail(second, prompt)
    assert twilio.texts_to(sam.phone, twilio.deliver()) == []
    first.follow(dial.get("action"), DialCallStatus="completed", DialCallDuration="100")
    told = twilio.texts_to(sam.phone, twilio.deliver())
    assert len(told) == 1 and "#callback" in told[0]


@pytest.mark.parametrize("caller", ["anonymous", "client:alice", "Restricted"])
def test_withheld_caller_voicemail_volunteer_is_told_no_callback_is_possible(
    twilio, people, caller
):
    sam = people.volunteer("Sam")
    configure(twilio.wl, strategy="sequential")
    call = Call(twilio, from_=caller)
    root = call.to_volunteers()
    prompt = call.follow(root.find("Dial").get("action"), DialCallStatus="no-answer")
    leave_voicemail(call, prompt)
    told = twilio.texts_to(sam.phone, twilio.deliver())
    assert len(told) == 1 and "withheld number" in told[0] and "cannot call them back" in told[0]
    twilio.sms(sam.phone, "#callback")
    assert "No callbacks are waiting" in twilio.texts_to(sam.phone, twilio.deliver())[0]
    assert twilio.standin.calls() == []


def test_callback_not_answered_by_the_volunteer_goes_back_to_the_queue(twilio, people):
    sam = people.volunteer("Sam")
    configure(twilio.wl, strategy="sequential")
    call = Call(twilio)
    prompt = call.follow(call.to_volunteers().find("Dial").get("action"), DialCallStatus="busy")
    leave_voicemail(call, prompt)
    twilio.deliver()
    twilio.sms(sam.phone, "#callback")
    jobs.place_callbacks(twilio.wl, twilio.wl.clock())
    out = twilio.standin.calls()[0]
    form = {"CallSid": out["Sid"], "CallStatus": "no-answer", "CallDuration": "0"}
    twilio.post("/twilio/voice/status", form)
    conv = conversation(twilio.wl)
    assert (conv.status, conv.volunteer_id, conv.callback_call_sid) == ("queued", None, None)
    told = twilio.texts_to(sam.phone, twilio.deliver())
    assert any("#callback" in b for b in told)  # announced again


def test_voice_webhooks_check_the_signature_and_name_missing_fields(twilio):
    call = Call(twilio)
    for url in ("/twilio/voice", "/twilio/voice/status", "/twilio/voice/menu",
                "/twilio/voice/whisper?c=1&v=1", "/twilio/voice/bridge?c=1"):  # fmt: skip
        assert twilio.post(url, call.form(), signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    response = twilio.post("/twilio/voice", {"From": CONTACT})
    assert response.status_code == 400 and "CallSid" in response.get_data(as_text=True)
    response = twilio.post("/twilio/voice/status", {"CallSid": call.sid})
    assert response.status_code == 400 and "CallStatus" in response.get_data(as_text=True)
    for bad in ("/twilio/voice/whisper?c=x", "/twilio/voice/accept?c=1&v=\u00b2",
                "/twilio/voice/bridge?c=99999999999999999999"):  # fmt: skip
        assert twilio.post(bad, call.form()).status_code == 400
    response = twilio.post("/twilio/voice", call.form(CallSid="CA" + "f" * 80))
    assert response.status_code == 400 and "CallSid" in response.get_data(as_text=True)
    odd = call.form(DialCallStatus="busy", DialCallDuration="\u00b2" * 3)
    assert twilio.post("/twilio/voice/dialed?v=99999999999999", odd).status_code == 200
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Conversation.id))) == 0


def test_unknown_calls_and_stale_legs_get_a_polite_hangup(twilio, people):
    people.volunteer("Sam")
    ghost = Call(twilio)
    root = parse(twilio.post("/twilio/voice/menu", ghost.form(Digits="1")))
    assert verbs(root) == ["Say", "Hangup"] or verbs(root) == ["Hangup"]
    root = parse(twilio.post("/twilio/voice/accept?c=999&v=1", ghost.form(Digits="1")))
    assert verbs(root) == ["Hangup"]


def test_logs_never_hold_phone_numbers(twilio, people, caplog):
    caplog.set_level(logging.DEBUG)
    sam = people.volunteer("Sam")
    call = Call(twilio)
    dial = call.to_volunteers().find("Dial")
    leg(twilio, dial.find("Number"), "1")
    call.follow(dial.get("action"), DialCallStatus="completed", DialCallDuration="10")
    crisis = Call(twilio, from_=OTHER)
    crisis.follow(crisis.dial_in().find("Gather").get("action"), Digits="9")
    text = caplog.text
    for number in (CONTACT, OTHER, sam.phone):
        assert number not in text and number[2:] not in text


def queue_a_callback(twilio: Any, people: Any) -> Any:
    sam = people.volunteer("Sam")
    configure(twilio.wl, strategy="sequential")
    call = Call(twilio)
    prompt = call.follow(call.to_volunteers().find("Dial").get("action"), DialCallStatus="busy")
    leave_voicemail(call, prompt)
    twilio.deliver()
    return sam


def test_status_lists_voicemails_waiting(twilio, people):
    sam = queue_a_callback(twilio, people)
    twilio.sms(sam.phone, "#status")
    assert "Voicemails to call back: 1" in twilio.texts_to(sam.phone, twilio.deliver())[0]


def test_callback_call_retried_after_a_transient_twilio_error(twilio, people):
    sam = queue_a_callback(twilio, people)
    twilio.sms(sam.phone, "#callback")
    twilio.standin.fail_next(status=503)
    assert jobs.place_callbacks(twilio.wl, twilio.wl.clock()) == 0
    assert conversation(twilio.wl).status == "assigned"
    assert jobs.place_callbacks(twilio.wl, twilio.wl.clock()) == 1
    assert [c["To"] for c in twilio.standin.calls()] == [sam.phone]


def test_callback_call_refused_by_twilio_goes_back_to_the_queue(twilio, people):
    sam = queue_a_callback(twilio, people)
    twilio.sms(sam.phone, "#callback")
    twilio.deliver()
    twilio.standin.fail_next(status=400, code=21215)
    assert jobs.place_callbacks(twilio.wl, twilio.wl.clock()) == 0
    conv = conversation(twilio.wl)
    assert (conv.status, conv.volunteer_id) == ("queued", None)
    told = twilio.texts_to(sam.phone, twilio.deliver())
    assert any("could not call you" in b for b in told)


def test_a_callback_call_is_asked_of_the_port_by_purpose_and_conversation_not_by_url(
    twilio, people
):
    """Through the recording fake: routing names what the call is for; only the adapter knows
    the webhooks Twilio will fetch."""
    sam = queue_a_callback(twilio, people)
    twilio.sms(sam.phone, "#callback")
    phone = twilio.wl.sender = FakeTelephony(clock=twilio.wl.clock)
    phone.fail_next(SendFailure("no answer", code=None, transient=True, ambiguous=True))
    assert jobs.place_callbacks(twilio.wl, twilio.wl.clock()) == 0  # kept for the next run
    assert jobs.place_callbacks(twilio.wl, twilio.wl.clock()) == 1
    conv = conversation(twilio.wl)
    settings = twilio.wl.settings
    assert phone.calls == [
        PlacedCall(
            purpose="callback",
            conversation_id=conv.id,
            from_=settings.line.public_number,
            to=sam.phone,
            ring_seconds=settings.calls.ring_seconds,
            sid=conv.callback_call_sid,
        )
    ]
    twilio.deliver()
    assert any("Warmline will call you now" in body for body in phone.sent[sam.phone])


def test_spoken_texts_use_the_configured_voice_and_language(twilio, people):
    configure(twilio.wl, voice="Polly.Lupe", language="es-US", ring_seconds=35)
    people.volunteer("Sam")
    call = Call(twilio)
    greeting = call.dial_in()
    say = greeting.find("Gather").find("Say")
    assert (say.get("voice"), say.get("language")) == ("Polly.Lupe", "es-US")
    dial = call.follow(greeting.find("Redirect").text).find("Dial")
    assert dial.get("timeout") == "35"
    whisper = parse(twilio.post(path(dial.find("Number").get("url")), call.form()))
    assert whisper.find("Gather").find("Say").get("voice") == "Polly.Lupe"


def test_two_volunteers_pressing_1_at_once_only_one_takes_the_call(twilio, people):
    wl = twilio.wl
    crew = [people.volunteer(f"V{i}") for i in range(4)]
    Call(twilio).to_volunteers()
    conv_id = conversation(wl).id
    barrier = threading.Barrier(len(crew))
    won: list[bool] = []

    def press_1(volunteer_id: int) -> None:
        barrier.wait()
        with wl.db.unit_of_work() as session:
            won.append(calls.leg_answered(session, conv_id, volunteer_id, "1", wl.clock()))

    threads = [threading.Thread(target=press_1, args=(v.id,)) for v in crew]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(won) == [False, False, False, True]
    conv = conversation(wl)
    assert conv.status == "assigned" and conv.volunteer_id in {v.id for v in crew}


def test_a_blocked_number_is_hung_up_on_and_rings_nobody(twilio, people):
    people.volunteer("Sam")
    with twilio.wl.db.unit_of_work() as session:
        set_blocked(session, twilio.wl.vault, CONTACT, True, twilio.wl.clock())
    root = Call(twilio).dial_in()
    assert verbs(root) == ["Hangup"]
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(Conversation.id))) == 0


def test_a_call_whose_end_never_arrived_frees_its_volunteer_after_twilios_time_limit(
    twilio, people
):
    wl = twilio.wl
    sam = people.volunteer("Sam")
    call = Call(twilio)
    leg(twilio, call.to_volunteers().find("Dial").find("Number"), "1")
    wl.clock.advance(hours=1)
    jobs.fire_timers(wl, wl.clock())
    assert conversation(wl).status == "assigned"  # a long call is not cut short
    wl.clock.advance(hours=3, minutes=15)
    jobs.fire_timers(wl, wl.clock())
    conv = conversation(wl)
    assert (conv.status, conv.close_reason) == ("closed", "stale")
    twilio.sms(OTHER, "anyone there?")
    assert any(b.endswith("] anyone there?") for b in twilio.texts_to(sam.phone, twilio.deliver()))


def test_a_callback_claim_never_bridged_goes_back_to_the_queue_after_the_time_limit(twilio, people):
    sam = queue_a_callback(twilio, people)
    twilio.sms(sam.phone, "#callback")
    twilio.wl.clock.advance(hours=5)
    jobs.fire_timers(twilio.wl, twilio.wl.clock())
    conv = conversation(twilio.wl)
    assert (conv.status, conv.volunteer_id, conv.outcome) == ("queued", None, "voicemail")


def test_simultaneous_voicemail_picking_up_first_does_not_end_the_ringing(twilio, people):
    """Twilio hangs up the other legs when one picks up; if that was a voicemail (no key at the
    whisper), the others are rung again without it, and one of them can still take the call."""
    sam, kim = people.volunteer("Sam"), people.volunteer("Kim")
    call = Call(twilio)
    dial = call.to_volunteers().find("Dial")
    sam_leg = next(n for n in dial.findall("Number") if n.text == sam.phone)
    assert verbs(leg(twilio, sam_leg, None))[-1] == "Hangup"  # Sam's voicemail, no key
    again = call.follow(dial.get("action"), DialCallStatus="completed").find("Dial")
    assert [n.text for n in again.findall("Number")] == [kim.phone]
    assert list(leg(twilio, again.find("Number"), "1")) == []
    assert conversation(twilio.wl).volunteer_id == kim.id


def test_simultaneous_every_pick_up_unaccepted_ends_in_voicemail(twilio, people):
    sam = people.volunteer("Sam")
    call = Call(twilio)
    dial = call.to_volunteers().find("Dial")
    leg(twilio, dial.find("Number"), None)
    root = call.follow(dial.get("action"), DialCallStatus="completed")
    assert root.find("Dial") is None and "Record" in ET.tostring(root, encoding="unicode")
    assert sam.phone not in ET.tostring(root, encoding="unicode")


def test_simultaneous_nobody_picking_up_goes_to_voicemail(twilio, people):
    people.volunteer("Sam")
    call = Call(twilio)
    dial = call.to_volunteers().find("Dial")
    root = call.follow(dial.get("action"), DialCallStatus="no-answer")
    assert root.find("Dial") is None and "Record" in ET.tostring(root, encoding="unicode")
