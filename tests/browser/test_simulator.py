"""The phone simulator in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest


@pytest.fixture
def page(browser):
    return browser.new_page()


SHOTS = Path(os.environ.get("TMPDIR", "/tmp"))


def test_text_the_line_and_answer_as_a_volunteer(demo, page):
    """The demo's first conversation, by clicks alone: the reply goes where the text came from."""
    demo_url, _ = demo
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{demo_url}/simulator/")
    expect(page.get_by_role("heading", name="Riverside Warmline – phone simulator")).to_be_visible()
    contact = page.get_by_role("region", name="Contact's phone")
    expect(contact.locator("select")).to_have_value("+15550100000")
    contact.get_by_label("message").fill("hi, it's been a rough night 🌧")
    contact.get_by_role("button", name="Send").click()
    expect(contact.locator(".msg.out")).to_contain_text("rough night")
    # One volunteer's phone shows the relayed text under an alias, never the number, with the
    # time it arrived.
    relayed = page.locator(".phone .msg.in", has_text="] hi, it's been a rough night 🌧")
    expect(relayed).to_have_count(1, timeout=10_000)
    assert "+15555550123" not in relayed.inner_text()
    expect(relayed.locator("time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert relayed.locator("time").get_attribute("datetime")
    relay_number = relayed.locator(".meta").inner_text().split("from ", 1)[1]
    assert relay_number in ("+15550100001", "+15550100002")
    volunteer = page.locator(".phone").filter(
        has=page.locator(".msg.in", has_text="] hi, it's been a rough night")
    )
    # The reply selector follows the conversation: no need to pick the relay number.
    expect(volunteer.locator("select")).to_have_value(relay_number)
    volunteer.get_by_label("message").fill("I'm here with you. Want to tell me about it?")
    volunteer.get_by_role("button", name="Send").click()
    answer = contact.locator(".msg.in", has_text="I'm here with you")
    expect(answer).to_be_visible(timeout=10_000)
    expect(answer.locator("time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(contact.locator(".msg.out time").first).to_have_text(re.compile(r"^\d\d:\d\d$"))
    page.screenshot(path=str(SHOTS / "simulator-laptop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "simulator-phone.png"), full_page=True)


def test_the_page_says_who_is_a_supervisor_and_who_is_on_shift(demo, page):
    demo_url, _ = demo
    from playwright.sync_api import expect

    page.goto(f"{demo_url}/simulator/")
    sam = page.get_by_role("region", name="Sam Lee's phone")
    expect(sam.locator(".role")).to_have_text("Supervisor")
    for name in ("Alex Kim", "Jordan Diaz"):
        expect(page.get_by_role("region", name=f"{name}'s phone").locator(".role")).to_have_text(
            "Volunteer"
        )
    # The demo's rota covers every hour.
    expect(page.locator(".phone .status")).to_have_count(3)
    for status in page.locator(".phone .status").all():
        expect(status).to_have_text(re.compile(r"^On shift until \w{3} \d\d:\d\d$"))


def test_a_refused_text_says_why_on_the_phone(demo, page):
    demo_url, _ = demo
    from playwright.sync_api import expect

    page.goto(f"{demo_url}/simulator/")
    contact = page.get_by_role("region", name="Contact's phone")
    contact.get_by_label("contact number").fill("+15550100001")
    contact.get_by_label("message").fill("hello")
    contact.get_by_role("button", name="Send").click()
    expect(contact.get_by_role("alert")).to_have_text(
        "from: +15550100001 is one of the line's own numbers; text from a phone"
    )
