"""``/escalations``: every escalation, newest first; acknowledge (as ``#ack`` does) and note."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from warmline.queries import escalations as query
from warmline.services import escalations as service
from warmline.web.dashboard.access import actor, now, require, warmline
from warmline.web.dashboard.auth import safe_next
from warmline.web.dashboard.blueprint import bp

PER_PAGE = 25


class NoteForm(FlaskForm):  # type: ignore[misc]
    note = TextAreaField("Note", validators=[DataRequired(), Length(max=service.MAX_NOTE)])


@bp.get("/escalations", endpoint="escalations")
@require("handle_escalations")
def escalations_page() -> Any:
    open_only = request.args.get("show") == "open"
    offset = request.args.get("offset", 0, type=int)
    with warmline().db.unit_of_work() as session:
        page = query.recent(session, open_only=open_only, limit=PER_PAGE, offset=offset)
    return render_template("escalations.html", page=page, open_only=open_only, at=now())


@bp.post("/escalations/<int:escalation_id>/acknowledge", endpoint="escalation_acknowledge")
@require("handle_escalations")
def acknowledge(escalation_id: int) -> Any:
    wl = warmline()
    with wl.db.unit_of_work() as session:
        result = service.acknowledge(session, wl.context, actor(), escalation_id, now())
    flash(result.message, "ok" if result.changed else "warn")
    return redirect(safe_next(request.form.get("next") or url_for("dashboard.escalations")))


@bp.post("/escalations/<int:escalation_id>/note", endpoint="escalation_note")
@require("handle_escalations")
def note(escalation_id: int) -> Any:
    form = NoteForm()
    if not form.validate_on_submit():
        flash("Write the note first (at most 1000 characters).", "error")
    else:
        try:
            with warmline().db.unit_of_work() as session:
                service.add_note(session, actor(), escalation_id, form.note.data, now())
            flash(f"Note added to escalation #{escalation_id}.", "ok")
        except service.EscalationError as exc:
            flash(str(exc), "error")
    return redirect(url_for("dashboard.escalations", _anchor=f"escalation-{escalation_id}"))
