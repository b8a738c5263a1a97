"""The coordinators' rota, volunteers and reports pages in a real browser, on `warmline demo`
(its four weeks of history, its printed coordinator login). Screenshots of every page at a
laptop's and a phone's size go to $SHOTS_DIR (default /tmp/shots-d2) for a person to look at."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-d2"))
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}
LOGIN = re.compile(r"log in as (\S+), password (\S+)")


@pytest.fixture
def signed_in(demo, browser):
    """A page signed in as the demo's coordinator, with the login the demo printed."""
    base, proc = demo
    from tests.support.processes import wait_until

    wait_until(lambda: LOGIN.search(proc.output()), 10, "the demo to print its login")
    email, password = LOGIN.search(proc.output()).groups()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
    return base, page


def shoot(page, name: str) -> None:
    """The page at each size, whole length, into SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_add_and_edit_a_weekly_shift_on_the_rota(signed_in):
    base, page = signed_in
    from playwright.sync_api import expect

    page.goto(f"{base}/rota")
    expect(page.get_by_role("heading", name="Rota")).to_be_visible()
    expect(page.locator(".rota-grid tbody tr")).to_have_count(24)
    shoot(page, "rota")
    page.get_by_text("Add a weekly shift").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add weekly shift"))
    form.get_by_label("Day").select_option("wed")
    form.get_by_label("Start").fill("18:00")
    form.get_by_label("End").fill("21:00")
    form.get_by_label("Jordan Diaz").first.check()
    form.get_by_role("button", name="Add weekly shift").click()
    expect(page.locator(".flash")).to_contain_text("Added shift w8: Wed 18:00 → 21:00, 3 h.")
    row = page.locator("tr", has=page.get_by_role("cell", name="w8", exact=True))
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit weekly shift w8")).to_be_visible()
    shoot(page, "rota-edit")
    page.get_by_label("End").fill("22:30")
    page.get_by_label("Sam Lee").last.check()  # the supervisors' list
    page.get_by_role("button", name="Save shift").click()
    expect(page.locator(".flash")).to_contain_text("Weekly shift w8 is now Wed 18:00 → 22:30")
    expect(row).to_contain_text("Sam Lee ★")
    page.get_by_text("Add a weekly shift").click()
    form.get_by_label("Start").fill("18:00")
    form.get_by_label("End").fill("18:00")
    form.get_by_label("Alex Kim").first.check()
    form.get_by_role("button", name="Add weekly shift").click()
    expect(page.get_by_role("alert")).to_contain_text("the shift starts and ends at 18:00")
    shoot(page, "rota-error")


def test_import_a_csv_with_one_bad_row(signed_in):
    base, page = signed_in
    from playwright.sync_api import expect

    page.goto(f"{base}/volunteers")
    expect(page.get_by_role("cell", name="+15551230001")).to_be_visible()  # a coordinator's view
    shoot(page, "volunteers")
    csv_text = (
        "name,phone,role,languages\n"
        "Robin Park,+15555550141,volunteer,en\n"
        "Casey Moss,555-0142,volunteer,en\n"
        'Dana Wu,+15555550143,supervisor,"en,es"\n'
    )
    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}
    )
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("status")).to_contain_text("2 ready")
    bad = page.locator("tr.bad")
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text("Casey Moss")
    expect(bad).to_contain_text("area code missing")
    shoot(page, "volunteers-import")
    page.get_by_role("button", name=re.compile(r"Import 2 volunteers, leave out 1 row")).click()
    expect(page.locator(".flash")).to_contain_text(
        "Imported 2 volunteer(s); left out 1 row(s) with errors."
    )
    expect(page.get_by_role("cell", name="Dana Wu", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Casey Moss", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Edit Dana Wu").click()
    shoot(page, "volunteer-edit")


def test_read_a_report(signed_in):
    base, page = signed_in
    from playwright.sync_api import expect

    page.goto(f"{base}/reports")
    expect(page.get_by_role("heading", name="Contacts per day")).to_be_visible()
    contacts = page.locator(".figure", has_text="contacts (").locator("b")
    assert int(contacts.inner_text()) > 400  # the demo's four weeks
    expect(page.locator("svg.chart[aria-label='Contacts per day'] rect.bar")).to_have_count(28)
    expect(page.locator(".heatmap tbody tr")).to_have_count(7)
    answered = page.locator(".figure", has_text="answered").locator("b")
    assert int(answered.inner_text()) > 50
    with page.expect_download() as download:
        page.locator("#day-h").locator("..").get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.startswith("contacts-per-day-")
    shoot(page, "reports")
