"""Acknowledging escalations, and re-alerting the next level when nobody does (SPEC §8).

Rules:

* A supervisor (role supervisor, or on a supervisor shift now) acknowledges with ``#ack [id]``;
  without an id, the latest unacknowledged escalation they were alerted about. So may anyone
  texting from one of the coordinators' alert numbers (without an id: the latest one the
  coordinators were alerted about), and a volunteer whom the alert chain reached because no
  supervisor or coordinator could be. Acknowledging cancels the re-alert.
* An escalation still unacknowledged ``timeouts.escalation_ack_minutes`` after its alert is
  re-sent once to the next level: the coordinators' alert numbers (everyone on shift
  when the line has none). The timer handler re-checks the row and does nothing when it was
  acknowledged or already re-alerted, so firing it twice is harmless.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from warmline import texts
from warmline.context import Context
from warmline.db.models import Conversation, Escalation, Volunteer
from warmline.escalation import notices, policy
from warmline.escalation.policy import add_action, get_json
from warmline.escalation.recipients import alert_coordinators, on_shift, supervisors_on_shift
from warmline.scheduling.timers import cancel_timer

log = logging.getLogger(__name__)

RECENT = 200  # unacknowledged escalations searched for "#ack" without an id


def latest_alerted(session: Session, volunteer_id: int | None) -> Escalation | None:
    """The latest unacknowledged escalation whose alerts reached the volunteer ``volunteer_id``
    (as supervisor or as the last level of the chain), or the coordinators' numbers when None."""
    candidates = session.scalars(
        select(Escalation)
        .where(Escalation.acknowledged_at.is_(None))
        .order_by(Escalation.id.desc())
        .limit(RECENT)
    )
    for esc in candidates:
        if volunteer_id is not None:
            if reached(esc, volunteer_id):
                return esc
        elif any(
            not t.endswith(":0")
            for t in notices.alerted_ids(get_json(esc, "actions"), "coordinators:")
        ):
            return esc
    return None


def acknowledge(
    session: Session,
    ctx: Context,
    argument: str,
    now: dt.datetime,
    *,
    volunteer: Volunteer | None = None,
) -> str:
    """Act on ``#ack [argument]`` from ``volunteer`` (a supervisor) or, when None, from a
    coordinators' alert number; returns the answer to send back."""
    try:
        esc_id = notices.parse_escalation_id(argument)
    except ValueError:
        return texts.render(ctx.settings, "ack_bad_number")
    who = f"supervisor:{volunteer.id}" if volunteer is not None else "coordinators"
    if esc_id is None:
        latest = latest_alerted(session, volunteer.id if volunteer is not None else None)
        if latest is None:
            return texts.render(ctx.settings, "ack_none_open")
        esc_id = latest.id
    esc = session.get(Escalation, esc_id, with_for_update=True, populate_existing=True)
    if esc is None:
        return texts.render(ctx.settings, "ack_unknown", id=esc_id)
    if volunteer is not None and not is_supervising(session, ctx, volunteer, now):
        if not reached(esc, volunteer.id):  # a volunteer acknowledges only what reached them
            return texts.render(ctx.settings, "ack_not_yours", id=esc.id)
    conv = session.get(Conversation, esc.conversation_id) if esc.conversation_id else None
    alias = f" ({conv.contact.alias})" if conv is not None else ""
    if esc.acknowledged_at is not None:
        by = session.get(Volunteer, esc.acknowledged_by_id) if esc.acknowledged_by_id else None
        name = by.name if by is not None else "a coordinator"
        return texts.render(ctx.settings, "ack_already", id=esc.id, alias=alias, name=name)
    esc.acknowledged_at = now
    esc.acknowledged_by_id = volunteer.id if volunteer is not None else None
    add_action(esc, now, "acknowledged", by=who)
    cancel_timer(session, f"escalation-ack:{esc.id}")
    log.info("escalation %s acknowledged", esc.id)
    if conv is not None and conv.status == "assigned" and conv.volunteer is not None:
        if volunteer is None or conv.volunteer.id != volunteer.id:
            name = volunteer.name if volunteer is not None else "A coordinator"
            ctx.text_volunteer(
                session,
                conv.volunteer,
                texts.render(ctx.settings, "ack_following_up", name=name, id=esc.id, alias=alias),
                policy.NOTICE_KIND,
                now,
                from_=conv.relay_number,
                conversation_id=conv.id,
            )
    return texts.render(ctx.settings, "ack_done", id=esc.id, alias=alias)


def may_acknowledge(session: Session, ctx: Context, volunteer: Volunteer, now: dt.datetime) -> bool:
    """Supervisors by role, anyone on a supervisor shift now, and a volunteer whom the alert chain
    reached because nobody above them could be (``latest_alerted``; ``acknowledge`` then takes
    only an escalation that reached them)."""
    if is_supervising(session, ctx, volunteer, now):
        return True
    return latest_alerted(session, volunteer.id) is not None


def is_supervising(session: Session, ctx: Context, volunteer: Volunteer, now: dt.datetime) -> bool:
    if volunteer.is_supervisor:
        return True
    return any(s.id == volunteer.id for s in supervisors_on_shift(session, ctx, now))


def reached(esc: Escalation, volunteer_id: int) -> bool:
    """Whether the escalation's alerts (or re-alerts) reached this volunteer."""
    actions = get_json(esc, "actions")
    found = notices.alerted_ids(actions, "supervisor:") | notices.alerted_ids(actions, "volunteer:")
    return bool({f"supervisor:{volunteer_id}", f"volunteer:{volunteer_id}"} & found)


def ack_timeout(session: Session, ctx: Context, esc_id: int, now: dt.datetime) -> None:
    """Timer handler ("escalation-ack"): re-alert the next level, once, if still unacknowledged:
    the coordinators' alert numbers, or when there are none everyone on shift but the contact's
    own volunteer and whoever raised it."""
    esc = session.get(Escalation, esc_id, with_for_update=True)
    if esc is None or esc.acknowledged_at is not None or esc.realerted_at is not None:
        return
    minutes = ctx.settings.timeouts.escalation_ack_minutes
    body = notices.realert(first_alert(session, esc), minutes)
    if ctx.settings.coordinator_numbers:
        count = alert_coordinators(session, ctx, body, now, dedupe_key=f"escalation:{esc.id}:r")
        targets = [f"coordinators:{count}"]
    else:
        conv = session.get(Conversation, esc.conversation_id) if esc.conversation_id else None
        assigned = conv.volunteer_id if conv is not None and conv.status == "assigned" else None
        targets = []
        for v, supervises in on_shift(session, ctx, now):
            if v.id in (assigned, esc.raised_by_id):
                continue
            key = f"escalation:{esc.id}:r{v.id}"
            ctx.text_volunteer(session, v, body, "alert", now, dedupe_key=key)
            targets.append(f"{'supervisor' if supervises else 'volunteer'}:{v.id}")
    esc.realerted_at = now
    add_action(esc, now, "realerted", to=targets)
    log.warning("escalation %s not acknowledged in %d min; re-alerted", esc.id, minutes)


def first_alert(session: Session, esc: Escalation) -> str:
    """The text of the escalation's first alert, rebuilt from the record."""
    conv = session.get(Conversation, esc.conversation_id) if esc.conversation_id else None
    alias = conv.contact.alias if conv is not None else "a contact"
    if esc.source == "volunteer":
        by = session.get(Volunteer, esc.raised_by_id) if esc.raised_by_id else None
        name = by.name if by is not None else "unknown"
        return notices.volunteer_alert(esc.id, name, alias, esc.note)
    what = notices.what_matched(get_json(esc, "matched"), "crisis")
    return notices.crisis_alert(esc.id, alias, what)
