"""Webhooks kept on local disk while the database is away, replayed in order when it is back.

Twilio gives up on a text after a few failed tries, so a webhook that cannot reach the database
keeps what it was given here, answers 200, and this process replays it later (issue 13: an
accepted text is never lost). The rules:

- **Durable before the answer**: one file per webhook, written to a temporary name, flushed to
  disk (``fsync``) and renamed into place, then the folder is flushed too.
- **In arrival order**: names start with the arrival time in nanoseconds, and while anything is
  spooled every new webhook is spooled behind it, so a contact's texts never overtake each other.
- **Once**: the replay deletes a file only after its webhook was handled, and the handlers are
  idempotent on the Twilio SID, so a replay cut short is simply run again.
- **One replayer at a time** per folder, across processes (an exclusive ``flock``); a replay stops
  at the first webhook the database still cannot take (``retry_later``) and tries again later. A
  webhook that fails for any other reason (a bug) is moved to ``failed/`` and logged by file name,
  so that it cannot hold up every text behind it.

The files hold message bodies and numbers for seconds to minutes, in the instance folder, which
must be private to the service (as the SQLite file is); ``failed/`` files are deleted after the
retention period (``tidy``, run at each start and replay).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[[str, Mapping[str, Any], dt.datetime], object]
RetryLater = Callable[[Exception], bool]
SUFFIX = ".json"


class Spool:
    def __init__(self, folder: Path, keep_failed_days: int = 30) -> None:
        self.folder = folder
        self.keep_failed = keep_failed_days * 86400

    def tidy(self, now: float | None = None) -> int:
        """Delete what must not outlive the retention period: ``failed/`` files older than
        ``keep_failed_days`` and temporary files a crash left behind (over an hour old), by their
        modification times against ``now`` (seconds since the epoch; the wall clock by default).
        How many were deleted."""
        now, removed = time.time() if now is None else now, 0
        candidates = [(p, 3600) for p in self.folder.glob("*.tmp")]
        candidates += [(p, self.keep_failed) for p in self.folder.glob("failed/*.json")]
        for path, max_age in candidates:
            try:
                if now - path.stat().st_mtime > max_age:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def pending(self) -> bool:
        """Whether anything waits to be replayed (a cheap look at the folder)."""
        try:
            with os.scandir(self.folder) as entries:
                return any(e.name.endswith(SUFFIX) for e in entries)
        except FileNotFoundError:
            return False

    def keep(self, kind: str, form: Mapping[str, str], received_at: dt.datetime) -> None:
        """Store one webhook durably; returns once it is on disk."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        record = {"kind": kind, "form": dict(form), "received_at": received_at.isoformat()}
        temporary = self.folder / (name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, json.dumps(record, ensure_ascii=False).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, self.folder / (name + SUFFIX))
        self._sync_folder()

    def replay(self, handle: Handler, retry_later: RetryLater) -> int:
        """Hand each spooled webhook, oldest first, to ``handle``; how many were replayed.

        Stops at the first one ``handle`` raises a ``retry_later`` error for (the database is still
        away), keeping it and everything after it; raises that error. Returns at once when another
        process is replaying.
        """
        self.tidy()
        if not self.pending():
            return 0
        done = 0
        with open(self.folder / ".lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0
            for path in sorted(p for p in self.folder.iterdir() if p.name.endswith(SUFFIX)):
                record = json.loads(path.read_text(encoding="utf-8"))
                received_at = dt.datetime.fromisoformat(record["received_at"])
                try:
                    handle(record["kind"], record["form"], received_at)
                except Exception as exc:
                    if retry_later(exc):
                        raise
                    (self.folder / "failed").mkdir(mode=0o700, exist_ok=True)
                    path.replace(self.folder / "failed" / path.name)
                    why = type(exc).__name__
                    log.error("spool: %s failed (%s); kept in failed/", path.name, why)
                    continue
                path.unlink()
                done += 1
            self._sync_folder()
        return done

    def _sync_folder(self) -> None:
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Replayer:
    """A daemon thread of this process that replays the spool every ``interval`` seconds while
    there is something in it. Started on demand (``ensure_running``); at most one per process."""

    def __init__(
        self, spool: Spool, handle: Handler, retry_later: RetryLater, interval: float = 1.0
    ) -> None:
        self.spool = spool
        self.handle = handle
        self.retry_later = retry_later
        self.interval = interval
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ensure_running(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="spool-replay", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            try:
                replayed = self.spool.replay(self.handle, self.retry_later)
            except Exception as exc:  # the database is still away: try again later
                log.warning("spool replay waits for the database (%s)", type(exc).__name__)
                continue
            if replayed:
                log.info("spool: replayed %s webhook(s)", replayed)
            with self._lock:  # (keep() writes before it calls ensure_running: nothing is missed)
                if not self.spool.pending():
                    self._thread = None
                    return
