"""Who is signed in, what they may do, and how long a sign-in lasts.

A session lives in Flask's signed cookie (no per-process state, so any web instance serves any
request). It ends ``SESSION_HOURS`` after the sign-in whatever happens, and after ``IDLE_MINUTES``
without the person doing anything: the live view's own refresh (``PASSIVE_ENDPOINTS``) is answered
but is not activity, so a page left open on an unattended laptop still signs out; any page opened
or form sent is activity.
The session names the account by id plus a fingerprint of its password hash, so a password reset
or a deactivation signs the account out everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user

from warmline.accounts.roles import can
from warmline.audit import Actor
from warmline.bootstrap import Warmline
from warmline.db.models import User

SESSION_HOURS = 8
IDLE_MINUTES = 60
# Requests a page makes by itself, with nobody at the keyboard: they never extend the idle limit.
PASSIVE_ENDPOINTS = frozenset({"dashboard.now_live"})
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Account(UserMixin):  # type: ignore[misc]
    """The signed-in account, detached from the database: what a request needs of it."""

    user_id: int
    email: str
    role: str
    fingerprint: str

    def get_id(self) -> str:
        return f"{self.user_id}.{self.fingerprint}"

    @property
    def actor(self) -> Actor:
        return Actor("user", self.email, self.role)

    def can(self, permission: str) -> bool:
        return can(self.role, permission)


def fingerprint(user: User) -> str:
    """What a session must still match: a new password, a logout or a deactivation (which raise
    the account's session epoch) ends every session made before it."""
    mark = f"{user.password_hash}\x00{user.session_epoch or 0}"
    return hashlib.sha256(mark.encode()).hexdigest()[:16]


def account_of(user: User) -> Account:
    return Account(user.id, user.email, user.role, fingerprint(user))


def warmline() -> Warmline:
    wl: Warmline = current_app.extensions["warmline"]
    return wl


def now() -> dt.datetime:
    """The request's one reading of the clock."""
    if "now" not in g:
        g.now = warmline().clock()
    at: dt.datetime = g.now
    return at


def actor() -> Actor:
    return cast(Account, current_user).actor


def init_login(app: Any) -> None:
    manager = LoginManager(app)
    manager.login_view = "dashboard.login"
    manager.login_message = ""  # the login page says what it needs; no flash on every redirect

    @manager.user_loader
    def load(session_id: str) -> Account | None:
        user_id, _, mark = session_id.partition(".")
        if not user_id.isdigit() or not _session_current():
            return None
        with warmline().db.unit_of_work() as db:
            user = db.get(User, int(user_id))
            if user is None or not user.active or fingerprint(user) != mark:
                return None
            return account_of(user)

    @manager.unauthorized_handler
    def unauthorized() -> Any:
        target = url_for("dashboard.login", next=request.full_path.rstrip("?"))
        if request.headers.get("HX-Request"):
            # A refresh of the live view after the session ended: send the whole page to login.
            return "", 401, {"HX-Redirect": target}
        return redirect(target)


def start_session(account: Account, at: dt.datetime) -> None:
    session.clear()  # nothing from before the sign-in survives it (no fixation)
    session.permanent = True
    session["since"] = at.timestamp()
    session["seen"] = at.timestamp()


def _session_current() -> bool:
    """Whether the sign-in is within its lifetime and idle limit; notes this request as seen
    unless the page made it by itself (``PASSIVE_ENDPOINTS``)."""
    at = now().timestamp()
    since, seen = session.get("since"), session.get("seen")
    if not isinstance(since, float) or not isinstance(seen, float):
        return False
    if at - since > SESSION_HOURS * 3600 or at - seen > IDLE_MINUTES * 60:
        session.clear()
        return False
    if request.endpoint not in PASSIVE_ENDPOINTS:
        session["seen"] = at
    return True


def require(permission: str) -> Callable[[F], F]:
    """A view for accounts whose role has ``permission``: no sign-in redirects to /login?next=,
    a role without it gets 403."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not can(current_user.role, permission):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def session_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=SESSION_HOURS)
