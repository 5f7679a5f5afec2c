"""Slack's Socket Mode, emulated on loopback for tests (aiohttp's WebSocket server).

The Slack Web API emulator answers ``apps.connections.open`` with a URL from here once it is
attached (``slack.attach_socket_mode(socket)``): ``ws://127.0.0.1:PORT/link/?ticket=…``,
where Slack gives ``wss://wss-primary.slack.com/link/?ticket=…``.

    socket = SocketModeEmulator(app_id="A111")
    socket.start()
    slack.attach_socket_mode(socket)
    ...                                          # start the app with SLACK_APP_TOKEN
    socket.wait_connections(1)                   # it connected and got `hello`
    ack = socket.deliver_request(body, "application/x-www-form-urlencoded")
    socket.disconnect("refresh_requested")       # the app must reconnect with a new URL
    socket.stop()

What it does like Slack (docs.slack.dev "Using Socket Mode", and the envelopes in
python-slack-sdk's and bolt-python's Socket Mode tests):
- A ticket opens one connection; an unknown or used one is refused before the upgrade.
- On connect: ``{"type": "hello", "num_connections", "connection_info": {"app_id"},
  "debug_info": {"host", "build_number", "approximate_connection_time"}}``.
- Requests arrive as envelopes ``{"envelope_id", "type", "payload",
  "accepts_response_payload"}``: ``slash_commands`` (the command's form fields as a JSON
  object; a payload is accepted), ``interactive`` (the interaction payload; a payload is
  accepted for ``view_submission`` and ``block_suggestion`` only) and ``events_api`` (the
  ``event_callback`` body; with ``retry_attempt`` and ``retry_reason``).
- The app acks ``{"envelope_id"[, "payload"]}`` on the same connection: every ack is
  recorded with the connection it came on, and ``wait_ack`` blocks until it is there;
  anything else the app sends (an unknown envelope id, a second ack) lands in ``stray``.
- ``disconnect`` sends ``{"type": "disconnect", "reason", "debug_info": {"host"}}``
  (``warning``, ``refresh_requested``, ``link_disabled``); a client that refreshes calls
  ``apps.connections.open`` for a new ticket and opens a new connection.

Everything is recorded under one condition variable, so tests wait on events, not time.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

HOST = "applink-emulator-1"
APPROXIMATE_CONNECTION_TIME = 18060  # seconds, as Slack reports it
ACCEPTS_PAYLOAD = {"view_submission", "block_suggestion"}


@dataclass
class Connection:
    """One WebSocket the app opened, in the order it opened them."""

    number: int
    ticket: str
    ws: web.WebSocketResponse = field(repr=False)
    closed: bool = False
    received: list[dict[str, Any]] = field(default_factory=list)  # acks and anything else


@dataclass
class Ack:
    """The app's acknowledgement of one envelope, read like the HTTP answer Slack would get
    in HTTP mode (status, body), so the HTTP-mode test drivers work unchanged."""

    envelope_id: str
    connection: int
    message: dict[str, Any]
    status_code: int = 200

    @property
    def payload(self) -> dict[str, Any] | None:
        return self.message.get("payload")

    @property
    def content(self) -> bytes:
        return json.dumps(self.payload).encode() if self.payload else b""

    @property
    def text(self) -> str:
        return self.content.decode()

    def json(self) -> Any:
        return self.payload


def envelope_for(body: bytes, content_type: str) -> tuple[str, dict[str, Any], bool]:
    """The Socket Mode (type, payload, accepts_response_payload) Slack sends instead of the
    HTTP request `body` it would POST to the Request URL."""
    if "json" in content_type:
        payload = json.loads(body)
        if payload.get("type") != "event_callback":
            raise ValueError(f"not delivered over Socket Mode: {payload.get('type')}")
        return "events_api", payload, False
    form = dict(parse_qsl(body.decode(), keep_blank_values=True))
    if "payload" in form:
        interaction = json.loads(form["payload"])
        return "interactive", interaction, interaction.get("type") in ACCEPTS_PAYLOAD
    if "command" in form:
        return "slash_commands", form, True
    raise ValueError(f"not a Slack request: {sorted(form)}")


class SocketModeEmulator:
    """Slack's side of Socket Mode: tickets, connections, envelopes out, acks in."""

    def __init__(self, *, app_id: str = "A111") -> None:
        self.app_id = app_id
        self.port: int | None = None
        self.connections: list[Connection] = []
        self.envelopes: list[dict[str, Any]] = []
        self.acks: dict[str, Ack] = {}
        self.stray: list[dict[str, Any]] = []  # messages that ack no envelope sent
        self.refused_tickets: list[str] = []
        self._tickets: dict[str, bool] = {}  # ticket -> used
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Serve on a free loopback port, in a thread with its own event loop."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        started = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            app = web.Application()
            app.router.add_get("/link/", self._handle)
            self._runner = web.AppRunner(app, handle_signals=False)
            loop.run_until_complete(self._runner.setup())
            loop.run_until_complete(web.SockSite(self._runner, sock).start())
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name=f"socket-mode-{self.port}", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the Socket Mode emulator did not start")

    def stop(self) -> None:
        """Close every connection (as Slack does when it goes away), then stop serving."""
        if self._loop is None:
            return

        async def close_all() -> None:
            for connection in list(self.connections):
                await connection.ws.close()

        asyncio.run_coroutine_threadsafe(close_all(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)

    # ------------------------------------------------------------------ apps.connections.open

    def new_url(self) -> str:
        """A one-use WebSocket URL, as ``apps.connections.open`` returns."""
        if self.port is None:
            raise RuntimeError("start the Socket Mode emulator first")
        ticket = str(uuid.uuid4())
        with self._cond:
            self._tickets[ticket] = False
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        with self._cond:
            if self._tickets.get(ticket) is not False:
                self.refused_tickets.append(ticket)
                self._cond.notify_all()
                return web.Response(status=401, text="invalid_ticket")
            self._tickets[ticket] = True
        ws = web.WebSocketResponse(autoping=True)  # answers the client's pings with pongs
        await ws.prepare(request)
        with self._cond:
            connection = Connection(len(self.connections) + 1, ticket, ws)
            self.connections.append(connection)
            open_now = sum(not c.closed for c in self.connections)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": open_now,
                "debug_info": {
                    "host": HOST,
                    "build_number": 105,
                    "approximate_connection_time": APPROXIMATE_CONNECTION_TIME,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )
        with self._cond:
            self._cond.notify_all()  # the hello is out: the connection can carry envelopes
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self._received(connection, message.data)
        finally:
            with self._cond:
                connection.closed = True
                self._cond.notify_all()
        return ws

    def _received(self, connection: Connection, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = {"unparsed": data}
        with self._cond:
            connection.received.append(message)
            envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
            sent = {e["envelope_id"] for e in self.envelopes}
            if envelope_id in sent and envelope_id not in self.acks:
                self.acks[envelope_id] = Ack(envelope_id, connection.number, message)
            else:  # unknown, or a second ack of one envelope
                self.stray.append(message)
            self._cond.notify_all()

    # ------------------------------------------------------------------ waiting

    def _wait(self, ready: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = ready()
                if found:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{what} within {timeout} s; {self.summary()}")
                self._cond.wait(remaining)

    def wait_connections(self, count: int, *, timeout: float = 15) -> list[Connection]:
        """Block until the app has opened `count` connections in all; return them."""
        return self._wait(
            lambda: self.connections[:] if len(self.connections) >= count else None,
            timeout,
            f"expected {count} connection(s)",
        )

    def wait_closed(self, number: int, *, timeout: float = 10) -> None:
        """Block until connection `number` (1-based) is closed."""
        self._wait(
            lambda: len(self.connections) >= number and self.connections[number - 1].closed,
            timeout,
            f"expected connection {number} to close",
        )

    def wait_ack(self, envelope_id: str, *, timeout: float = 5) -> Ack:
        """Block until the app acks `envelope_id` (Slack retries after 3 s without one)."""
        return self._wait(
            lambda: self.acks.get(envelope_id), timeout, f"expected an ack of {envelope_id}"
        )

    def summary(self) -> str:
        with self._cond:
            states = [f"#{c.number}{' closed' if c.closed else ''}" for c in self.connections]
            return (
                f"connections: {states or 'none'}, envelopes sent: {len(self.envelopes)}, "
                f"acked: {len(self.acks)}, refused tickets: {len(self.refused_tickets)}"
            )

    # ------------------------------------------------------------------ sending

    def current(self) -> Connection:
        """The newest open connection: where Slack sends (any open one would do)."""
        with self._cond:
            open_ = [c for c in self.connections if not c.closed]
            if not open_:
                raise AssertionError(f"the app has no open connection; {self.summary()}")
            return open_[-1]

    def _send(self, connection: Connection, message: dict[str, Any]) -> None:
        if self._loop is None:
            raise RuntimeError("start the Socket Mode emulator first")
        future = asyncio.run_coroutine_threadsafe(connection.ws.send_json(message), self._loop)
        future.result(5)

    def send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send one envelope on the current connection; its envelope id."""
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "payload": payload,
            "type": envelope_type,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        connection = self.current()
        with self._cond:
            self.envelopes.append({**envelope, "connection": connection.number})
        self._send(connection, envelope)
        return envelope["envelope_id"]

    def deliver_request(self, body: bytes, content_type: str, *, timeout: float = 5) -> Ack:
        """What Slack would POST in HTTP mode, sent as its envelope instead; the app's ack."""
        envelope_type, payload, accepts = envelope_for(body, content_type)
        envelope_id = self.send(envelope_type, payload, accepts_response_payload=accepts)
        return self.wait_ack(envelope_id, timeout=timeout)

    def disconnect(self, reason: str = "refresh_requested") -> Connection:
        """Tell the app on the current connection to go away; the connection it was sent on."""
        connection = self.current()
        self._send(
            connection,
            {"type": "disconnect", "reason": reason, "debug_info": {"host": HOST}},
        )
        return connection


def random_app_token() -> str:
    """An app-level token in Slack's shape (``xapp-1-A…-…-…``)."""
    return f"xapp-1-A111-{secrets.randbelow(10**12)}-{secrets.token_hex(32)}"
