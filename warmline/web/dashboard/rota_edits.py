"""Editing a one-off shift or an override of ``/rota`` in place, on a page of its own.

Same contract as :mod:`warmline.web.dashboard.rota`: ``edit_rota`` only; each save is one call
of :mod:`warmline.services.rota_edits` (audited); a refusal (AdminError) re-shows the form with the
message above it and what was typed still in it (status 400); a save goes back to the week.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from warmline.people import AdminError, list_volunteers
from warmline.services import rota_edits
from warmline.web.dashboard.access import actor, now, require, warmline
from warmline.web.dashboard.blueprint import bp


def _back() -> Any:
    return redirect(url_for("dashboard.rota", week=request.args.get("week") or None))


def _fields(load: Callable[..., dict[str, Any]], item_id: int, missing: str) -> Any:
    """What the edit service gives of the shift or override to edit, or None (and `missing`
    flashed) when it does not exist."""
    wl = warmline()
    try:
        with wl.db.unit_of_work() as session:
            return load(session, wl.settings, item_id)
    except AdminError:
        flash(missing, "error")
        return None


def _form(template: str, item_id: int, values: MultiDict[str, str], error: str | None) -> Any:
    """The edit page with ``values`` in its fields; the people list keeps anyone named in them
    even when no longer active (so an old shift still shows who it was)."""
    named = {values.get(k, "") for k in ("volunteer", "replacement")}
    with warmline().db.unit_of_work() as session:
        people = [v for v in list_volunteers(session) if v.active or str(v.id) in named]
        return render_template(
            template,
            item_id=item_id,
            values=values,
            error=error,
            active=people,
            week=request.args.get("week", ""),
        ), 400 if error else 200


@bp.get("/rota/one-offs/<int:shift_id>/edit", endpoint="rota_edit_one_off")
@require("edit_rota")
def edit_one_off_page(shift_id: int) -> Any:
    fields = _fields(rota_edits.one_off_fields, shift_id, f"There is no one-off shift o{shift_id}.")
    if fields is None:
        return _back()
    values = MultiDict({**fields, "supervisor": "yes" if fields["supervisor"] else ""})
    return _form("rota_edit_one_off.html", shift_id, values, None)


@bp.post("/rota/one-offs/<int:shift_id>/edit", endpoint="rota_save_one_off")
@require("edit_rota")
def save_one_off(shift_id: int) -> Any:
    form, wl = request.form, warmline()
    try:
        with wl.db.unit_of_work() as session:
            rota_edits.edit_one_off(
                session,
                actor(),
                wl.settings,
                now(),
                shift_id,
                on=form.get("on", ""),
                start=form.get("start", ""),
                end=form.get("end", ""),
                volunteer=form.get("volunteer", ""),
                supervisor=form.get("supervisor") == "yes",
            )
    except AdminError as exc:
        return _form("rota_edit_one_off.html", shift_id, form, str(exc))
    flash(f"One-off shift o{shift_id} is saved.", "ok")
    return _back()


@bp.get("/rota/overrides/<int:override_id>/edit", endpoint="rota_edit_override")
@require("edit_rota")
def edit_override_page(override_id: int) -> Any:
    fields = _fields(
        rota_edits.override_fields, override_id, f"There is no override {override_id}."
    )
    if fields is None:
        return _back()
    (start_date, start_time), (end_date, end_time) = (
        fields["start"].split(" "),
        fields["end"].split(" "),
    )
    values = MultiDict(
        {
            "kind": fields["kind"],
            "volunteer": fields["volunteer"],
            "replacement": fields["replacement"] or "",
            "start_date": start_date,
            "start_time": start_time,
            "end_date": end_date,
            "end_time": end_time,
            "reason": fields["reason"] or "",
            "supervisor": "yes" if fields["supervisor"] else "",
        }
    )
    return _form("rota_edit_override.html", override_id, values, None)


@bp.post("/rota/overrides/<int:override_id>/edit", endpoint="rota_save_override")
@require("edit_rota")
def save_override(override_id: int) -> Any:
    form, wl = request.form, warmline()
    try:
        with wl.db.unit_of_work() as session:
            rota_edits.edit_override(
                session,
                actor(),
                wl.settings,
                now(),
                override_id,
                kind=form.get("kind", ""),
                volunteer=form.get("volunteer", ""),
                start=f"{form.get('start_date', '')} {form.get('start_time', '')}",
                end=f"{form.get('end_date', '')} {form.get('end_time', '')}",
                replacement=form.get("replacement") or None,
                supervisor=form.get("supervisor") == "yes",
                reason=form.get("reason") or None,
            )
    except AdminError as exc:
        return _form("rota_edit_override.html", override_id, form, str(exc))
    flash(f"Override {override_id} is saved.", "ok")
    return _back()
