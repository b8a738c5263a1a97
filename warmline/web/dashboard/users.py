"""``/users``: the dashboard's accounts: add, deactivate, activate, reset a password
(coordinators only; every change through ``services.users``, so it is audited)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
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
            return redirect(url_for("dashboard.users"))
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


@bp.post("/users/<path:email>/<any(deactivate, activate):change>", endpoint="user_change")
@require("manage_users")
def user_change(email: str, change: str) -> Any:
    act = service.deactivate if change == "deactivate" else service.activate
    try:
        with warmline().db.unit_of_work() as session:
            act(session, actor(), email, now())
        flash(f"{email} is {'deactivated' if change == 'deactivate' else 'active again'}.", "ok")
    except AccountError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dashboard.users"))


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
    return redirect(url_for("dashboard.users", _anchor="accounts"))
