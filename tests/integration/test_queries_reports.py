"""Report figures on SQLite and PostgreSQL from a small week of history, exact to the second."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from warmline.db.models import Contact, Conversation, Escalation
from warmline.opening_hours import parse_opening_hours
from warmline.queries import reports
from warmline.queries.sql import Spread

NY = ZoneInfo("America/New_York")
SINCE = dt.datetime(2026, 11, 2, tzinfo=NY).astimezone(dt.UTC)  # Monday, EST
UNTIL = SINCE + dt.timedelta(days=7)
EVENINGS = parse_opening_hours(
    {d: "18:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, None
)
S = dt.timedelta(seconds=1)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=NY).astimezone(dt.UTC)


def history(wl, people):
    """Eight conversations in the week of 2 November 2026 (New York), and two just outside it."""
    sam = people.volunteer("Sam", on_shift=False)
    alex = people.volunteer("Alex", on_shift=False)
    with wl.db.unit_of_work() as session:
        contacts = [
            Contact(
                number_hash=f"hash{n}",
                number_encrypted=b"sealed",
                alias=f"Contact {n}",
                created_at=SINCE - 30 * S,
            )
            for n in range(8)
        ]
        session.add_all(contacts)
        session.flush()

        def conv(
            contact,
            start,
            *,
            channel="sms",
            volunteer=None,
            assigned=None,
            answered=None,
            closed=None,
            reason=None,
            outcome=None,
            escalated=False,
        ):
            row = Conversation(
                contact_id=contacts[contact].id,
                channel=channel,
                status="closed" if closed is not None else "assigned" if volunteer else "queued",
                volunteer_id=volunteer.id if volunteer else None,
                escalated=escalated,
                queued_at=start,
                assigned_at=start + assigned * S if assigned is not None else None,
                first_response_at=start + answered * S if answered is not None else None,
                closed_at=start + closed * S if closed is not None else None,
                close_reason=reason,
                outcome=outcome,
                last_activity_at=start,
                created_at=start,
            )
            session.add(row)
            session.flush()
            return row

        conv(1, at(1, 23), volunteer=sam, assigned=0, answered=10, closed=60, reason="ended")
        conv(1, at(2, 18, 10), volunteer=sam, assigned=0, answered=60, closed=600, reason="ended")
        crisis = conv(
            2,
            at(2, 19),
            volunteer=sam,
            assigned=120,
            answered=180,
            closed=900,
            reason="ended",
            escalated=True,
        )
        conv(1, at(3, 23, 30), volunteer=alex, assigned=0, answered=30, closed=3600, reason="idle")
        conv(3, at(4, 10), closed=300, reason="opted_out")  # after hours, left unanswered
        conv(
            4,
            at(5, 20),
            channel="voice",
            volunteer=alex,
            assigned=20,
            answered=20,
            closed=400,
            reason="call-ended",
            outcome="answered",
        )
        conv(5, at(5, 20, 30), channel="voice", closed=40, reason="call-ended", outcome="missed")
        conv(6, at(6, 21), channel="voice", closed=7200, reason="no-callback", outcome="voicemail")
        concern = conv(7, at(7, 22), volunteer=sam, assigned=45, answered=300, escalated=True)
        conv(0, at(9, 0), volunteer=sam, assigned=0, answered=5)  # == UNTIL: outside
        for row, level, acked in ((crisis, "crisis", 150), (concern, "concern", None)):
            session.add(
                Escalation(
                    conversation_id=row.id,
                    contact_id=row.contact_id,
                    level=level,
                    source="scan",
                    created_at=row.created_at + 30 * S,
                    acknowledged_at=row.created_at + acked * S if acked else None,
                )
            )
        session.add(
            Escalation(level="crisis", source="scan", created_at=SINCE - S, acknowledged_at=SINCE)
        )
    return sam, alex, dataclasses.replace(wl.settings, opening_hours=EVENINGS)


def test_report_figures_for_a_week(wl, people):
    sam, alex, settings = history(wl, people)
    with wl.db.unit_of_work() as session:
        per_day = reports.contacts_per_day(session, settings, SINCE, UNTIL)
        grid = reports.contacts_by_hour_of_week(session, settings, SINCE, UNTIL)
        total = reports.summary(session, settings, SINCE, UNTIL)
        load = reports.load_per_volunteer(session, SINCE, UNTIL)
        monday = reports.first_response(session, SINCE, SINCE + dt.timedelta(days=1))
    assert [(d.date.day, d.contacts) for d in per_day] == [
        (2, 2),
        (3, 1),
        (4, 1),
        (5, 2),
        (6, 1),
        (7, 1),
        (8, 0),
    ]
    filled = {(w, h): n for w, row in enumerate(grid) for h, n in enumerate(row) if n}
    assert (len(grid), {len(row) for row in grid}) == (7, {24})
    assert filled == {
        (0, 18): 1,
        (0, 19): 1,
        (1, 23): 1,
        (2, 10): 1,
        (3, 20): 2,
        (4, 21): 1,
        (5, 22): 1,
    }
    assert (total.contacts, total.unique_contacts) == (8, 7)
    assert total.first_response == Spread(5, 60, 300)  # 20, 30, 60, 180, 300
    assert total.waiting == Spread(5, 20, 120)  # 0, 0, 20, 45, 120
    assert monday == Spread(2, 60, 180)  # nearest rank: the median of two is the first
    assert (total.abandoned, total.after_hours) == (2, 1)
    assert total.escalations == reports.EscalationFigures(
        count=2,
        by_level={"concern": 1, "crisis": 1},
        acknowledged=1,
        time_to_ack=Spread(1, 120, 120),
    )
    assert total.calls == reports.CallFigures(
        3, 1, 1, 1, {"answered": 1, "missed": 1, "voicemail": 1}
    )
    assert load == (
        reports.VolunteerLoad(sam.id, "Sam", 3, 3, 0),
        reports.VolunteerLoad(alex.id, "Alex", 2, 1, 1),
    )
    assert total.timezone == "America/New_York"


def test_an_empty_range_and_an_always_open_line(wl, people):
    _, _, settings = history(wl, people)
    later = UNTIL + dt.timedelta(days=30)
    with wl.db.unit_of_work() as session:
        empty = reports.summary(session, settings, later, later + dt.timedelta(days=1))
        always = reports.after_hours(session, wl.settings, SINCE, UNTIL)
    assert (empty.contacts, empty.first_response, empty.escalations.count) == (
        0,
        Spread(0, None, None),
        0,
    )
    assert empty.calls.total == 0 and always == 0


def test_half_hour_zone_buckets_by_local_hour(wl, people):
    """India is UTC+5:30: counting per UTC hour would put 23:40 UTC (05:10) in hour 4."""
    history(wl, people)
    kolkata = dataclasses.replace(
        wl.settings, line=dataclasses.replace(wl.settings.line, timezone=ZoneInfo("Asia/Kolkata"))
    )
    with wl.db.unit_of_work() as session:
        session.add(
            Contact(number_hash="late", number_encrypted=b"x", alias="Late", created_at=UNTIL)
        )
        session.flush()
        late = session.query(Contact).filter_by(number_hash="late").one()
        start = dt.datetime(2026, 12, 7, 23, 40, tzinfo=dt.UTC)  # Tuesday 05:10 in Kolkata
        session.add(
            Conversation(
                contact_id=late.id,
                status="queued",
                queued_at=start,
                last_activity_at=start,
                created_at=start,
            )
        )
        session.flush()
        grid = reports.contacts_by_hour_of_week(
            session, kolkata, start - dt.timedelta(hours=1), start + dt.timedelta(hours=1)
        )
    assert {(w, h) for w, row in enumerate(grid) for h, n in enumerate(row) if n} == {(1, 5)}
