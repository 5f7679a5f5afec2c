"""WAL checkpoints off the event loop: a thread with its own connection copies the log back.

In WAL mode every commit appends the pages it changed to the `-wal` file, and SQLite's
automatic checkpoint copies them back into the database (and syncs it) inside whichever
commit takes the log past 1,000 frames. On the server's one connection that commit is a
request's: measured in-process, one webhook delivery in ~250 took 5-7 ms instead of
0.15 ms, which made the route's p99. So while the server runs its connection's automatic
checkpoint is off, and this thread does the same job, at the same mark, on a connection of
its own: it reads how far the log has grown from the WAL-index header in the `-shm` file
(`mxFrame` less `nBackfill`, https://www.sqlite.org/walformat.html), a 136-byte read
every `poll` seconds, and runs a PASSIVE checkpoint at `frames` frames, or after `idle`
seconds for whatever is left. PASSIVE neither waits for the writer nor blocks it, and
sqlite3 releases the GIL while it runs. Checkpointing often is no cure: each pass syncs
the database file, and a pass every quarter second put 1-3 ms stalls back into the loop's
writes (bench/burst.py). Other processes on the file keep their automatic checkpoints.
"""

from __future__ import annotations

import logging
import sqlite3
import struct
import threading
import time

log = logging.getLogger("calbot.store")

FRAMES = 1000  # SQLite's own automatic checkpoint mark
POLL = 0.1  # seconds between two looks at the header
IDLE = 30.0  # seconds after which a log under the mark is copied back anyway

_HEADER = struct.Struct("=16xI76xI")  # mxFrame at byte 16, nBackfill at byte 96 (native)


def pending_frames(path: str) -> int | None:
    """Frames in the WAL not yet copied back, from the `-shm` header; None if unreadable."""
    try:
        with open(f"{path}-shm", "rb") as shm:
            header = shm.read(_HEADER.size)
    except OSError:
        return None
    if len(header) < _HEADER.size:
        return None
    written, copied = _HEADER.unpack(header)
    return max(0, written - copied)


class Checkpointer:
    """Start with the server, stop with it; `passes` counts checkpoints run (tests)."""

    def __init__(
        self,
        path: str,
        served: sqlite3.Connection,
        *,
        frames: int = FRAMES,
        poll: float = POLL,
        idle: float = IDLE,
    ):
        self.path = path
        self.served = served  # the connection whose automatic checkpoint this replaces
        self.frames, self.poll, self.idle = frames, poll, idle
        self.passes = 0
        self.failed: str | None = None  # why the thread stopped on its own, if it did
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ran = threading.Condition()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.path == ":memory:" or self.running:  # no WAL, nothing to copy
            return
        self._stop.clear()
        self.served.execute("PRAGMA wal_autocheckpoint = 0")
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread after one last pass, and give the connection back SQLite's
        automatic checkpoint."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join()
        self.served.execute(f"PRAGMA wal_autocheckpoint = {FRAMES}")

    def wait_for_pass(self, after: int, timeout: float) -> bool:
        """Until more than `after` passes have run, or the thread failed (tests wait on
        this, not on time)."""
        with self._ran:
            return self._ran.wait_for(
                lambda: self.passes > after or self.failed is not None, timeout=timeout
            )

    def _due(self, since: float) -> bool:
        pending = pending_frames(self.path)
        if pending is None:  # no header to read: fall back to a pass every `idle`
            return time.monotonic() - since >= self.idle
        return pending >= self.frames or (pending > 0 and time.monotonic() - since >= self.idle)

    def _run(self) -> None:
        try:
            self._checkpoint_until_stopped()
        except Exception as error:  # never a silent end: the WAL would grow without bound
            self.served.execute(f"PRAGMA wal_autocheckpoint = {FRAMES}")
            log.error(
                "WAL checkpoints stopped (%s): SQLite's automatic checkpoint is back on",
                type(error).__name__,
            )
            with self._ran:
                self.failed = type(error).__name__
                self._ran.notify_all()

    def _checkpoint_until_stopped(self) -> None:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        last = time.monotonic()
        try:
            while not self._stop.wait(self.poll):
                if self._due(last):
                    self._pass(conn)
                    last = time.monotonic()
            self._pass(conn)  # at stop: leave little in the log
        finally:
            conn.close()

    def _pass(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as error:  # busy, disk full: the next look tries again
            log.warning("WAL checkpoint failed: %s", type(error).__name__)
        with self._ran:
            self.passes += 1
            self._ran.notify_all()
