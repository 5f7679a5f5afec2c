"""Running calbot: logs (references, JSON lines, nothing secret), SIGTERM, concurrent start-up.

The log test captures a whole flow through the handler `calbot serve` installs; the
SIGTERM test runs the real `calbot serve` in a subprocess against the emulators.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import multiprocessing
import re
import signal
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import logs
from bot.config import Settings
from bot.models import Link
from bot.runtime import Runtime
from bot.slack.app import build_app
from bot.store import Store, migrations
from bot.web import create_app
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import serve
from tests.emulators.slack import SlackEmulator
from tests.helpers import (
    BOT_TOKEN,
    MATON_KEY,
    SIGNING_SECRET,
    Bot,
    Clock,
    child_env,
    make_env,
    make_settings,
)
from tests.installing import install, send_event
from tests.processes import Process
from tests.slackdriver import SlackDriver, text_of
from tests.startup import open_and_migrate

THU_10AM_NY = datetime.fromisoformat("2026-11-26T15:00:00+00:00")


# --------------------------------------------------------------------- logs


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """The root logger as `calbot serve` sets it up (DEBUG, JSON), writing to a buffer."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    buffer = io.StringIO()
    yield buffer
    root.handlers[:], level = saved
    root.setLevel(level)


def test_a_full_flow_logs_with_references_and_without_secrets(
    tmp_path: Path,
    calcom: CalcomEmulator,
    slack: SlackEmulator,
    clock: Clock,
    captured_logs: io.StringIO,
) -> None:
    settings = make_settings(
        tmp_path,
        calcom,
        slack,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID=slack.client_id,
        SLACK_CLIENT_SECRET=slack.client_secret,
        LOG_LEVEL="DEBUG",
        LOG_FORMAT="json",
    )
    logs.setup(settings, stream=captured_logs)
    rt = Runtime.create(settings, clock=clock)
    server = serve(create_app(rt))
    rt.settings = replace(rt.settings, public_url=server.url)  # Cal.com posts back here
    bot = Bot(server.url, rt, SlackDriver(server.url, SIGNING_SECRET, slack), server)
    team_token = "xoxb-T111-installed-token"
    try:
        # Install through OAuth (client secret out, bot token back), then link and use.
        assert install(bot, slack, "T111", team_token, redirect_uri=None).status_code == 200
        calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
        bot.slack.reply(bot.slack.command("connect"))
        connection_id = rt.store.get_link("T111", "U1").connection_id
        connect_url = calcom.connections[connection_id].url  # Maton's OAuth link: a capability
        calcom.complete_oauth(connection_id, "sam")
        assert "Connected" in text_of(bot.slack.reply(bot.slack.click("connect_done")))
        assert "Sam Jones" in text_of(bot.slack.reply(bot.slack.command("me")))
        # Notifications: a webhook with a secret, a signed delivery, a post to Slack.
        slack.add_channel("C500", "team", members={"U1"})
        bot.slack.reply(bot.slack.command("notify <#C500|team>"))
        [hook] = calcom.webhooks.values()
        assert hook["secret"]
        thirty = calcom.account("sam").event_type("30min")["id"]
        calcom.book_as_guest(
            event_type_id=thirty, start=THU_10AM_NY, name="Jo Guest", email="jo@guest.test"
        )
        slack.wait_for("chat.postMessage", lambda c: c.args.get("channel") == "C500")
        # A request with a bad signature, and an unexpected error with its traceback.
        bot.slack.secret = "not-the-signing-secret"
        assert bot.slack.command("help").response.status_code == 401
        bot.slack.secret = SIGNING_SECRET
        slack.fail_next("users.info", error="fatal_error", status=500, retry_after=None)
        oops = text_of(bot.slack.reply(bot.slack.command("book 30min tomorrow")))
        send_event(bot.slack, "T111", {"type": "app_uninstalled"})
        bot.settle()
    finally:
        bot.slack.close()
        server.stop()

    text = captured_logs.getvalue()
    secrets = {
        "signing secret": SIGNING_SECRET,
        "Maton key": MATON_KEY,
        "client secret": slack.client_secret,
        "installed bot token": team_token,
        "env bot token": BOT_TOKEN,
        "Maton connect URL": connect_url,
        **{f"webhook secret {i}": h["secret"] for i, h in enumerate(calcom.webhooks.values())},
        **{
            f"webhook token {i}": r.path.rsplit("/", 1)[1]
            for i, r in enumerate(_webhook_posts(calcom))
        },
    }
    leaked = [name for name, value in secrets.items() if value and value in text]
    assert leaked == [], f"secrets in the logs: {leaked}"
    assert not re.search(r"xox[abpr]-[A-Za-z0-9]", text), "a Slack token in the logs"

    entries = [json.loads(line) for line in text.splitlines()]  # JSON lines, every one
    assert {"time", "level", "logger", "ref", "message"} <= set(entries[0])
    assert any(e["level"] == "DEBUG" for e in entries)  # LOG_LEVEL=DEBUG reached the root
    # ...but not the Slack libraries, which would write every request body down.
    chatty = [e for e in entries if e["logger"].startswith(logs.CHATTY_LOGGERS)]
    assert not [e for e in chatty if e["level"] == "DEBUG"]
    # Every Slack request is logged under a reference its background work shares.
    connect = next(e for e in entries if e["message"].startswith("slack command /cal connect"))
    assert connect["ref"] != "-"
    created = next(e for e in entries if e["message"].startswith("connection created for"))
    assert created["ref"] == connect["ref"]
    uninstalled = next(e for e in entries if e["message"].startswith("workspace T111 forgotten"))
    assert uninstalled["ref"] == next(
        e["ref"] for e in entries if e["message"].startswith("slack event app_uninstalled")
    )
    # The user's error message quotes the reference that finds the traceback.
    failure = next(e for e in entries if e["message"].startswith("unexpected error"))
    assert "exception" in failure and failure["ref"] != "-"
    assert f"(ref {failure['ref']})" in oops
    # Each HTTP request, webhook deliveries included, has its access line and reference.
    access = [e for e in entries if e["logger"] == "calbot.http"]
    assert any(" /slack/events 401 " in e["message"] for e in access)
    refs = [e["ref"] for e in access]
    assert len(set(refs)) == len(refs) and "-" not in refs
    assert any("/calcom/webhooks/[redacted] 200" in e["message"] for e in access)
    # A delivery's receipt names the outbox row whose reference its post is logged under.
    queued = next(e for e in entries if " queued as outbox-" in e["message"])
    row_ref = queued["message"].rsplit(" ", 1)[1]
    # One INFO line a delivery: its receipt; the access line of a 200 only repeats it.
    deliveries = [e for e in access if "/calcom/webhooks/[redacted] 200" in e["message"]]
    assert {e["level"] for e in deliveries} == {"DEBUG"}
    assert queued["level"] == "INFO" and queued["ref"] in {e["ref"] for e in deliveries}
    assert any(e["ref"] == row_ref and e["message"].startswith("row ") for e in entries)


def _webhook_posts(calcom: CalcomEmulator) -> list[Any]:
    return [r for r in calcom.requests if "/calcom/webhooks/" in getattr(r, "path", "")]


def test_the_log_handler_redacts_messages_and_tracebacks() -> None:
    """Redaction is applied by the handler itself, to tracebacks too (not only by `redact`)."""
    buffer = io.StringIO()
    logger = logging.getLogger("calbot.test-redaction")
    logger.propagate = False
    logger.handlers[:] = [logs.make_handler("text", ["configured-s3cret"], buffer)]
    try:
        logger.error("key configured-s3cret token xoxb-1-abcdef")
        try:
            raise RuntimeError("xoxb-2-ghijkl")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.handlers[:] = []
    text = buffer.getvalue()
    assert "configured-s3cret" not in text and "xoxb-1" not in text and "xoxb-2" not in text
    assert text.count("[redacted]") >= 3


def test_redaction_covers_tokens_signatures_and_capability_urls() -> None:
    line = logs.redact(
        "token xoxb-123-abc app xapp-1-A1 sig v0=" + "a" * 64 + " hook /calcom/webhooks/HoOk-t0k"
        " reply to https://hooks.slack.com/commands/T1/22/AbCdEf1234 now; configured-secret",
        ["configured-secret"],
    )
    for secret in ("xoxb-123", "xapp-1", "a" * 64, "HoOk-t0k", "AbCdEf1234", "configured"):
        assert secret not in line
    assert "https://hooks.slack.com/commands/[redacted] now" in line

    # Maton's connect link, however it is written down: bare, in JSON, in a Python repr.
    link = logs.redact("open https://connect.maton.ai/?session_token=Sess10n-t0k&x=1 now")
    assert link == "open https://connect.maton.ai/[redacted] now"
    assert logs.redact("?app=cal&session_token=Sess10n-t0k") == "?app=cal&session_token=[redacted]"
    body = logs.redact(
        '{"type": "button", "url": "http://maton.test/oauth/c-1"} '
        "{'url': 'http://maton.test/oauth/c-2'} Connection(url='http://maton.test/oauth/c-3')"
    )
    assert "maton.test" not in body and body.count("[redacted]") == 3


def test_the_app_starts_without_warnings_when_the_bot_token_is_in_the_environment(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Bolt reads SLACK_BOT_TOKEN itself and warns, at every start, that it goes unused.
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    rt = Runtime.create(settings)
    try:
        with caplog.at_level(logging.WARNING):
            build_app(rt)
            build_app(rt)  # the filter is added once, however many apps are built
    finally:
        asyncio.run(rt.close())
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert sum(isinstance(f, logs.QuietBoltFilter) for f in logs.bolt_logger().filters) == 1
    with caplog.at_level(logging.WARNING):  # any other Bolt warning still gets through
        logs.bolt_logger().warning("something else")
    assert [r.getMessage() for r in caplog.records] == ["something else"]


# --------------------------------------------------------------------- SIGTERM


@pytest.fixture
def served(tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator) -> Iterator[Process]:
    database = tmp_path / "calbot.db"
    store = Store(database)
    store.migrate()
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    connection = calcom.add_connection("sam")
    store.save_link(Link("T111", "U1", connection.connection_id, "ACTIVE", username="sam"))
    store.close()
    env = child_env(**make_env(tmp_path, calcom, slack, LOG_LEVEL="INFO"))
    process = Process(env)
    yield process
    if process.proc.poll() is None:
        process.proc.kill()
    process.proc.wait(timeout=10)


def test_serve_runs_on_uvloop(served: Process) -> None:
    """uvicorn[standard] brings uvloop; `calbot serve` runs its own loop, so it must pick it."""
    served.wait_for_line(r"event loop: uvloop")


def test_sigterm_finishes_work_in_flight_then_exits_0_within_10_s(
    served: Process, calcom: CalcomEmulator, slack: SlackEmulator
) -> None:
    port = int(served.wait_for_line(r"Uvicorn running on http://[\d.]+:(\d+)")[1])
    url = f"http://127.0.0.1:{port}"
    driver = SlackDriver(url, SIGNING_SECRET, slack)
    # A client that stops halfway through its request: uvicorn would wait 10 s for it.
    stalled = socket.create_connection(("127.0.0.1", port))
    try:
        stalled.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: calbot\r\nContent-Length: 1000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\ncommand=%2Fcal"
        )
        calcom.fault("delay", path="/cal-com/v2/me", seconds=1.5)  # a slow command
        calcom.fault("timeout", path="/cal-com/v2/bookings", seconds=60)  # one that never ends
        slow = driver.command("me")
        endless = driver.command("bookings")
        assert slow.response.status_code == endless.response.status_code == 200  # acked
        signalled = time.monotonic()
        served.proc.send_signal(signal.SIGTERM)

        served.wait_for_line(r"SIGTERM received")
        served.wait_for_line(r"Waiting for connections to close")  # the listener is closed
        with pytest.raises(httpx.ConnectError):  # no new requests while it finishes
            httpx.post(f"{url}/slack/events", content=b"x", timeout=2)
        assert "Sam Jones" in text_of(driver.reply(slow, timeout=10))

        # One deadline for every stage: the stalled request is cut off at it, and the
        # handed-off work that outlives it is cancelled, without waiting a second time.
        served.wait_for_line(r"Cancel 1 running task\(s\), timeout graceful shutdown exceeded")
        served.wait_for_line(r"cancelled 1 task\(s\) still running")
        assert served.proc.wait(timeout=15) == 0
        took = time.monotonic() - signalled
        assert 9 < took < 10.5, f"shutdown took {took:.1f} s"
    finally:
        stalled.close()
        driver.close()


def test_sigterm_lets_a_request_in_progress_and_handed_off_work_finish(
    served: Process, calcom: CalcomEmulator, slack: SlackEmulator
) -> None:
    """Within the deadline nothing is cut: a request whose body arrives after the signal is
    answered, and work handed off before it completes."""
    port = int(served.wait_for_line(r"Uvicorn running on http://[\d.]+:(\d+)")[1])
    driver = SlackDriver(f"http://127.0.0.1:{port}", SIGNING_SECRET, slack)
    calcom.fault("delay", path="/cal-com/v2/me", seconds=3)  # outlives uvicorn's own wait
    body = b"command=%2Fcal&text=help"
    late = socket.create_connection(("127.0.0.1", port))
    try:
        slow = driver.command("me")
        late.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: calbot\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        served.proc.send_signal(signal.SIGTERM)
        served.wait_for_line(r"Waiting for connections to close")  # shutdown has begun
        assert "Sam Jones" in text_of(driver.reply(slow, timeout=10))  # the work finished
        # ~3 s into the shutdown, the request in progress gets its body, and an answer
        late.sendall(body)
        late.settimeout(5)
        assert late.recv(100).startswith(b"HTTP/1.1 401")  # answered (unsigned), not cut off
        assert served.proc.wait(timeout=15) == 0
        assert not any("cancelled" in line.lower() for line in served.seen)
    finally:
        late.close()
        driver.close()


# --------------------------------------------------------------------- start-up


def test_processes_starting_at_once_migrate_one_database_safely(tmp_path: Path) -> None:
    # Ten rounds of four processes opening and migrating one new file together: a race
    # (the WAL switch on a new file deadlocked one round in three) shows up in some round.
    paths = [str(tmp_path / f"calbot{i}.db") for i in range(10)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    workers = [context.Process(target=open_and_migrate, args=(paths, barrier)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]

    for path in paths:
        store = Store(path)
        try:
            assert store.pending_migrations() == []
            applied = [row["name"] for row in store.db["_sqlite_migrations"].rows]
            assert sorted(applied) == sorted(m.name for m in migrations._migrations)  # once each
            tables = set(store.db.table_names())
            assert {"links", "slack_installations", "slack_bots", "oauth_states"} <= tables
        finally:
            store.close()
