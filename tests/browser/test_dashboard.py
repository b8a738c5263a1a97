"""The coordinators' dashboard in a real browser (Debian's Chromium driven by Playwright): log in,
watch a contact's text appear on the live view without a reload, acknowledge an escalation, and
screenshots of every page at a laptop's and a phone's size (in $WARMLINE_SHOTS, default
/tmp/shots-d1) to look at."""

from __future__ import annotations

import os
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PUBLIC_URL
from tests.support.dashboard import PASSWORD, make_user
from warmline.app import create_app
from warmline.telephony.signature import sign

SHOTS = Path(os.environ.get("WARMLINE_SHOTS", "/tmp/shots-d1"))
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.fixture
def served(wl):
    """The test app served over HTTP on a free port in a thread; its base URL."""
    server = make_server("127.0.0.1", 0, create_app(wl), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def text_the_line(base: str, wl, standin, from_: str, body: str, sid: str) -> None:
    """A contact's text, as Twilio posts it: signed, to the served app."""
    form = {
        "MessageSid": sid,
        "AccountSid": standin.account_sid,
        "From": from_,
        "To": wl.settings.line.public_number,
        "Body": body,
        "NumMedia": "0",
    }
    signature = sign(standin.auth_token, PUBLIC_URL + "/twilio/sms", form)
    request = urllib.request.Request(
        base + "/twilio/sms",
        urllib.parse.urlencode(form).encode(),
        {"X-Twilio-Signature": signature},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_live_view_shows_a_new_text_without_reload_and_acknowledges(
    served, browser, wl, people, twilio_standin
):
    from playwright.sync_api import expect

    people.volunteer("Sam Lee", role="supervisor")
    people.volunteer("Alex Kim")
    make_user(wl, "coordinator", email="coordinator@warmline.example.org")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served + "/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    shoot(page, "login")
    log_in(page, served, "coordinator@warmline.example.org")
    expect(page.get_by_role("heading", name="Now")).to_be_visible()
    expect(page.get_by_text("No conversation is open.")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    crisis = "I want to kill myself tonight"
    text_the_line(served, wl, twilio_standin, "+15557770123", crisis, "SM" + "a" * 32)
    text_the_line(served, wl, twilio_standin, "+15557770456", "hi, anyone?", "SM" + "b" * 32)
    open_conversations = page.get_by_role("region", name="Open conversations")
    expect(open_conversations.locator("tbody tr")).to_have_count(2, timeout=15_000)
    assert page.evaluate("window.stillTheSamePage") is True  # refreshed in place, not reloaded
    escalations = page.get_by_role("region", name="Escalations")
    expect(escalations.get_by_text("waiting for acknowledgement")).to_be_visible()
    assert "5557770123" not in page.content()
    shoot(page, "now")

    escalations.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("acknowledged. Thank you for following up.")
    expect(escalations.get_by_text("acknowledged", exact=True)).to_be_visible()

    page.goto(served + "/escalations")
    page.get_by_label("Add a note").fill("Called back; the contact is with family tonight.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Called back; the contact is with family tonight.")).to_be_visible()
    shoot(page, "escalations")

    page.goto(served + "/conversations")
    expect(page.get_by_role("heading", name="2 conversations")).to_be_visible()
    shoot(page, "conversations")
    page.get_by_role("link", name="Read…").first.click()
    shoot(page, "transcript-reason")
    page.get_by_label("Why do you need to read this conversation?").fill("Following up escalation")
    page.get_by_role("button", name="Read the conversation").click()
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()
    shoot(page, "transcript")

    page.goto(served + "/users")
    page.get_by_label("Email").fill("viewer@warmline.example.org")
    page.get_by_label("Role").select_option("viewer")
    page.get_by_label("First password").fill("a long first password")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_role("status")).to_contain_text("can now log in as viewer")
    shoot(page, "users")

    page.goto(served + "/audit")
    expect(page.get_by_role("cell", name="transcript.view")).to_be_visible()
    shoot(page, "audit")


def test_a_viewer_gets_a_calm_403_and_a_wrong_password_a_message(served, browser, wl):
    from playwright.sync_api import expect

    make_user(wl, "viewer", email="viewer@warmline.example.org")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served + "/login")
    page.get_by_label("Email").fill("viewer@warmline.example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an active account."
    )
    shoot(page, "login-refused")
    log_in(page, served, "viewer@warmline.example.org")
    expect(page.get_by_role("navigation", name="Pages").get_by_role("link")).to_have_text(
        ["Now", "Rota", "Reports"]  # SPEC §11: a viewer sees the live view, the rota and reports
    )
    page.goto(served + "/audit")
    expect(page.get_by_role("heading", name="Forbidden")).to_be_visible()
    shoot(page, "forbidden")


def test_refusals_in_the_browser_stale_csrf_a_viewers_edit_and_repeated_failures(
    served, browser, wl
):
    """Issue 15's refusals, as a browser meets them: a form whose CSRF token was tampered with
    is refused (400, a calm page, nothing added); a viewer who sends the rota's form gets 403;
    the sixth wrong password within a minute gets 429."""
    from playwright.sync_api import expect
    from sqlalchemy import func, select

    from warmline.db.models import WeeklySlot

    make_user(wl, "coordinator", email="coordinator@warmline.example.org")
    make_user(wl, "viewer", email="viewer@warmline.example.org")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(page, served, "coordinator@warmline.example.org")
    page.goto(served + "/rota")
    page.get_by_text("Add a weekly shift").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add weekly shift"))
    form.get_by_label("Start").fill("18:00")
    form.get_by_label("End").fill("22:00")
    form.locator("input[name=csrf_token]").evaluate("input => input.value = 'forged'")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        form.get_by_role("button", name="Add weekly shift").click()
    assert sent.value.status == 400
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()
    with wl.db.unit_of_work() as session:
        assert session.scalar(select(func.count(WeeklySlot.id))) == 0

    viewer = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(viewer, served, "viewer@warmline.example.org")
    viewer.goto(served + "/rota")
    expect(viewer.get_by_text("Add a weekly shift")).to_have_count(0)  # read-only for viewers
    status = viewer.evaluate(
        """async () => {
            const token = document.querySelector('input[name=csrf_token]')?.value
                || document.querySelector('meta[name=csrf-token]')?.content || '';
            const body = new URLSearchParams({csrf_token: token, kind: 'weekly', day: 'mon',
                                              start: '18:00', end: '22:00'});
            const r = await fetch('/rota/shifts', {method: 'POST', body});
            return r.status;
        }"""
    )
    assert status == 403

    stranger = browser.new_page(viewport={"width": 1280, "height": 800})
    statuses = []
    for _ in range(6):
        stranger.goto(served + "/login")
        stranger.get_by_label("Email").fill("coordinator@warmline.example.org")
        stranger.get_by_label("Password").fill("not the password")
        with stranger.expect_response(lambda r: r.request.method == "POST") as sent:
            stranger.get_by_role("button", name="Log in").click()
        statuses.append(sent.value.status)
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    expect(stranger.get_by_text("Too many attempts")).to_be_visible()
