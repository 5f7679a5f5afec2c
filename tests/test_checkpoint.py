"""WAL checkpoints run on their own thread while the server runs, never inside a request's
commit; at shutdown the connection gets SQLite's automatic checkpoint back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bot.config import Settings
from bot.runtime import Runtime
from bot.store import Store
from bot.store.checkpoint import Checkpointer, pending_frames
from bot.web import create_app
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import serve
from tests.helpers import Clock, link_user
from tests.notifying import delivery, only_subscription, running_bot, signed_post, subscribe


def _autocheckpoint(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def _in_the_file(path: str, tmp_path: Path) -> list[str]:
    """The outbox's booking uids in the database file alone, without its WAL: what a
    checkpoint has copied back, and nothing still only in the log."""
    alone = tmp_path / "alone.db"
    shutil.copyfile(path, alone)
    conn = sqlite3.connect(alone)
    try:
        if not conn.execute("select 1 from sqlite_master where name = 'outbox'").fetchone():
            return []  # even the schema is still only in the log
        return [uid for (uid,) in conn.execute("select booking_uid from outbox order by id")]
    finally:
        conn.close()


def _log_frames(path: str) -> tuple[int, int]:
    """(frames in the WAL, frames copied back), as SQLite counts them: a PASSIVE checkpoint
    by another connection answers (busy, log, checkpointed)."""
    other = sqlite3.connect(path)
    try:
        _, log, done = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return log, done
    finally:
        other.close()


def test_the_server_checkpoints_on_its_own_thread_while_it_runs(
    settings: Settings, clock: Clock, slack, calcom: CalcomEmulator
) -> None:
    rt = Runtime.create(settings, clock=clock)
    app = create_app(rt)
    checkpoints: Checkpointer = app.state.checkpoints
    conn = rt.store.db.conn
    server = serve(app)
    try:
        assert checkpoints.running
        assert _autocheckpoint(conn) == 0  # no request's commit copies the log back
    finally:
        server.stop()
    assert not checkpoints.running  # and the store is closed


def test_deliveries_stay_in_the_log_until_the_thread_copies_them_back(
    settings: Settings, clock: Clock, slack, calcom: CalcomEmulator, tmp_path: Path
) -> None:
    with running_bot(settings, clock, slack) as bot:
        assert bot.checkpoints is not None
        bot.checkpoints.frames = 10**9  # nothing copied back while the deliveries come in
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        subscribe(bot, "me")
        sub = only_subscription(bot)
        for n in range(5):
            body = delivery("BOOKING_CREATED", uid=f"ckpt-{n}")
            assert signed_post(bot, sub.token, body, sub.secret).status_code == 200
        uids = [f"ckpt-{n}" for n in range(5)]
        assert _in_the_file(settings.database_path, tmp_path) == []  # no commit copied them
        passes = bot.checkpoints.passes
        bot.checkpoints.frames = 1  # the mark passed: the thread's next look copies it all
        assert bot.checkpoints.wait_for_pass(after=passes, timeout=10)
        bot.checkpoints.frames = 10**9  # and no pass while the file is read
        assert set(uids) <= set(_in_the_file(settings.database_path, tmp_path))


def test_a_log_under_the_mark_waits_and_a_stop_copies_it_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    checkpoints = Checkpointer(store.path, store.db.conn, frames=10**9, poll=0.01, idle=3600)
    checkpoints.start()
    store.db.execute("insert into routines (team_id, user_id, updated_at) values ('T', 'U', 0)")
    assert not checkpoints.wait_for_pass(after=0, timeout=0.3)  # thirty looks: under the mark
    pending = pending_frames(store.path)
    log, copied = _log_frames(store.path)  # nothing copied before: the header's count is all
    assert pending and (pending, copied) == (log, log)
    assert pending_frames(store.path) == 0
    store.db.execute("insert into routines (team_id, user_id, updated_at) values ('T', 'V', 0)")
    assert pending_frames(store.path)
    checkpoints.stop()  # does not wait the hour: the stop wakes it for a last pass
    assert checkpoints.passes == 1
    assert pending_frames(store.path) == 0
    assert _autocheckpoint(store.db.conn) == 1000  # SQLite's default again


def test_an_in_memory_store_has_no_checkpointer(tmp_path: Path) -> None:
    store = Store(":memory:")
    checkpoints = Checkpointer(store.path, store.db.conn)
    checkpoints.start()
    assert not checkpoints.running
    checkpoints.stop()


def test_a_thread_that_cannot_run_gives_the_job_back_at_once(tmp_path: Path) -> None:
    """If the thread cannot do its job (here: its connection cannot open), the server's
    connection gets SQLite's automatic checkpoint back at once, with one error line,
    instead of a WAL that grows until the next restart."""
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    checkpoints = Checkpointer(str(tmp_path / "no-such-dir" / "calbot.db"), store.db.conn)
    checkpoints.start()
    assert checkpoints.wait_for_pass(after=0, timeout=10)
    assert checkpoints.failed == "OperationalError" and checkpoints.passes == 0
    assert _autocheckpoint(store.db.conn) == 1000
    checkpoints.stop()
