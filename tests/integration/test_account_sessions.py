"""Sessions that must end, and accounts that must not crash the audit log (found in review):
logging out ends every session of the account, a copied cookie included; deactivating does too,
for good; an email made of digits is audited by its id, not refused with a 500."""

from __future__ import annotations

from tests.support.dashboard import make_user, post_form, signed_in
from warmline.accounts import users


def test_a_session_cookie_copied_before_logout_no_longer_signs_in(client, wl):
    signed_in(client, wl, "coordinator")
    copied = client.get_cookie("warmline_session")
    assert copied is not None
    post_form(client, "/logout", {})
    client.set_cookie("warmline_session", copied.value)
    assert client.get("/").status_code == 302


def test_activating_an_account_again_does_not_revive_its_old_sessions(client, wl):
    make_user(wl, "coordinator")  # so the viewer is not the last coordinator standing
    account = signed_in(client, wl, "viewer")
    with wl.db.unit_of_work() as session:
        users.deactivate(session, users.get_user(session, account.email))
    assert client.get("/").status_code == 302
    with wl.db.unit_of_work() as session:
        users.activate(users.get_user(session, account.email))
    assert client.get("/").status_code == 302


def test_an_email_made_of_digits_is_added_or_refused_not_a_500(client, wl):
    signed_in(client, wl, "coordinator")
    response = post_form(
        client,
        "/users",
        {"email": "2025550187@example.org", "role": "viewer", "password": "a long passphrase!"},
        page="/users",
    )
    assert response.status_code in (302, 400)
