"""The local spool of webhooks kept while the database is away (warmline.web.spool)."""

from __future__ import annotations

import datetime as dt
import fcntl
import stat

import pytest

from warmline.web.spool import Spool

AT = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)


class Away(Exception):
    """Stands for the database being unreachable."""


def retry_later(exc: Exception) -> bool:
    return isinstance(exc, Away)


def test_webhooks_are_replayed_once_in_arrival_order(tmp_path):
    spool = Spool(tmp_path / "spool")
    assert not spool.pending()
    for n in range(5):
        spool.keep("sms", {"MessageSid": f"SM{n}", "Body": f"text {n} ✓"}, AT)
    assert spool.pending()
    seen = []
    assert spool.replay(lambda k, form, at: seen.append((k, form["Body"], at)), retry_later) == 5
    assert seen == [("sms", f"text {n} ✓", AT) for n in range(5)]
    assert not spool.pending()
    assert spool.replay(lambda *a: seen.append(a), retry_later) == 0 and len(seen) == 5


def test_files_are_private_to_the_service(tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.keep("sms", {"Body": "private"}, AT)
    [path] = (tmp_path / "spool").glob("*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "spool").stat().st_mode) == 0o700


def test_a_replay_stops_at_the_first_webhook_the_database_refuses(tmp_path):
    spool = Spool(tmp_path / "spool")
    for n in range(3):
        spool.keep("sms", {"n": str(n)}, AT)
    seen = []

    def flaky(kind, form, at):
        if form["n"] == "1":
            raise Away()
        seen.append(form["n"])

    with pytest.raises(Away):
        spool.replay(flaky, retry_later)
    assert seen == ["0"] and spool.pending()
    spool.replay(lambda kind, form, at: seen.append(form["n"]), retry_later)
    assert seen == ["0", "1", "2"]


def test_a_webhook_that_fails_for_another_reason_does_not_hold_up_the_rest(tmp_path, caplog):
    spool = Spool(tmp_path / "spool")
    for n in range(3):
        spool.keep("sms", {"n": str(n), "Body": "secret words"}, AT)
    seen = []

    def buggy(kind, form, at):
        if form["n"] == "1":
            raise KeyError("boom")
        seen.append(form["n"])

    assert spool.replay(buggy, retry_later) == 2
    assert seen == ["0", "2"]
    assert len(list((tmp_path / "spool" / "failed").glob("*.json"))) == 1
    assert "secret words" not in caplog.text


def test_only_one_process_replays_at_a_time(tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.keep("sms", {"n": "0"}, AT)
    with open(tmp_path / "spool" / ".lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert spool.replay(lambda *a: None, retry_later) == 0
    assert spool.pending()


def test_failed_and_half_written_files_do_not_outlive_retention(tmp_path):
    import os

    spool = Spool(tmp_path / "spool", keep_failed_days=30)
    spool.keep("sms", {"n": "1", "Body": "secret"}, AT)
    spool.replay(lambda kind, form, at: (_ for _ in ()).throw(KeyError("bug")), retry_later)
    [failed] = (tmp_path / "spool" / "failed").glob("*.json")
    stray = tmp_path / "spool" / "0-1-crash.tmp"
    stray.write_text("{")
    now = stray.stat().st_mtime  # the file system's clock, whatever the date
    assert spool.tidy(now) == 0  # both are recent
    old = now - 31 * 86400
    os.utime(failed, (old, old))
    os.utime(stray, (old, old))
    assert spool.tidy(now) == 2
    assert not failed.exists() and not stray.exists()
