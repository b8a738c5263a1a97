"""Signing in to the dashboard: redirects, roles, CSRF, throttling, session expiry, TOTP."""

from __future__ import annotations

import socket

import pytest

from tests.support.dashboard import PASSWORD, csrf_token, log_in, make_user, post_form, signed_in
from warmline.accounts import totp, users
from warmline.app import create_app


def test_login_page_has_labelled_fields_and_a_log_in_button(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert 'value="Log in"' in page


def test_a_page_without_a_session_redirects_to_login_with_next(client):
    response = client.get("/escalations?show=open")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/escalations?show%3Dopen"


def test_the_live_refresh_without_a_session_sends_the_page_to_login(client):
    response = client.get("/now/live", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=/now/live")


def test_logging_in_goes_to_next_and_shows_the_live_view(client, wl):
    account = make_user(wl, "supervisor")
    token = csrf_token(client)
    response = client.post(
        "/login?next=/escalations",
        data={"email": account.email.upper(), "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/escalations"
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Now</h1>" in page
    assert "supervisor@warmline.example.org" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_next_never_leaves_the_site(client, wl, target):
    account = make_user(wl)
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": account.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, wl):
    account = make_user(wl)
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": account.email, "password": "wrong password!", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "That email and password do not match an active account." in response.get_data(
        as_text=True
    )
    assert client.get("/").status_code == 302


def test_a_deactivated_account_cannot_log_in(client, wl):
    account = make_user(wl, "viewer")
    make_user(wl, "coordinator")
    with wl.db.unit_of_work() as session:
        users.deactivate(session, users.get_user(session, account.email))
    assert log_in(client, account).status_code == 401


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("viewer", "/", 200),
        ("viewer", "/escalations", 403),
        ("viewer", "/conversations", 403),
        ("viewer", "/audit", 403),
        ("viewer", "/users", 403),
        ("supervisor", "/escalations", 200),
        ("supervisor", "/conversations", 200),
        ("supervisor", "/audit", 403),
        ("supervisor", "/users", 403),
        ("coordinator", "/audit", 200),
        ("coordinator", "/users", 200),
    ],
)
def test_each_role_reaches_only_its_pages(client, wl, role, path, status):
    signed_in(client, wl, role)
    response = client.get(path)
    assert response.status_code == status
    if status == 403:
        assert "role does not include this page" in response.get_data(as_text=True)


def test_the_menu_lists_only_the_pages_of_the_role(client, wl):
    signed_in(client, wl, "supervisor")
    page = client.get("/").get_data(as_text=True)
    for shown in ('href="/escalations"', 'href="/conversations"'):
        assert shown in page
    for hidden in ('href="/audit"', 'href="/users"'):
        assert hidden not in page


def test_a_form_without_its_csrf_token_is_refused_with_400(client, wl):
    signed_in(client, wl)
    response = client.post("/logout")
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still signed in
    response = client.post("/logout", data={"csrf_token": "forged"})
    assert response.status_code == 400


def test_login_itself_needs_the_csrf_token(client, wl):
    account = make_user(wl)
    response = client.post("/login", data={"email": account.email, "password": PASSWORD})
    assert response.status_code == 400


def test_twilio_webhooks_are_not_asked_for_a_csrf_token(twilio, people):
    people.volunteer()
    twilio.sms("+15557770001", "hello")  # asserts 200


def test_logout_ends_the_session(client, wl):
    signed_in(client, wl)
    response = post_form(client, "/logout", {})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_five_failures_from_one_address_then_429(client, wl):
    account = make_user(wl)
    wrong = {"email": account.email, "password": "not the password"}
    for _ in range(5):
        token = csrf_token(client)
        assert client.post("/login", data=wrong | {"csrf_token": token}).status_code == 401
    token = csrf_token(client)
    response = client.post("/login", data=wrong | {"csrf_token": token})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Even the right password waits: the throttle answers before the password is checked.
    assert log_in(client, account).status_code == 429
    # Another address is not blocked for another account.
    other = make_user(wl, "viewer")
    assert log_in(client, other, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_failures_for_one_email_are_counted_across_addresses(app, wl):
    account = make_user(wl)
    wrong = {"email": account.email, "password": "not the password"}
    for i in range(5):
        c = app.test_client()
        data = wrong | {"csrf_token": csrf_token(c)}
        assert (
            c.post("/login", data=data, environ_base={"REMOTE_ADDR": f"10.1.0.{i}"}).status_code
            == 401
        )
    c = app.test_client()
    data = wrong | {"csrf_token": csrf_token(c)}
    assert c.post("/login", data=data, environ_base={"REMOTE_ADDR": "10.1.0.9"}).status_code == 429


def test_successful_logins_are_not_throttled(app, wl):
    account = make_user(wl)
    for _ in range(8):
        c = app.test_client()
        assert log_in(c, account).status_code == 302


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_two_web_instances_share_the_count_through_redis(wl, database_url):
    """Several web processes behind one address: failures at one count at the other."""
    import uuid

    from tests.conftest import settings_for
    from warmline.bootstrap import bootstrap

    url = f"redis://127.0.0.1:6379/{15}"
    account = make_user(wl, email=f"redis-{uuid.uuid4().hex[:8]}@warmline.example.org")
    instances = [
        bootstrap(
            settings_for(database_url, None, RATELIMIT_STORAGE_URI=url),
            sender=wl.sender,
            clock=wl.clock,
        )
        for _ in range(2)
    ]
    apps = [create_app(instance) for instance in instances]
    try:
        wrong = {"email": account.email, "password": "not the password"}
        for i in range(5):
            c = apps[i % 2].test_client()
            data = wrong | {"csrf_token": csrf_token(c)}
            env = {"REMOTE_ADDR": f"10.2.{uuid.uuid4().int % 250}.{i}"}
            assert c.post("/login", data=data, environ_base=env).status_code == 401
        c = apps[1].test_client()
        assert log_in(c, account, REMOTE_ADDR="10.3.0.1").status_code == 429
    finally:
        # Their pools would otherwise be closed by the garbage collector during a later test,
        # as a ResourceWarning that fails whichever test happens to be running.
        for instance in instances:
            instance.db.dispose()


def test_a_session_ends_eight_hours_after_login(client, wl, clock):
    signed_in(client, wl)
    for _ in range(8):  # active all along: each request within the idle limit
        clock.advance(minutes=55)
        assert client.get("/").status_code == 200
    clock.advance(minutes=45)  # 8 h 05 min after signing in
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_session_ends_after_an_hour_without_a_request(client, wl, clock):
    signed_in(client, wl)
    clock.advance(minutes=59)
    assert client.get("/").status_code == 200
    clock.advance(minutes=61)
    assert client.get("/").status_code == 302
    clock.advance(minutes=1)
    assert client.get("/").status_code == 302  # stays ended


def test_the_live_refresh_does_not_keep_an_idle_session_open(client, wl, clock):
    signed_in(client, wl)
    assert client.get("/").status_code == 200
    live = {"HX-Request": "true", "HX-Trigger": "live"}
    for _ in range(11):  # a page left open, refreshing itself, for 55 minutes
        clock.advance(minutes=5)
        assert client.get("/now/live", headers=live).status_code == 200
    clock.advance(minutes=6)  # 61 minutes after the last thing the person did
    response = client.get("/now/live", headers=live)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
    assert client.get("/").status_code == 302


def test_using_the_dashboard_keeps_the_session_open_past_the_idle_limit(client, wl, clock):
    signed_in(client, wl)
    live = {"HX-Request": "true", "HX-Trigger": "live"}
    clock.advance(minutes=50)
    assert client.get("/now/live", headers=live).status_code == 200
    assert client.get("/escalations").status_code == 200  # the coordinator opens a page
    clock.advance(minutes=50)  # 100 minutes after signing in, 50 after the last page
    assert client.get("/now/live", headers=live).status_code == 200
    assert client.get("/").status_code == 200


def test_the_session_cookie_is_httponly_and_lax(client, wl):
    account = make_user(wl)
    response = log_in(client, account)
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_password_reset_signs_the_account_out_everywhere(app, client, wl):
    account = make_user(wl)
    assert log_in(client, account).status_code == 302
    with wl.db.unit_of_work() as session:
        users.set_password(users.get_user(session, account.email), "another long passphrase")
    assert client.get("/").status_code == 302


def test_an_account_with_totp_needs_its_code(client, wl, clock):
    account = make_user(wl, "coordinator", totp=True)
    response = log_in(client, account)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/code")
    assert client.get("/").status_code == 302  # not signed in by the password alone
    assert last_login(wl, account.email) is None  # nor shown on /users as having signed in
    page = client.get("/login/code").get_data(as_text=True)
    assert "Code from your authenticator app" in page
    token = csrf_token(client, "/login/code")
    response = client.post("/login/code", data={"code": "000000", "csrf_token": token})
    assert response.status_code == 401
    assert account.totp_secret
    code = totp.code_at(account.totp_secret, clock())
    response = client.post("/login/code", data={"code": code, "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert last_login(wl, account.email) == clock()


def last_login(wl, email):
    from warmline.accounts import users as accounts

    with wl.db.unit_of_work() as session:
        return accounts.get_user(session, email).last_login_at


def test_a_totp_code_cannot_sign_in_twice(app, client, wl, clock):
    account = make_user(wl, "coordinator", totp=True)
    assert account.totp_secret
    code = totp.code_at(account.totp_secret, clock())
    log_in(client, account)
    token = csrf_token(client, "/login/code")
    assert client.post("/login/code", data={"code": code, "csrf_token": token}).status_code == 302
    # Someone else, with the password and the code they saw typed, 10 seconds later.
    clock.advance(seconds=10)
    other = app.test_client()
    log_in(other, account)
    token = csrf_token(other, "/login/code")
    response = other.post("/login/code", data={"code": code, "csrf_token": token})
    assert response.status_code == 401
    assert other.get("/").status_code == 302


def test_the_code_step_expires(client, wl, clock):
    account = make_user(wl, "coordinator", totp=True)
    log_in(client, account)
    clock.advance(minutes=6)
    assert account.totp_secret
    token = csrf_token(client, "/login")
    code = totp.code_at(account.totp_secret, clock())
    response = client.post("/login/code", data={"code": code, "csrf_token": token})
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_wrong_codes_are_throttled(client, wl):
    account = make_user(wl, "coordinator", totp=True)
    log_in(client, account)
    token = csrf_token(client, "/login/code")
    for _ in range(5):
        assert (
            client.post("/login/code", data={"code": "000000", "csrf_token": token}).status_code
            == 401
        )
    assert (
        client.post("/login/code", data={"code": "000000", "csrf_token": token}).status_code == 429
    )


def test_logins_and_logouts_are_in_the_audit_log(client, wl):
    from warmline.audit import entries

    signed_in(client, wl)
    post_form(client, "/logout", {})
    with wl.db.unit_of_work() as session:
        rows, total = entries(session)
    assert [r.action for r in rows] == ["user.logout", "user.login"]
    assert rows[0].actor_name == "coordinator@warmline.example.org"
