"""``/rota``: the week as a grid in the line's timezone, and the forms that change the rota.

Everyone who may see the rota (``view_rota``) gets the grid and the lists; the forms are shown
to, and their POSTs accepted from, roles with ``edit_rota`` only (others get 403). Each POST
calls one function of :mod:`warmline.services.rota`; a refusal (AdminError) re-shows the page
with the message next to the form and what was typed still in it (status 400).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from warmline.people import AdminError, list_volunteers
from warmline.queries import rota as rota_view
from warmline.scheduling import editing, swaps
from warmline.scheduling.shift_text import local_datetime
from warmline.services import rota
from warmline.web.dashboard.access import actor, now, require, warmline
from warmline.web.dashboard.blueprint import bp
from warmline.web.dashboard.rota_grid import grid, monday_of

FORMS = ("weekly", "one_off", "override", "swap")


def _week_start() -> dt.date:
    tz = warmline().settings.line.timezone
    try:
        asked = dt.date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        asked = now().astimezone(tz).date()
    return monday_of(asked)


def _page(session: Session, first: dt.date) -> dict[str, Any]:
    """Everything the page shows, read in one unit of work."""
    wl = warmline()
    view = rota_view.week(session, wl.settings, first)
    people = list_volunteers(session)
    offers = swaps.list_swaps(session, now())
    return {
        "view": view,
        "grid": grid(view),
        "first": first,
        "previous": first - dt.timedelta(days=7),
        "next": first + dt.timedelta(days=7),
        "this_week": monday_of(now().astimezone(wl.settings.line.timezone).date()),
        "names": {v.id: v.name for v in people},
        "active": [v for v in people if v.active],
        "slots": editing.list_slots(session),
        "one_offs": editing.list_one_offs(session, now()),
        "overrides": editing.list_overrides(session, now()),
        "swaps": offers,
        # Overrides made by a swap are changed through the swap, so they get no Edit button.
        "swap_overrides": {s.override_id for s in offers if s.override_id is not None},
        "today": now().astimezone(wl.settings.line.timezone).date(),
        "describe_slot": rota.describe_slot,
        "empty": MultiDict(),
        "open_form": None,
    }


def _render(status: int = 200, **extra: Any) -> Any:
    first = _week_start()
    with warmline().db.unit_of_work() as session:
        page = _page(session, first)
        extra.setdefault("values", MultiDict())
        extra.setdefault("errors", {})
        return render_template("rota.html", **(page | extra)), status


@bp.get("/rota", endpoint="rota")
@require("view_rota")
def rota_page() -> Any:
    return _render()


@bp.get("/rota/shifts/<int:slot_id>/edit", endpoint="rota_edit_shift")
@require("edit_rota")
def edit_shift_page(slot_id: int) -> Any:
    wl = warmline()
    with wl.db.unit_of_work() as session:
        slot = next((s for s in editing.list_slots(session) if s.id == slot_id), None)
        if slot is None:
            flash(f"There is no weekly shift w{slot_id}.", "error")
            return redirect(url_for("dashboard.rota"))
        values = MultiDict(
            [
                ("day", editing.WEEKDAYS[slot.weekday]),
                ("start", f"{slot.start_local:%H:%M}"),
                ("end", f"{slot.end_local:%H:%M}"),
                ("first_date", str(slot.first_date or "")),
                ("last_date", str(slot.last_date or "")),
            ]
            + [
                ("supervisors" if a.supervisor else "volunteers", str(a.volunteer_id))
                for a in slot.assignments
            ]
        )
        return render_template(
            "rota_edit.html",
            slot_id=slot.id,
            values=values,
            error=None,
            active=[v for v in list_volunteers(session) if v.active or v.id in _ids(values)],
            week=request.args.get("week", ""),
        )


def _ids(values: MultiDict[str, str]) -> set[int]:
    return {int(x) for x in values.getlist("volunteers") + values.getlist("supervisors")}


def _people(form: MultiDict[str, str]) -> tuple[list[str], list[str]]:
    return form.getlist("volunteers"), form.getlist("supervisors")


def _act(form_name: str, change: Any, done: str) -> Any:
    """Run ``change(session)`` in one unit of work; on success flash ``done`` (formatted with
    what it returned) and go back to the week shown; on AdminError re-show the page."""
    wl = warmline()
    try:
        with wl.db.unit_of_work() as session:
            result = change(session)
            message = done.format(result=result)
    except AdminError as exc:
        return _render(400, values=request.form, errors={form_name: str(exc)}, open_form=form_name)
    flash(message, "ok")
    # Forms post to their section's #fragment (so a refusal shows next to the form); "top"
    # overrides the fragment the redirect would inherit, so the confirmation is in view.
    return redirect(url_for("dashboard.rota", week=request.args.get("week") or None, _anchor="top"))


@bp.post("/rota/shifts", endpoint="rota_add_shift")
@require("edit_rota")
def add_shift() -> Any:
    form, wl = request.form, warmline()
    volunteers, supervisors = _people(form)

    def change(session: Session) -> str:
        if form.get("kind") == "one_off":
            made = rota.add_one_off(
                session,
                actor(),
                wl.settings,
                now(),
                on=form.get("on", ""),
                start=form.get("start", ""),
                end=form.get("end", ""),
                volunteers=volunteers,
                supervisors=supervisors,
            )
            return ", ".join(f"o{s.id}" for s in made)
        slot = rota.add_weekly(
            session,
            actor(),
            wl.settings,
            now(),
            day=form.get("day", ""),
            start=form.get("start", ""),
            end=form.get("end", ""),
            volunteers=volunteers,
            supervisors=supervisors,
            first_date=form.get("first_date") or None,
            last_date=form.get("last_date") or None,
        )
        return f"w{slot.id}: {rota.describe_slot(slot)}"

    return _act(form.get("kind") or "weekly", change, "Added shift {result}.")


@bp.post("/rota/shifts/<int:slot_id>/edit", endpoint="rota_save_shift")
@require("edit_rota")
def save_shift(slot_id: int) -> Any:
    form, wl = request.form, warmline()
    volunteers, supervisors = _people(form)
    try:
        with wl.db.unit_of_work() as session:
            slot = rota.edit_weekly(
                session,
                actor(),
                wl.settings,
                now(),
                slot_id,
                day=form.get("day", ""),
                start=form.get("start", ""),
                end=form.get("end", ""),
                volunteers=volunteers,
                supervisors=supervisors,
                first_date=form.get("first_date") or None,
                last_date=form.get("last_date") or None,
            )
            said = f"Weekly shift w{slot.id} is now {rota.describe_slot(slot)}."
    except AdminError as exc:
        with wl.db.unit_of_work() as session:
            return render_template(
                "rota_edit.html",
                slot_id=slot_id,
                values=form,
                error=str(exc),
                active=[v for v in list_volunteers(session) if v.active or v.id in _ids(form)],
                week=request.args.get("week", ""),
            ), 400
    flash(said, "ok")
    return redirect(url_for("dashboard.rota", week=request.args.get("week") or None))


@bp.post("/rota/shifts/<ref>/remove", endpoint="rota_remove_shift")
@require("edit_rota")
def remove_shift(ref: str) -> Any:
    wl = warmline()
    return _act(
        "one_offs" if ref.lower().startswith("o") else "shifts",
        lambda session: rota.remove_shift(session, actor(), wl.settings, now(), ref),
        "Removed {result}.",
    )


@bp.post("/rota/overrides", endpoint="rota_add_override")
@require("edit_rota")
def add_override() -> Any:
    form, wl = request.form, warmline()

    def change(session: Session) -> int:
        made = rota.add_override(
            session,
            actor(),
            wl.settings,
            now(),
            kind=form.get("kind", ""),
            volunteer=form.get("volunteer", ""),
            start=f"{form.get('start_date', '')} {form.get('start_time', '')}",
            end=f"{form.get('end_date', '')} {form.get('end_time', '')}",
            replacement=form.get("replacement") or None,
            supervisor=form.get("supervisor") == "yes",
            reason=form.get("reason") or None,
        )
        return made.id

    return _act("override", change, "Added override {result}.")


@bp.post("/rota/overrides/<int:override_id>/remove", endpoint="rota_remove_override")
@require("edit_rota")
def remove_override(override_id: int) -> Any:
    def change(session: Session) -> str:
        swap = rota.remove_override(session, actor(), now(), override_id)
        return f"{override_id}" + (f" (swap {swap.id} is cancelled)" if swap else "")

    return _act("overrides", change, "Removed override {result}.")


@bp.post("/rota/swaps", endpoint="rota_swap")
@require("edit_rota")
def swap_shift() -> Any:
    """Offer a volunteer's shift to anyone, or reassign it to someone now (``action``)."""
    form, wl = request.form, warmline()

    def change(session: Session) -> int:
        tz = wl.settings.line.timezone
        at = local_datetime(tz, f"{form.get('date', '')} {form.get('time', '')}")
        if form.get("action") == "reassign":
            made = rota.reassign_shift(
                session,
                actor(),
                wl.settings,
                now(),
                form.get("volunteer", ""),
                at,
                form.get("to", ""),
                wl.context,
            )
        else:
            made = rota.offer_swap(
                session, actor(), wl.settings, now(), form.get("volunteer", ""), at
            )
        return made.id

    return _act("swap", change, "Swap {result} saved.")


@bp.post("/rota/swaps/<int:swap_id>/<action>", endpoint="rota_swap_action")
@require("edit_rota")
def swap_action(swap_id: int, action: str) -> Any:
    """Take an open offer for someone (``take``, field ``taker``) or withdraw it (``cancel``)."""
    form, wl = request.form, warmline()

    def change(session: Session) -> int:
        if action == "take":
            rota.take_swap(
                session, actor(), wl.settings, now(), swap_id, form.get("taker", ""), wl.context
            )
        elif action == "cancel":
            rota.cancel_swap(session, actor(), now(), swap_id)
        else:
            raise AdminError(f"unknown swap action {action!r}")
        return swap_id

    return _act(
        "swaps", change, "Swap {result} " + ("taken." if action == "take" else "cancelled.")
    )
