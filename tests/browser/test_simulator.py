"""The phone simulator in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (scripts/test installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser.new_page()
        browser.close()


def test_text_the_line_and_answer_as_a_volunteer(demo, page):
    demo_url, _ = demo
    from playwright.sync_api import expect

    page.goto(f"{demo_url}/simulator/")
    expect(page.get_by_role("heading", name="Riverside Warmline – phone simulator")).to_be_visible()
    contact = page.locator(".phone").first
    contact.get_by_label("message").fill("hi, it's been a rough night 🌧")
    contact.get_by_role("button", name="Send").click()
    expect(contact.locator(".msg.out")).to_contain_text("rough night")
    # One volunteer's phone shows the relayed text under an alias, never the number.
    relayed = page.locator(".phone .msg.in", has_text="] hi, it's been a rough night 🌧")
    expect(relayed).to_have_count(1, timeout=10_000)
    assert "+15555550123" not in relayed.inner_text()
    volunteer = page.locator(".phone").filter(
        has=page.locator(".msg.in", has_text="] hi, it's been a rough night")
    )
    volunteer.get_by_label("message").fill("I'm here with you. Want to tell me about it?")
    relay_number = relayed.locator(".meta").inner_text().removeprefix("from ")
    volunteer.locator("select").select_option(relay_number)
    volunteer.get_by_role("button", name="Send").click()
    expect(contact.locator(".msg.in", has_text="I'm here with you")).to_be_visible(timeout=10_000)
    page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "simulator.png"))
