"""Every Twilio webhook, fuzzed with signed requests: never a 5xx (SPEC §4).

Hypothesis builds forms and query strings from plausible values (the numbers, SIDs and ids of
a small scene: volunteers on shift, an open text conversation, a ringing call, a voicemail taken
as a callback) with a few fields made hostile (missing or repeated, huge and negative numbers,
NUL and control characters, odd addresses, SIDs of every length, long bodies, unknown status
words, extra fields), signs them as Twilio would, and posts them. Each answer must be below 500,
and a 400 must name the field or query parameter it refuses. Afterwards the app must still work:
a new contact's text is stored and answered, and the whole outbox goes out as requests Twilio's
API accepts (the stand-in fails the test otherwise).

Below the fuzzing, one test per finding (the probe's and the fuzzing's own), each of which
failed before its fix.

``WARMLINE_FUZZ_EXAMPLES`` sets the number of examples per endpoint and database (default 100).
With ``CI=true`` the examples are the same on every run; elsewhere each run draws new ones.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder

from tests.conftest import PUBLIC_URL
from warmline.db.models import Conversation, Message, Outbound, Volunteer
from warmline.telephony.signature import sign
from warmline.worker import jobs

EXAMPLES = int(os.environ.get("WARMLINE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",  # the same examples on every CI run
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FORM = "application/x-www-form-urlencoded"
CONTACT = "+12025550111"
CALLER = "+12025550122"
_sids = itertools.count(1)


def sid(prefix: str) -> str:
    """A fresh SID, never one that conftest's ``TwilioActions`` makes."""
    return f"{prefix}f{next(_sids):031x}"


# Values Twilio never sends, or sends rarely, for any field.
ODD = [
    "",
    " ",
    "\x00",
    "+1555\x001230001",
    "\x01\x02\x7f",
    "anonymous",
    "Anonymous",
    "client:alice",
    "sip:alice@example.org",
    "whatsapp:+15551230001",
    "messenger:1234567890",
    "+",
    "+0",
    "0",
    "-1",
    "-99999999999",
    "99999999999",
    "9" * 40,
    "9" * 5000,  # int() refuses strings of over 4,300 digits
    "1e9",
    "NaN",
    "0x1f",
    "٣",  # an Arabic-Indic digit: str.isdigit() says yes
    "１２",  # full-width digits
    "+1" + "5" * 38,  # 40 characters
    "+1555123" + "0" * 200,
    "a" * 65,
    "SM",
    "SM" + "0" * 31,
    "SM" + "0" * 33,
    "SM" + "f" * 62,
    "SM" + "f" * 200,
    "ＳＭ" + "１" * 32,
    "CA../../etc",
    "queued",
    "delivered",
    "failed",
    "completed",
    "busy",
    "no-answer",
    "in-progress",
    "canceled",
    "DELIVERED",
    "exploded",
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
    "javascript:alert(1)",
    "https://" + "x" * 600,
    "#",
    "*",
    "9",
    "1",
    "STOP",
    "#end",
    "#pass",
    "#status",
    "#callback",
    "HELP",
]
HUGE_TEXT = st.integers(1_500, 40_000).map(lambda n: ("word " * (n // 5 + 1))[:n])
NUMBERISH = st.one_of(
    st.integers(2**31, 2**80).map(str),  # (Hypothesis favours small integers)
    st.integers(-(2**80), 2**80).map(str),
    st.integers(-(2**80), -1).map(str),
    st.sampled_from(["99999999999", "2147483648", "-1", "1e3", "٣", "１２", " 7 ", "+5", "0x10"]),
)
NASTY = st.one_of(
    st.sampled_from(ODD),
    NUMBERISH,
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x7F), max_size=80),
    st.integers().map(str),
    st.integers(-(2**80), 2**80).map(str),
    HUGE_TEXT,
)


@dataclass
class Scene:
    """What the plausible values come from: filled in once, before the fuzzing."""

    public: str
    relays: list[str]
    volunteer_phones: list[str] = field(default_factory=list)
    message_sids: list[str] = field(default_factory=list)
    outbound_sids: list[str] = field(default_factory=list)
    call_sids: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # conversations' and volunteers' ids

    def senders(self) -> st.SearchStrategy[str]:
        """Who texts or calls: contacts (known and new), volunteers, now and then the line."""
        people = st.sampled_from([CONTACT, CALLER, *self.volunteer_phones])
        newcomers = st.integers(0, 99).map(lambda n: f"+120255502{n:02d}")
        return st.one_of(people, newcomers, st.sampled_from([self.public, *self.relays]))

    def own_numbers(self) -> st.SearchStrategy[str]:
        """What they text or call: the line's numbers, now and then another."""
        return st.one_of(st.sampled_from([self.public, *self.relays]), self.senders())


Fields = dict[str, Callable[[Scene], st.SearchStrategy[str]]]


@dataclass(frozen=True)
class Endpoint:
    path: str
    fields: Fields
    query: Fields = dataclasses.field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return {*self.fields, *self.query}


def fresh_or(pool: Callable[[Scene], list[str]], prefix: str) -> Callable[[Scene], Any]:
    """A new SID (mostly), or one the scene already used (a repeat, or a known call)."""
    fresh = st.builds(sid, st.just(prefix))
    return lambda s: st.one_of(fresh, fresh, st.sampled_from(pool(s) or [sid(prefix)]))


def just(*values: str) -> Callable[[Scene], st.SearchStrategy[str]]:
    return lambda _s: st.sampled_from(values)


def ids(s: Scene) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(s.ids), st.integers(0, 10**12).map(str))


def senders(s: Scene) -> st.SearchStrategy[str]:
    return s.senders()


def own_numbers(s: Scene) -> st.SearchStrategy[str]:
    return s.own_numbers()


def seconds(_s: Scene) -> st.SearchStrategy[str]:
    return st.integers(0, 100_000).map(str)


WORDS = ["hi", "STOP", "START", "HELP", "I want to die", "#end", "#pass", "#on", "#off"]
COMMANDS = ["#status", "#callback", "#ack", "#ack 99999999999", "#ack " + "9" * 5000, "#x" * 900]


def body(_s: Scene) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=200), st.sampled_from(WORDS + COMMANDS))


MESSAGE_SID = fresh_or(lambda s: s.message_sids, "SM")
CALL_SID = fresh_or(lambda s: s.call_sids, "CA")
ACCOUNT = just("AC" + "0" * 32)
CALL_STATUS = just("queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer")
DIAL_STATUS = just("completed", "answered", "busy", "failed", "no-answer", "canceled")
DIGITS = just("", "1", "9", "5", "#", "1#")
CALL = {"CallSid": CALL_SID, "AccountSid": ACCOUNT, "From": senders, "To": own_numbers}
LEG = {"c": ids, "v": ids}

ENDPOINTS = [
    Endpoint(
        "/twilio/sms",
        {
            "MessageSid": MESSAGE_SID,
            "SmsSid": MESSAGE_SID,
            "AccountSid": ACCOUNT,
            "From": senders,
            "To": own_numbers,
            "Body": body,
            "NumMedia": just("0", "1", "10"),
            "MediaUrl0": just("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1"),
            "MediaContentType0": just("image/jpeg"),
        },
    ),
    Endpoint(
        "/twilio/sms/status",
        {
            "MessageSid": fresh_or(lambda s: s.outbound_sids, "SM"),
            "MessageStatus": just(
                "accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed"
            ),
            "ErrorCode": just("", "30003", "30008", "21610"),
            "AccountSid": ACCOUNT,
            "From": senders,
            "To": own_numbers,
        },
    ),
    Endpoint("/twilio/voice", CALL | {"CallStatus": CALL_STATUS, "Direction": just("inbound")}),
    Endpoint("/twilio/voice/menu", CALL | {"Digits": DIGITS}, {"then": just("record", "")}),
    Endpoint("/twilio/voice/whisper", CALL | {"CallStatus": CALL_STATUS}, LEG),
    Endpoint("/twilio/voice/accept", CALL | {"Digits": DIGITS}, LEG),
    Endpoint(
        "/twilio/voice/dialed",
        CALL
        | {
            "DialCallStatus": DIAL_STATUS,
            "DialCallDuration": seconds,
            "CallStatus": CALL_STATUS,
        },
        {"v": ids},
    ),
    Endpoint(
        "/twilio/voice/voicemail",
        CALL
        | {
            "RecordingSid": fresh_or(lambda _s: [], "RE"),
            "RecordingUrl": just("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"),
            "RecordingDuration": seconds,
        },
    ),
    Endpoint(
        "/twilio/voice/status",
        CALL | {"CallStatus": CALL_STATUS, "CallDuration": seconds},
    ),
    Endpoint("/twilio/voice/bridge", CALL, {"c": ids}),
    Endpoint("/twilio/voice/bridge/connect", CALL | {"Digits": DIGITS}, {"c": ids}),
    Endpoint(
        "/twilio/voice/bridged",
        CALL | {"DialCallStatus": DIAL_STATUS, "DialCallDuration": seconds},
        {"c": ids},
    ),
]


HOW = ["hostile", "hostile", "hostile", "missing", "twice"]
NUMERIC = {
    "NumMedia",
    "ErrorCode",
    "DialCallDuration",
    "CallDuration",
    "RecordingDuration",
    "c",
    "v",
}


@st.composite
def request_parts(
    draw: st.DrawFn, endpoint: Endpoint, scene: Scene
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(form, query) as lists of pairs: a few known fields hostile, missing or repeated, the
    others plausible, and perhaps unknown extra fields."""
    names = sorted(endpoint.names)
    spoilt = draw(
        st.dictionaries(st.sampled_from(names), st.sampled_from(HOW), min_size=1, max_size=2)
    )

    def values(fields: Fields) -> list[tuple[str, str]]:
        pairs = []
        for name, plausible in fields.items():
            how = spoilt.get(name, "plausible")
            if how == "missing":
                continue
            hostile = NUMBERISH if name in NUMERIC else NASTY
            strategy = plausible(scene) if how == "plausible" else hostile
            pairs.append((name, draw(st.one_of(strategy, NASTY) if how == "hostile" else strategy)))
            if how == "twice":
                pairs.append((name, draw(st.one_of(plausible(scene), NASTY))))
        extra = draw(st.lists(st.tuples(st.text(min_size=1, max_size=12), NASTY), max_size=2))
        return pairs + extra

    return values(endpoint.fields), values(endpoint.query)


def claimed_callback(twilio: Any, scene: Scene, volunteer: str) -> list[str]:
    """A caller's voicemail, which ``volunteer`` takes as a callback: warmline calls them (the
    bridge endpoints then have a conversation to work on). Both calls' SIDs."""
    wl, call = twilio.wl, sid("CA")
    form = {"CallSid": call, "From": "+12025550133", "To": scene.public, "CallStatus": "ringing"}
    recording = {"RecordingSid": sid("RE"), "RecordingDuration": "12"}
    recording["RecordingUrl"] = f"https://api.twilio.com/Recordings/{recording['RecordingSid']}"
    for path, extra in [
        ("/twilio/voice", {}),
        ("/twilio/voice/menu?then=record", {"Digits": "4"}),
        ("/twilio/voice/voicemail", recording),
        ("/twilio/voice/status", {"CallStatus": "completed", "CallDuration": "30"}),
    ]:
        response = twilio.post(path, form | extra)
        assert response.status_code in (200, 204), response.get_data(as_text=True)
    twilio.sms(volunteer, "#callback")
    assert jobs.place_callbacks(wl, wl.clock()) == 1
    return [call, twilio.standin.calls()[-1]["Sid"]]


def build_scene(twilio: Any, people: Any) -> Scene:
    wl = twilio.wl
    scene = Scene(wl.settings.line.public_number, list(wl.settings.line.relay_numbers))
    crew = [people.volunteer(f"Volunteer {n}", capacity=50) for n in range(3)]
    scene.volunteer_phones = [v.phone for v in crew]
    first = sid("SM")
    twilio.sms(CONTACT, "hello, is anyone there?", sid=first)
    scene.message_sids.append(first)
    twilio.deliver()
    call = sid("CA")
    scene.call_sids.append(call)
    form = {"CallSid": call, "From": CALLER, "To": scene.public, "CallStatus": "ringing"}
    assert twilio.post("/twilio/voice", form).status_code == 200
    assert twilio.post("/twilio/voice/menu", form | {"Digits": "1"}).status_code == 200
    scene.call_sids += claimed_callback(twilio, scene, crew[1].phone)
    with wl.db.unit_of_work() as session:
        scene.ids = [str(i) for i in session.scalars(select(Conversation.id))]
        scene.ids += [str(i) for i in session.scalars(select(Volunteer.id))]
        sent = session.scalars(select(Outbound.twilio_sid).where(Outbound.twilio_sid.is_not(None)))
        scene.outbound_sids = list(sent)
    return scene


def post(twilio: Any, path: str, pairs: list[tuple[str, str]]) -> Any:
    """A signed POST whose form may repeat a key, as Twilio signs it."""
    form = MultiDict(pairs)
    signature = sign(twilio.standin.auth_token, PUBLIC_URL + path, form)
    return twilio.client.post(path, data=form, headers={"X-Twilio-Signature": signature})


REASON = re.compile(r"^400 Bad Request: (.+)$", re.S)


def check_answer(endpoint: Endpoint, response: Any) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code < 500, text
    assert response.status_code in (200, 204, 400), text
    if response.status_code == 400:
        reason = REASON.match(text)
        assert reason is not None, text
        named = {n for n in endpoint.names if re.search(rf"\b{re.escape(n)}\b", reason[1])}
        assert named, f"400 names none of {sorted(endpoint.names)}: {text}"


def drain(twilio: Any) -> list[dict[str, str]]:
    """Deliver the whole outbox (each run of the job sends at most 100 texts)."""
    wl = twilio.wl
    while any(dataclasses.astuple(jobs.deliver_outbox(wl, wl.clock()))):
        pass
    return twilio.deliver()


def still_works(twilio: Any) -> None:
    """A new contact's text is stored and answered: relayed to a volunteer, who is told who it
    is from, or queued, and the contact told their place (fuzzing may have filled every
    volunteer's relay numbers)."""
    drain(twilio)
    newcomer = "+12025550177"
    twilio.sms(newcomer, "is this the warmline?")
    delivered = drain(twilio)
    assert twilio.texts_to(newcomer, delivered), delivered
    with twilio.wl.db.unit_of_work() as session:
        stored = session.scalars(select(Message).where(Message.body == "is this the warmline?"))
        (message,) = stored.all()
        conv = session.get_one(Conversation, message.conversation_id)
        assert conv.status in ("queued", "assigned")
    relays = [m for m in delivered if "is this the warmline?" in m["Body"]]
    assert len(relays) == (conv.status == "assigned")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_no_signed_request_gets_a_server_error(twilio, people, endpoint):
    scene = build_scene(twilio, people)
    strategies = st.sampled_from(["simultaneous", "sequential"])

    @FUZZ
    @given(parts=request_parts(endpoint, scene), strategy=strategies)
    def one_request(parts: tuple[list[tuple[str, str]], list[tuple[str, str]]], strategy: str):
        form, query = parts
        wl = twilio.wl
        calls = dataclasses.replace(wl.settings.calls, strategy=strategy)
        wl.settings = wl.settings.with_(calls=calls)
        wl.context = dataclasses.replace(wl.context, settings=wl.settings)
        path = endpoint.path + ("?" + urlencode(query) if query else "")
        check_answer(endpoint, post(twilio, path, form))

    one_request()
    still_works(twilio)


# The probe's 500s, and the neighbours the fuzzing found, each checked directly.
def text_form(twilio: Any, **fields: str) -> dict[str, str]:
    line = twilio.wl.settings.line.public_number
    return {"MessageSid": sid("SM"), "From": CONTACT, "To": line, "Body": "hi"} | fields


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"From": "+1" + "5" * 200}, "From"),
        ({"From": "+1555\x01123"}, "From"),
        ({"To": "+1" + "5" * 38}, "To"),
        ({"Body": "x" * 16_001}, "Body"),
        ({"MessageSid": "SM" + "0" * 63}, "MessageSid"),
        ({"MessageSid": "ＳＭ" + "１" * 32}, "MessageSid"),
    ],
)
def test_a_contact_text_twilio_never_sends_is_a_400_naming_the_field(twilio, people, fields, named):
    people.volunteer("Sam")
    response = twilio.post("/twilio/sms", text_form(twilio, **fields))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert named in response.get_data(as_text=True)
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalars(select(Message)).all() == []


def test_a_volunteer_text_to_a_40_character_number_is_a_400_naming_to(twilio, people):
    sam = people.volunteer("Sam")
    response = twilio.post("/twilio/sms", text_form(twilio, From=sam.phone, To="+1" + "5" * 38))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert "field To" in response.get_data(as_text=True)
    with twilio.wl.db.unit_of_work() as session:
        assert session.scalars(select(Outbound)).all() == []


@pytest.mark.parametrize(
    "body", ["NUL \x00 inside", "\x00", "bell \x07 and tab \t", "x " * 7_999, "😢" * 1_600]
)
def test_a_contact_text_with_nul_control_or_length_is_stored_and_relayed(twilio, people, body):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, body)
    kept = body.replace("\x00", "\ufffd")
    with twilio.wl.db.unit_of_work() as session:
        assert [m.body for m in session.scalars(select(Message))] == [kept]
    to_sam = twilio.texts_to(sam.phone, drain(twilio))
    # the texts relayed, not a heads-up the scan may add: what it calls crisis is tested elsewhere
    relayed = "".join(t for t in to_sam[1:] if not t.startswith("Heads-up:"))
    assert relayed.replace(" ", "").endswith(kept.replace(" ", "")[-50:])


@pytest.mark.parametrize(
    ("num_media", "stored"),
    [("99999999999", 100), ("2147483648", 100), ("9" * 5000, 100), ("-1", 0), ("two", 0)],
)
def test_a_contact_text_with_an_odd_media_count_is_stored_not_lost(
    twilio, people, num_media, stored
):
    sam = people.volunteer("Sam")
    twilio.sms(CONTACT, "look at this", NumMedia=num_media)
    with twilio.wl.db.unit_of_work() as session:
        assert [(m.body, m.num_media) for m in session.scalars(select(Message))] == [
            ("look at this", stored)
        ]
    to_sam = twilio.texts_to(sam.phone, drain(twilio))
    assert any(b.endswith("] look at this") for b in to_sam)
    told = [b for b in to_sam if "does not forward pictures" in b]
    assert len(told) == bool(stored) and all(" sent 100 pictures;" in b for b in told)


@pytest.mark.parametrize("leg", ["whisper", "accept"])
def test_a_call_leg_for_an_unknown_volunteer_is_refused_or_declined(twilio, people, leg):
    people.volunteer("Sam")
    call = {"CallSid": sid("CA"), "From": CALLER, "To": "+15550100000", "CallStatus": "ringing"}
    assert twilio.post("/twilio/voice", call).status_code == 200
    assert twilio.post("/twilio/voice/menu", call | {"Digits": "1"}).status_code == 200
    with twilio.wl.db.unit_of_work() as session:
        conv_id = session.scalars(select(Conversation.id)).one()
    response = twilio.post(f"/twilio/voice/{leg}?c={conv_id}&v=999", call | {"Digits": "1"})
    text = response.get_data(as_text=True)
    if leg == "whisper":
        assert response.status_code == 400 and "query parameter v" in text, text
    else:
        assert response.status_code == 200 and "<Hangup" in text, text
    with twilio.wl.db.unit_of_work() as session:
        conv = session.get_one(Conversation, conv_id)
        assert (conv.status, conv.volunteer_id) == ("ringing", None)


@pytest.mark.parametrize("v", ["999", "9" * 5000, "-1", "x"])
def test_sequential_dial_ending_for_an_unknown_volunteer_goes_on_with_the_call(twilio, people, v):
    wl = twilio.wl
    calls = dataclasses.replace(wl.settings.calls, strategy="sequential")
    wl.settings = wl.settings.with_(calls=calls)
    wl.context = dataclasses.replace(wl.context, settings=wl.settings)
    people.volunteer("Sam")
    call = {"CallSid": sid("CA"), "From": CALLER, "To": "+15550100000", "CallStatus": "ringing"}
    assert twilio.post("/twilio/voice", call).status_code == 200
    assert twilio.post("/twilio/voice/menu", call | {"Digits": "1"}).status_code == 200
    ended = call | {"DialCallStatus": "no-answer", "CallStatus": "in-progress"}
    response = twilio.post(f"/twilio/voice/dialed?v={v}", ended)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "<Say" in response.get_data(as_text=True)  # the voicemail prompt, not an error


def test_a_query_string_that_is_not_utf8_is_refused_not_a_server_error(twilio):
    """A WSGI server passes raw bytes through; Twilio's URLs are always UTF-8."""
    call = {"CallSid": sid("CA"), "From": CALLER, "To": "+15550100000"}
    signature = sign(twilio.standin.auth_token, PUBLIC_URL + "/twilio/voice/bridge?c=1", call)
    response = twilio.client.post(
        "/twilio/voice/bridge",
        data=call,
        headers={"X-Twilio-Signature": signature},
        environ_overrides={"QUERY_STRING": "c=1\xff"},  # WSGI's latin-1 for the byte 0xFF
    )
    assert response.status_code in (400, 403), response.get_data(as_text=True)


def test_a_body_with_bytes_that_are_not_utf8_is_stored_as_sent(twilio, people):
    people.volunteer("Sam")
    raw = b"MessageSid=SM" + b"9" * 32 + b"&From=%2B12025550111&To=%2B15550100000&Body=caf%E9"
    form = EnvironBuilder(method="POST", data=raw, content_type=FORM).get_request().form
    signature = sign(twilio.standin.auth_token, PUBLIC_URL + "/twilio/sms", form)
    response = twilio.client.post(
        "/twilio/sms", data=raw, content_type=FORM, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    with twilio.wl.db.unit_of_work() as session:
        assert [m.body for m in session.scalars(select(Message))] == ["caf%E9"]


def test_a_request_larger_than_any_twilio_sends_is_a_413(twilio):
    form = text_form(twilio, Body="x" * 300_000)
    response = twilio.post("/twilio/sms", form)
    assert response.status_code == 413, response.get_data(as_text=True)
