"""The process-wide objects every part of calbot shares, built once.

One pooled HTTP client for the gateway, one database handle, the caches, the clock
(injected by tests), the admission queue of work handed off after the ack and the set
of its tasks (so shutdown can wait for them), and one Slack HTTP session per workspace.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.admission import Admission
from bot.budget import ACTION_BUDGET
from bot.cache import TTLCache
from bot.calcom.client import CalcomClient
from bot.calcom.connections import MatonConnections
from bot.calcom.pool import GatewayPool
from bot.calcom.transport import make_http_client
from bot.config import Settings
from bot.pacing import Pacer
from bot.slackweb import web_client
from bot.store import Store
from bot.store.installations import enterprise_of, installation_store

log = logging.getLogger("calbot")

Clock = Callable[[], datetime]

# The shutdown contract (README, "Shutdown"): from SIGTERM to exit, every stage together.
SHUTDOWN_SECONDS = 10.0
# Of those, what is kept back for cancelling the work still running and closing.
UNWIND_SECONDS = 0.5
# An answer not ready this long after the click gets an interim line (bot/slack/context.py).
INTERIM_AFTER = 0.8


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def utc_now() -> datetime:
    return datetime.now(UTC)


class NotInstalled(LookupError):
    """Multi-workspace mode: no installation (bot token) for this team, or it was removed."""

    def __init__(self, team_id: str):
        super().__init__(f"calbot is not installed in workspace {team_id}")
        self.team_id = team_id


@dataclass
class Runtime:
    settings: Settings
    store: Store
    http: GatewayPool
    calcom: CalcomClient
    connections: MatonConnections
    clock: Clock = utc_now
    installations: SQLite3InstallationStore | None = None  # multi-workspace mode only
    profiles: TTLCache[Any] = field(default_factory=lambda: TTLCache(300))
    event_types: TTLCache[Any] = field(default_factory=lambda: TTLCache(300))
    slack_people: TTLCache[Any] = field(default_factory=lambda: TTLCache(600))
    # `/cal find`: free times read per connection, briefly; reads paced to Maton's limit
    availability: TTLCache[Any] = field(default_factory=lambda: TTLCache(60))
    pacer: Pacer = field(default_factory=Pacer)
    # a user's bookings in a window, briefly: an agenda and its reminders read them once
    day_bookings: TTLCache[Any] = field(default_factory=lambda: TTLCache(60))
    # open modals: the newest draft and Slack's hash of our last update (bot/slack/views.py)
    modals: TTLCache[Any] = field(default_factory=lambda: TTLCache(3600))
    admission: Admission = field(default_factory=Admission)
    budget_seconds: float = ACTION_BUDGET  # from a click to its final answer
    interim_after: float = INTERIM_AFTER
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _work_deadline: float | None = None  # time.monotonic(); set once shutdown begins
    _slack_clients: dict[str, AsyncWebClient] = field(default_factory=dict)
    _slack_sessions: dict[str, aiohttp.ClientSession] = field(default_factory=dict)
    _locks: dict[tuple[str, ...], asyncio.Lock] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, *, clock: Clock = utc_now) -> Runtime:
        store = Store(settings.database_path)
        store.migrate()
        http = make_http_client()
        return cls(
            settings=settings,
            store=store,
            http=http,
            calcom=CalcomClient(
                http, gateway_url=settings.maton_gateway_url, api_key=settings.maton_api_key
            ),
            connections=MatonConnections(
                http, ctrl_url=settings.maton_ctrl_url, api_key=settings.maton_api_key
            ),
            clock=clock,
            installations=(
                installation_store(settings.database_path, settings.slack_client_id or "")
                if settings.oauth
                else None
            ),
        )

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str = "work") -> asyncio.Task[Any]:
        """Run `work` after the listener has acked; keep a reference so shutdown can wait."""
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Work is wrapped by the Slack error handler; reaching here is a bug in it.
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    def lock(self, *key: str) -> asyncio.Lock:
        """One asyncio lock per key, e.g. ("connect", team, user): serialises a user's
        check-then-create steps so a double click can't create two of something."""
        return self._locks.setdefault(key, asyncio.Lock())

    def slack_client(self, team_id: str) -> AsyncWebClient:
        """A Web API client for work outside a Slack request (notifications, DMs).

        Single-workspace mode: the bot token. Multi-workspace mode: the team's installation,
        looked up each time (an indexed read) so a reinstall's new token is used at once and
        an uninstalled team raises `NotInstalled` instead of calling Slack with a dead token.
        """
        token = self.settings.slack_bot_token
        if self.installations is not None:
            enterprise = enterprise_of(self.installations, team_id)  # Grid: the org's id
            bot = self.installations.find_bot(enterprise_id=enterprise, team_id=team_id)
            if bot is None:
                raise NotInstalled(team_id)
            token = bot.bot_token
        client = self._slack_clients.get(team_id)
        if client is None or client.token != token:
            client = web_client(self.settings.slack_api_url, token)
            self._slack_clients[team_id] = client
        if client.session is None and _in_event_loop():
            client.session = self.slack_session(team_id)
        return client

    def slack_session(self, team_id: str = "") -> aiohttp.ClientSession:
        """The workspace's one HTTP session to Slack (Web API and response URLs), made on
        first use inside the event loop; single-workspace mode has one for everything."""
        key = team_id if self.installations is not None else ""
        session = self._slack_sessions.get(key)
        if session is None or session.closed:
            session = aiohttp.ClientSession()
            self._slack_sessions[key] = session
        return session

    def forget_installation(self, team_id: str, enterprise_id: str | None = None) -> None:
        """Drop the team's installation (multi-workspace mode) and its cached client;
        in Enterprise Grid, under the org the installation was stored with."""
        if self.installations is not None:
            enterprise = enterprise_id or enterprise_of(self.installations, team_id)
            self.installations.delete_all(enterprise_id=enterprise, team_id=team_id)
        self._slack_clients.pop(team_id, None)

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def begin_shutdown(self) -> None:
        """Start the one shutdown clock (the signal handler does; else the app's lifespan).

        Every stage that waits (Socket Mode, requests in progress, handed-off work, the
        notification post in flight) waits until the same deadline, `SHUTDOWN_SECONDS`
        less `UNWIND_SECONDS` after the first call; later calls change nothing.
        """
        if self._work_deadline is None:
            self._work_deadline = time.monotonic() + SHUTDOWN_SECONDS - UNWIND_SECONDS

    def time_left(self) -> float:
        """Seconds the shutdown may still wait for work (starting the clock if need be)."""
        self.begin_shutdown()
        assert self._work_deadline is not None
        return max(0.0, self._work_deadline - time.monotonic())

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for in-flight work, by default until the shutdown deadline (starting its
        clock: call this only to shut down), then cancel the rest and give it
        `UNWIND_SECONDS` to unwind (a row released, a connection closed)."""
        if not self._tasks:
            return
        wait = self.time_left() if timeout is None else timeout
        log.info("finishing %d task(s) in progress (at most %.1f s)", len(self._tasks), wait)
        _, pending = await asyncio.wait(set(self._tasks), timeout=wait)
        if not pending:
            return
        for task in pending:
            task.cancel()
        log.warning("cancelled %d task(s) still running after %.1f s", len(pending), wait)
        await asyncio.wait(pending, timeout=UNWIND_SECONDS)

    async def close(self) -> None:
        """Release the HTTP pool and the database; `drain` first, this does not wait."""
        await self.http.aclose()
        for session in self._slack_sessions.values():
            await session.close()
        self._slack_sessions.clear()
        self.store.close()
