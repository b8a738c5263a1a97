"""Signing in and out: email and password, then the TOTP code when the account has one.

The password step leaves only ``pending_user`` (and when) in the session; the account is signed
in by the code step, within ``PENDING_MINUTES``. Wrong passwords and codes are counted by
:mod:`warmline.web.dashboard.limits`; successes and sign-outs go in the audit log.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from warmline.accounts import users
from warmline.db.models import User
from warmline.services import users as user_service
from warmline.web.dashboard.access import account_of, now, start_session, warmline
from warmline.web.dashboard.blueprint import bp

PENDING_MINUTES = 5


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        "Email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Log in")


class CodeForm(FlaskForm):  # type: ignore[misc]
    code = StringField(
        "Code from your authenticator app",
        validators=[DataRequired(), Length(min=6, max=8)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField("Verify")


class LogoutForm(FlaskForm):  # type: ignore[misc]
    submit = SubmitField("Log out")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("dashboard.now")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        at = now()
        wl = warmline()
        with wl.db.unit_of_work() as db:
            user = users.authenticate(db, form.email.data, form.password.data, at)
            if user is None:
                g.login_failed = True
                error = "That email and password do not match an active account."
            elif user.totp_secret is not None:
                session.clear()
                session["pending_user"] = user.id
                session["pending_at"] = at.timestamp()
                return redirect(url_for("dashboard.login_code", next=request.args.get("next")))
            else:
                _sign_in(db, user)
                return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST" and not form.errors.get("csrf_token"):
        error = "Enter your email and password."
    status = 401 if error and g.get("login_failed") else 200
    return render_template("login.html", form=form, error=error), status


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> Any:
    at = now()
    pending, started = session.get("pending_user"), session.get("pending_at")
    if not isinstance(pending, int) or not isinstance(started, float):
        return redirect(url_for("dashboard.login"))
    if at.timestamp() - started > PENDING_MINUTES * 60:
        session.clear()
        return redirect(url_for("dashboard.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        wl = warmline()
        with wl.db.unit_of_work() as db:
            user = db.get(User, pending)
            if user is None or not user.active:
                session.clear()
                return redirect(url_for("dashboard.login"))
            if users.verify_totp(user, wl.vault, form.code.data.strip(), at):
                _sign_in(db, user)
                return redirect(safe_next(request.args.get("next")))
            g.login_failed = True
            error = "That code is not right. Codes change every 30 seconds; try the current one."
    return render_template("login_code.html", form=form, error=error), 401 if error else 200


def _sign_in(db: Any, user: User) -> None:
    account = account_of(user)
    start_session(account, now())
    login_user(account)
    user_service.signed_in(db, user, now())


@bp.post("/logout")
def logout() -> Any:
    """Ends every session of the account, not only this browser's: a copy of the cookie taken
    before (a shared computer's, a stolen one) stops working too."""
    form = LogoutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        with warmline().db.unit_of_work() as db:
            user_service.log_out(db, current_user.user_id, now())
        logout_user()
        session.clear()
    return redirect(url_for("dashboard.login"))
