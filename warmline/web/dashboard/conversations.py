"""``/conversations``: metadata with filters for every role that may see it; a transcript only
for coordinators, after they say why (``services.conversations.view_transcript`` audits it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from warmline.people import volunteer_names
from warmline.queries import conversations as query
from warmline.services import conversations as service
from warmline.web.dashboard.access import actor, now, require, warmline
from warmline.web.dashboard.blueprint import bp

PER_PAGE = 50
OUTCOMES = (
    "open", "ended", "idle", "opted_out", "blocked",
    "answered", "missed", "voicemail", "crisis-transfer", "abandoned",
)  # fmt: skip


class ReasonForm(FlaskForm):  # type: ignore[misc]
    reason = StringField(
        "Why do you need to read this conversation?",
        validators=[DataRequired(), Length(min=service.MIN_REASON, max=service.MAX_REASON)],
    )


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> dict[str, Any]:
    """The list's filters from the query string; dates are the line's local days."""
    tz = warmline().settings.line.timezone
    since, until = _date("since"), _date("until")
    escalated = {"yes": True, "no": False}.get(request.args.get("escalated", ""))
    outcome = request.args.get("outcome") or None
    volunteer = request.args.get("volunteer", type=int)
    return {
        "since": dt.datetime.combine(since, dt.time(), tz) if since else None,
        "until": dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tz)
        if until
        else None,
        "escalated": escalated,
        "outcome": outcome if outcome in OUTCOMES else None,
        "volunteer_id": volunteer,
    }


@bp.get("/conversations", endpoint="conversations")
@require("view_conversations")
def conversations_page() -> Any:
    offset = request.args.get("offset", 0, type=int)
    with warmline().db.unit_of_work() as session:
        page = query.page(session, **_filters(), limit=PER_PAGE, offset=offset)
        names = volunteer_names(session)
    volunteers = sorted(names.items(), key=lambda item: (item[1], item[0]))
    args = {k: v for k, v in request.args.items() if k != "offset" and v}
    return render_template(
        "conversations.html",
        page=page,
        volunteers=volunteers,
        outcomes=OUTCOMES,
        args=args,
    )


@bp.route("/conversations/<int:conversation_id>", methods=["GET", "POST"], endpoint="transcript")
@require("view_transcript")
def transcript_page(conversation_id: int) -> Any:
    """GET asks for the reason; POST with one shows the transcript (never kept in a URL)."""
    form = ReasonForm()
    shown = None
    if form.validate_on_submit():
        try:
            with warmline().db.unit_of_work() as session:
                shown = service.view_transcript(
                    session, actor(), conversation_id, form.reason.data, now()
                )
        except service.NoSuchConversation:
            abort(404)
        except service.TranscriptRefused as exc:
            flash(str(exc), "error")
            return redirect(url_for("dashboard.transcript", conversation_id=conversation_id))
    response = make_response(
        render_template("transcript.html", form=form, conversation_id=conversation_id, shown=shown)
    )
    # A person's words: no browser (back button on a shared computer) or proxy keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response
