"""``/users``: the dashboard's accounts: add, deactivate, activate, reset a password, turn the
second factor (TOTP) on and off (coordinators only; every change through ``services.users``, so
it is audited).

Deactivating an account and turning its second factor off each ask "are you sure?" first, on a
small page of their own (no JavaScript): the POST that makes the change carries ``confirm=yes``,
which only that page's button sends; a POST without it is sent to the question. Turning TOTP on
shows the new secret and its ``otpauth://`` URI once, on the response to that POST, never again.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from warmline.accounts import AccountError, users
from warmline.accounts.roles import ROLES
from warmline.services import users as service
from warmline.web.dashboard.access import actor, now, require, warmline
from warmline.web.dashboard.blueprint import bp


class AddUserForm(FlaskForm):  # type: ignore[misc]
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField(
        "Role", choices=[SelectChoice(r, r.capitalize()) for r in ROLES], default="viewer"
    )
    password = PasswordField(
        "First password",
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )


@bp.route("/users", methods=["GET", "POST"], endpoint="users")
@require("manage_users")
def users_page() -> Any:
    form = AddUserForm()
    if form.validate_on_submit():
        try:
            with warmline().db.unit_of_work() as session:
                user = service.add_user(
                    session, actor(), form.email.data, form.password.data, form.role.data, now()
                )
                flash(f"{user.email} can now log in as {user.role}.", "ok")
            # The form posts to /users#add (so a refusal shows next to it); "top" overrides the
            # fragment a redirect would otherwise inherit, so the confirmation is in view.
            return redirect(url_for("dashboard.users", _anchor="top"))
        except AccountError as exc:
            form.email.errors.append(str(exc))
    with warmline().db.unit_of_work() as session:
        accounts = [
            {
                "email": u.email,
                "role": u.role,
                "active": u.active,
                "totp": u.totp_secret is not None,
                "last_login_at": u.last_login_at,
                "failed_logins": u.failed_logins,
            }
            for u in users.list_users(session)
        ]
    return render_template(
        "users.html", form=form, accounts=accounts, password_form=PasswordForm()
    ), 400 if form.errors else 200


# What each change that asks first says on its question page: (title, explanation, button).
CONFIRM = {
    "deactivate": (
        "Deactivate {email}?",
        "They can no longer log in, and any session they have open ends at its next page. "
        "Their entries in the audit log stay. You can activate the account again later.",
        "Deactivate",
    ),
    "totp-off": (
        "Turn off two-step sign-in for {email}?",
        "They will log in with their password alone. Do this when they have lost their "
        "authenticator app; turn it on again afterwards to give them a new secret.",
        "Turn off two-step sign-in",
    ),
}


@bp.get('/users/<path:email>/<any(deactivate, "totp-off"):change>', endpoint="user_confirm")
@require("manage_users")
def user_confirm(email: str, change: str) -> Any:
    """The "are you sure?" page of a change that locks someone out or weakens their sign-in."""
    with warmline().db.unit_of_work() as session:
        user = users.find_user(session, email)
        if user is None:
            abort(404)
        email = user.email
    title, explanation, button = CONFIRM[change]
    return render_template(
        "user_confirm.html",
        title=title.format(email=email),
        explanation=explanation,
        button=button,
        action=url_for("dashboard.user_change", email=email, change=change),
    )


@bp.post(
    '/users/<path:email>/<any(deactivate, activate, "totp-off"):change>',
    endpoint="user_change",
)
@require("manage_users")
def user_change(email: str, change: str) -> Any:
    if change in CONFIRM and request.form.get("confirm") != "yes":
        return redirect(url_for("dashboard.user_confirm", email=email, change=change))
    acts = {
        "deactivate": (service.deactivate, "{email} is deactivated."),
        "activate": (service.activate, "{email} is active again."),
        "totp-off": (service.disable_totp, "{email} logs in with their password alone now."),
    }
    act, done = acts[change]
    try:
        with warmline().db.unit_of_work() as session:
            act(session, actor(), email, now())
        flash(done.format(email=email), "ok")
    except AccountError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dashboard.users"))


@bp.post("/users/<path:email>/totp-on", endpoint="user_totp_on")
@require("manage_users")
def user_totp_on(email: str) -> Any:
    """Give the account a new TOTP secret and show it, with its URI, this once."""
    wl = warmline()
    try:
        with wl.db.unit_of_work() as session:
            user, secret, uri = service.enable_totp(
                session, actor(), email, wl.vault, wl.settings.line.name, now()
            )
            email = user.email
    except AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.users"))
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    response = make_response(
        render_template("user_totp.html", email=email, secret=grouped, uri=uri)
    )
    # The secret is shown once: no browser or proxy may keep a copy of this page.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/users/<path:email>/password", endpoint="user_password")
@require("manage_users")
def user_password(email: str) -> Any:
    form = PasswordForm()
    if not form.validate_on_submit():
        flash("Type the new password.", "error")
        return redirect(url_for("dashboard.users"))
    try:
        with warmline().db.unit_of_work() as session:
            service.reset_password(session, actor(), email, form.password.data, now())
        flash(f"{email} has a new password; their open sessions are ended.", "ok")
    except AccountError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dashboard.users"))
