"""The worker's daily coverage-gap alert and the retention purge (SPEC §9, §12)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from warmline import outbox
from warmline.bootstrap import bootstrap
from warmline.db.models import Contact, Conversation, Message, Outbound, Timer
from warmline.scheduling.editing import add_override, add_weekly_slot
from warmline.scheduling.timers import set_timer
from warmline.worker import jobs
from warmline.worker import process as worker

COORDINATOR = "+15550109999"
# Tuesday 24 November 2026, 08:00 and 09:00 in New York.
TUESDAY_8 = dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)
TUESDAY_9 = TUESDAY_8 + dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def line(wl, clock):
    """The test line with a coordinator alert number."""
    settings = wl.settings.with_(coordinator_numbers=(COORDINATOR,))
    warmline = bootstrap(settings, sender=wl.sender, clock=clock)
    yield warmline
    warmline.db.dispose()


def evenings(line, *volunteers):
    with line.db.unit_of_work() as session:
        for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            add_weekly_slot(
                session,
                day_name=day,
                start="18:00",
                end="00:00",
                volunteers=[],
                supervisors=[v.phone for v in volunteers],
                now=line.clock(),
            )


def alerts(twilio):
    return twilio.texts_to(COORDINATOR, twilio.deliver())


def test_gap_alert_is_daily_and_only_when_the_gaps_changed(line, twilio, people, clock):
    sam = people.volunteer("Sam", on_shift=False, role="supervisor")
    evenings(line, sam)
    clock.now = TUESDAY_8
    assert jobs.coverage_gap_alert(line, clock.now) is False  # before 09:00 local
    clock.now = TUESDAY_9
    assert jobs.coverage_gap_alert(line, clock.now) is True
    [alert] = alerts(twilio)
    assert "coverage gaps in the next 7 days changed" in alert
    assert "Tue Nov 24 9:00 AM to Tue Nov 24 6:00 PM: nobody on shift" in alert
    assert COORDINATOR not in alert and sam.phone not in alert
    assert jobs.coverage_gap_alert(line, clock.now + dt.timedelta(hours=3)) is False
    for days in range(1, 9):  # the same weekly rota: no news, day after day
        assert jobs.coverage_gap_alert(line, TUESDAY_9 + days * DAY) is False
    assert alerts(twilio) == []
    clock.now = TUESDAY_9 + 9 * DAY
    with line.db.unit_of_work() as session:
        add_override(
            session,
            line.settings.line.timezone,
            kind="remove",
            volunteer=sam.phone,
            start="2026-12-07 18:00",
            end="2026-12-07 20:00",
            now=clock.now,
        )
    assert jobs.coverage_gap_alert(line, clock.now) is True
    [alert] = alerts(twilio)
    assert "Mon Dec 7 12:00 AM to Mon Dec 7 8:00 PM: nobody on shift" in alert


def test_fully_covered_line_is_never_alerted(line, twilio, people, clock):
    people.volunteer("Sam", role="supervisor")  # on shift around the clock
    for days in range(3):
        assert jobs.coverage_gap_alert(line, TUESDAY_9 + days * DAY) is False
    assert alerts(twilio) == []


def test_gap_alert_survives_a_worker_restart(line, twilio, people, clock):
    evenings(line, people.volunteer("Sam", on_shift=False, role="supervisor"))
    clock.now = TUESDAY_9
    assert jobs.coverage_gap_alert(line, TUESDAY_9) is True
    restarted = bootstrap(line.settings, sender=line.sender, clock=clock)
    assert jobs.coverage_gap_alert(restarted, TUESDAY_9 + dt.timedelta(minutes=10)) is False
    restarted.db.dispose()
    assert len(alerts(twilio)) == 1


def test_retention_purge_nulls_old_bodies_only(wl, people, clock):
    sam = people.volunteer("Sam")
    old = clock.now - dt.timedelta(days=wl.settings.retention_days, minutes=1)
    recent = clock.now - dt.timedelta(days=1)
    with wl.db.unit_of_work() as session:
        for at in (old, recent):
            session.add(
                Message(direction="in", author="contact", body="private words", created_at=at)
            )
        to = wl.context.to_volunteer(session.merge(sam))
        for at, status in ((old, "sent"), (recent, "sent"), (old, "pending")):
            [row] = outbox.enqueue(
                session, to=to, from_="+15550100000", body="private words", kind="relay", now=at
            )
            session.get_one(Outbound, row).status = status
        set_timer(session, "response", 1, old, old)
        session.flush()
        session.execute(Timer.__table__.update().values(done_at=old))
    assert jobs.purge_expired(wl, clock.now).bodies == 2
    with wl.db.unit_of_work() as session:
        assert session.scalars(select(Message.body).order_by(Message.id)).all() == [
            None,
            "private words",
        ]
        assert session.scalars(select(Outbound.body).order_by(Outbound.id)).all() == [
            None,
            "private words",
            "private words",
        ]
        assert session.scalars(select(Timer)).all() == []
    assert jobs.purge_expired(wl, clock.now).bodies == 0


def voicemail(wl, standin, contact_id, at, *, status="closed"):
    """A voice conversation started at ``at`` whose voicemail Twilio (the stand-in) keeps."""
    sid = standin.add_recording()
    with wl.db.unit_of_work() as session:
        conv = Conversation(
            contact_id=contact_id, channel="voice", status=status, call_sid="CA" + sid[2:],
            outcome="voicemail", recording_sid=sid, recording_seconds=14,
            recording_url=f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{sid}",
            queued_at=at, last_activity_at=at, created_at=at,
            closed_at=at if status == "closed" else None,
        )  # fmt: skip
        session.add(conv)
        session.flush()
        return conv.id, sid


def recording_columns(wl, conv_id):
    with wl.db.unit_of_work() as session:
        conv = session.get_one(Conversation, conv_id)
        return conv.recording_url is not None, conv.recording_sid, conv.recording_seconds


def test_retention_purge_deletes_old_voicemails_ours_then_twilios_retrying_failed(twilio, clock):
    wl = twilio.wl
    twilio.sms("+12025550131", "hello")
    with wl.db.unit_of_work() as session:
        contact_id = session.scalars(select(Contact.id)).one()
    old = clock.now - dt.timedelta(days=wl.settings.retention_days, minutes=1)
    expired, expired_sid = voicemail(wl, twilio.standin, contact_id, old)
    waiting, waiting_sid = voicemail(wl, twilio.standin, contact_id, old, status="queued")
    recent, recent_sid = voicemail(wl, twilio.standin, contact_id, clock.now - DAY)
    twilio.standin.fail_next(status=503)  # Twilio is down for the first try

    first = jobs.purge_expired(wl, clock.now)

    assert (first.recordings, first.twilio_deleted, first.twilio_failed) == (1, 0, 1)
    assert recording_columns(wl, expired) == (False, expired_sid, 14)  # ours gone, SID kept
    assert twilio.standin.recordings() == {expired_sid, waiting_sid, recent_sid}

    clock.advance(hours=1)
    second = jobs.purge_expired(wl, clock.now)

    assert (second.recordings, second.twilio_deleted, second.twilio_failed) == (0, 1, 0)
    assert recording_columns(wl, expired) == (False, None, 14)  # the duration is a figure
    # A callback request still waiting keeps its voicemail; a recent one is within retention.
    assert recording_columns(wl, waiting) == (True, waiting_sid, 14)
    assert recording_columns(wl, recent) == (True, recent_sid, 14)
    assert twilio.standin.recordings() == {waiting_sid, recent_sid}
    deletes = [r for r in twilio.standin.requests if r.method == "DELETE"]
    assert [(r.status, r.valid) for r in deletes] == [(503, True), (204, True)]
    assert all(expired_sid in r.path for r in deletes)

    third = jobs.purge_expired(wl, clock.now)  # nothing left: Twilio is not asked again
    assert (third.recordings, third.twilio_deleted, third.twilio_failed) == (0, 0, 0)
    assert len([r for r in twilio.standin.requests if r.method == "DELETE"]) == 2


def test_worker_registers_every_job_once_with_fixed_ids(wl):
    scheduler = worker.build_scheduler(wl)
    scheduler.start(paused=True)
    jobs_by_id = {job.id: job for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    assert set(jobs_by_id) == {
        "outbox",
        "timers",
        "callbacks",
        "plan-shifts",
        "coverage-gaps",
        "retention-purge",
    }
    for job in jobs_by_id.values():
        assert job.coalesce is True and job.max_instances == 1
