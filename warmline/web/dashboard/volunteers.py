"""``/volunteers``: the list, add, edit, activate/deactivate, CSV import and export.

Coordinators only (``edit_volunteers``; the phone numbers need ``view_volunteer_phones`` too).
Each change is one call to :mod:`warmline.services.volunteers` or
:mod:`~warmline.services.volunteer_csv`. An import is two steps with nothing kept on the server
between them (any web instance may serve the second): the preview page carries the file's text
in a hidden field, and the commit checks every row again before adding the good ones.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from warmline.people import AdminError, find_volunteer
from warmline.services import volunteer_csv, volunteers
from warmline.web.dashboard.access import actor, now, require, warmline
from warmline.web.dashboard.blueprint import bp


def _list(status: int = 200, **extra: Any) -> Any:
    with warmline().db.unit_of_work() as session:
        found = volunteers.listing(session)
        context = {"volunteers": found, "values": MultiDict(), "error": None} | extra
        return render_template("volunteers.html", **context), status


@bp.get("/volunteers", endpoint="volunteers")
@require("edit_volunteers")
def volunteers_page() -> Any:
    return _list()


def _capacity(value: str | None) -> int | None:
    if not value:
        return None
    if not value.strip().isdigit():
        raise AdminError(f"capacity must be a whole number, got {value!r}")
    return int(value)


@bp.post("/volunteers", endpoint="volunteer_add")
@require("edit_volunteers")
def add() -> Any:
    form, wl = request.form, warmline()
    try:
        with wl.db.unit_of_work() as session:
            v = volunteers.add(
                session,
                actor(),
                wl.settings,
                now(),
                name=form.get("name", ""),
                number=form.get("phone", ""),
                role=form.get("role", "volunteer"),
                capacity=_capacity(form.get("capacity")),
                languages=form.get("languages", ""),
            )
            said = f"Added {v.name}."
    except AdminError as exc:
        return _list(400, values=form, error=str(exc))
    flash(said, "ok")
    # The form posted to a #fragment (so a refusal shows next to it); "top" overrides the
    # fragment the redirect would inherit, so the confirmation at the top is in view.
    return redirect(url_for("dashboard.volunteers", _anchor="top"))


@bp.route("/volunteers/<int:volunteer_id>/edit", methods=["GET", "POST"], endpoint="volunteer_edit")
@require("edit_volunteers")
def edit(volunteer_id: int) -> Any:
    wl = warmline()
    if request.method == "POST":
        form = request.form
        try:
            with wl.db.unit_of_work() as session:
                v = volunteers.edit(
                    session,
                    actor(),
                    wl.settings,
                    now(),
                    str(volunteer_id),
                    name=form.get("name"),
                    number=form.get("phone"),
                    role=form.get("role"),
                    capacity=_capacity(form.get("capacity")),
                    languages=form.get("languages"),
                )
                said = f"Saved {v.name}."
        except AdminError as exc:
            return render_template(
                "volunteer_edit.html", volunteer_id=volunteer_id, values=form, error=str(exc)
            ), 400
        flash(said, "ok")
        return redirect(url_for("dashboard.volunteers"))
    with wl.db.unit_of_work() as session:
        try:
            v = find_volunteer(session, str(volunteer_id))
        except AdminError:
            abort(404)
        values = MultiDict(
            {
                "name": v.name,
                "phone": v.phone,
                "role": v.role,
                "capacity": str(v.capacity),
                "languages": v.languages,
            }
        )
    return render_template(
        "volunteer_edit.html", volunteer_id=volunteer_id, values=values, error=None
    )


@bp.post(
    "/volunteers/<int:volunteer_id>/<any(activate, deactivate):action>", endpoint="volunteer_state"
)
@require("edit_volunteers")
def set_state(volunteer_id: int, action: str) -> Any:
    wl = warmline()
    try:
        with wl.db.unit_of_work() as session:
            if action == "activate":
                v = volunteers.activate(session, actor(), wl.settings, now(), str(volunteer_id))
                said = f"{v.name} is active again: their shifts count once more."
            else:
                v, open_count = volunteers.deactivate(
                    session, actor(), wl.settings, now(), str(volunteer_id)
                )
                said = f"{v.name} is deactivated; they keep {open_count} open conversation(s)."
    except AdminError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.volunteers"))
    flash(said, "ok")
    # The form posted to a #fragment (so a refusal shows next to it); "top" overrides the
    # fragment the redirect would inherit, so the confirmation at the top is in view.
    return redirect(url_for("dashboard.volunteers", _anchor="top"))


def _uploaded_text() -> str:
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        try:
            return upload.read(volunteer_csv.MAX_BYTES + 1).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AdminError("the file is not UTF-8 text: save it as 'CSV UTF-8'") from None
    return request.form.get("text", "")


@bp.post("/volunteers/import", endpoint="volunteer_import")
@require("edit_volunteers")
def import_preview() -> Any:
    """Step one: every row checked, nothing written."""
    wl = warmline()
    try:
        text = _uploaded_text()
        with wl.db.unit_of_work() as session:
            preview = volunteer_csv.preview(session, wl.settings, text, now())
    except AdminError as exc:
        return _list(400, import_error=str(exc))
    return render_template("volunteer_import.html", preview=preview, text=text)


@bp.post("/volunteers/import/commit", endpoint="volunteer_import_commit")
@require("edit_volunteers")
def import_commit() -> Any:
    """Step two: check again, add the good rows (the preview said which would be left out)."""
    wl = warmline()
    text = request.form.get("text", "")
    try:
        with wl.db.unit_of_work() as session:
            added, checked = volunteer_csv.commit(
                session, actor(), wl.settings, text, now(), skip_bad=True
            )
            said = f"Imported {len(added)} volunteer(s)" + (
                f"; left out {len(checked.bad)} row(s) with errors." if checked.bad else "."
            )
    except AdminError as exc:
        return _list(400, import_error=str(exc))
    flash(said, "ok")
    # The form posted to a #fragment (so a refusal shows next to it); "top" overrides the
    # fragment the redirect would inherit, so the confirmation at the top is in view.
    return redirect(url_for("dashboard.volunteers", _anchor="top"))


@bp.get("/volunteers/export.csv", endpoint="volunteer_export")
@require("view_volunteer_phones")
def export() -> Any:
    wl = warmline()
    with wl.db.unit_of_work() as session:
        text = volunteer_csv.export(session, actor(), now())
    stamp = now().astimezone(wl.settings.line.timezone).strftime("%Y-%m-%d")
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="volunteers-{stamp}.csv"',
            "Cache-Control": "no-store",  # volunteers' numbers: no copy in a cache
        },
    )
