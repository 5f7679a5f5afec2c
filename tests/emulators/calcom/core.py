"""The emulator object: state, test-setup methods, Maton's layer and the ASGI app."""

from __future__ import annotations

import asyncio
import hmac
import html
import itertools
import json
import math
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..openapi_contract import check_request
from ..server import LoopbackServer, serve
from .bookings import BookingsApi
from .model import (
    DEFAULT_EVENT_TYPES,
    DEFAULT_HOURS,
    Account,
    ApiError,
    Connection,
    Delivery,
    Fault,
    RecordedRequest,
    cal_error_body,
    maton_error,
    zone,
)
from .resources import ResourcesApi
from .routing import Ctx, compile_routes
from .slots import SlotsApi
from .webhooks import WebhooksApi

APP = "cal-com"
FAULT_KINDS = (
    "rate_limit",
    "error_500",
    "bare_500",
    "forbidden",
    "not_found",
    "delay",
    "timeout",
    "together",
)
# answered with the error envelope, as NestJS words them
_FAULT_ERRORS = {"forbidden": (403, "Forbidden resource"), "not_found": (404, "Not Found")}
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
RATE_LIMIT = 120  # Cal.com's default per-minute API limit, shown in the headers
_ID_STARTS = {
    "user": 1001,
    "event_type": 2001,
    "schedule": 3001,
    "booking": 5001,
    "credential": 7001,
}


class CalcomEmulator(ResourcesApi, BookingsApi, SlotsApi, WebhooksApi):
    """Cal.com API v2 behind the Maton gateway, plus Maton's control plane (see package doc)."""

    def __init__(
        self, *, api_key: str = "test-maton-key", clock: Callable[[], datetime] | None = None
    ) -> None:
        self.api_key = api_key
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.base_url: str | None = None
        self.rate_limit_per_second: int | None = None  # Maton's 10/s when set; off by default
        self._lock = threading.RLock()
        self._delivered = threading.Condition()
        self._answered = threading.Condition(self._lock)  # notified as each request is answered
        self._ids = {kind: itertools.count(first) for kind, first in _ID_STARTS.items()}
        self.accounts: dict[int, Account] = {}
        self.connections: dict[str, Connection] = {}
        self.event_types: dict[int, dict[str, Any]] = {}
        self.schedules: dict[int, dict[str, Any]] = {}
        self.bookings: dict[str, dict[str, Any]] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.reservations: dict[str, dict[str, Any]] = {}
        self.requests: list[RecordedRequest] = []
        self.contract_violations: list[str] = []
        self.internal_errors: list[str] = []
        self.deliveries: list[Delivery] = []
        self.faults: list[Fault] = []
        self._gathering: dict[int, list[Any]] = {}  # "together" faults: [arrived, Event, fault]
        self._windows: dict[str, deque[datetime]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._release: asyncio.Event | None = None
        self._holds: list[threading.Event] = []  # "hold" faults' gates, set on close
        self._tasks: set[asyncio.Task[Any]] = set()
        self._http_client: httpx.AsyncClient | None = None
        self._server: LoopbackServer | None = None
        self._routes = compile_routes(type(self))
        self.app = Starlette(
            routes=[
                Route("/connections", self._ctrl_connections, methods=["GET", "POST"]),
                Route("/connections/{cid}", self._ctrl_connection, methods=["GET", "DELETE"]),
                Route("/oauth/{cid}", self._oauth_page, methods=["GET"]),
                Route("/cal-com/{rest:path}", self._gateway, methods=ALL_METHODS),
                Route("/v2/bookings/{rest:path}", self._public_by_uid, methods=["GET", "POST"]),
                Route("/{rest:path}", self._unknown_app, methods=ALL_METHODS),
            ],
            lifespan=self._lifespan,
        )

    # ================================================================ basics

    def now(self) -> datetime:
        value = self.clock()
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def next_id(self, kind: str) -> int:
        return next(self._ids[kind])

    def account(self, username: str) -> Account:
        for account in self.accounts.values():
            if account.username == username:
                return account
        raise KeyError(username)

    def gateway_requests(self) -> list[RecordedRequest]:
        """Recorded requests to the gateway only (``/cal-com/...``)."""
        return [r for r in self.requests if r.path.startswith("/cal-com/")]

    def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0
    ) -> RecordedRequest:
        """The first answered request matching ``predicate``; waits (no polling) for one."""
        deadline = time.monotonic() + timeout
        with self._answered:
            while True:
                for rec in self.requests:
                    if rec.status is not None and predicate(rec):
                        return rec
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching answered request within {timeout}s")
                self._answered.wait(remaining)

    # ================================================================ test setup

    def add_account(
        self,
        *,
        username: str,
        name: str,
        email: str,
        time_zone: str = "America/New_York",
        working_hours: list[dict[str, Any]] | None = None,
        event_types: list[dict[str, Any]] | None = None,
    ) -> Account:
        """A Cal.com user with a default schedule ("Working Hours") and event types."""
        with self._lock:
            if any(a.username == username for a in self.accounts.values()):
                raise ValueError(f"username {username!r} is taken")
            zone(time_zone)
            account = Account(
                self,
                id=self.next_id("user"),
                username=username,
                name=name,
                email=email,
                time_zone=time_zone,
            )
            self.accounts[account.id] = account
            self.new_schedule(
                account.id,
                name="Working Hours",
                time_zone=time_zone,
                availability=working_hours or DEFAULT_HOURS,
                is_default=True,
            )
            specs = DEFAULT_EVENT_TYPES if event_types is None else event_types
            for spec in specs:
                self.new_event_type(account.id, dict(spec))
            return account

    def add_connection(self, username: str | None = None) -> Connection:
        """A connection as ``POST /connections`` makes it; ACTIVE for ``username`` if given."""
        with self._lock:
            now = self.now()
            cid = str(uuid.uuid4())
            conn = Connection(cid, "PENDING", now, now, self._oauth_url(cid, None))
            self.connections[cid] = conn
            if username is not None:
                self.complete_oauth(cid, username)
            return conn

    def complete_oauth(self, connection_id: str, username: str) -> None:
        """The user finishes OAuth at the connection's url: PENDING -> ACTIVE, bound."""
        with self._lock:
            conn = self.connections[connection_id]
            conn.account_id = self.account(username).id
            conn.status = "ACTIVE"
            conn.expired = False
            conn.last_updated_time = self.now()

    def expire_connection(self, connection_id: str) -> None:
        """The connection's OAuth token expired: every gateway call with it gets Maton's 500."""
        with self._lock:
            self.connections[connection_id].expired = True

    def book_as_guest(
        self,
        *,
        event_type_id: int,
        start: datetime,
        name: str,
        email: str,
        requires_confirmation: bool = False,
        time_zone: str = "UTC",
    ) -> dict[str, Any]:
        """A booking from the public booking page; fires webhooks. Returns the 2024-08-13 shape."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        with self._lock:
            et = self.event_types[event_type_id]
            start = start.astimezone(UTC)
            try:
                self._check_bookable(et, start, booker_id=None)
            except ApiError as exc:
                raise ValueError(exc.message) from exc
            pending = requires_confirmation or et["requiresConfirmation"]
            booking = self.new_booking(
                et,
                start,
                {"name": name, "email": email, "timeZone": time_zone},
                status="pending" if pending else "accepted",
                booker_id=None,
            )
            trigger = "BOOKING_REQUESTED" if pending else "BOOKING_CREATED"
            jobs = self._jobs_for([(trigger, booking["uid"], {})])
            out = self.booking_out(booking)
        self._spawn(jobs)
        return out

    def fault(
        self, kind: str, *, path: str | None = None, times: int = 1, seconds: float = 0.0
    ) -> None:
        """Make the next ``times`` matching requests fail (see the package doc)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULT_KINDS}")
        with self._lock:
            self.faults.append(Fault(kind, path, times, seconds, group=times))

    def hold(
        self, path: str | None = None, *, times: int = 1, seconds: float = 30.0
    ) -> threading.Event:
        """Hold the next ``times`` matching requests until the returned event is set (see
        the package doc)."""
        released = threading.Event()
        with self._lock:
            self.faults.append(Fault("hold", path, times, seconds, released=released))
            self._holds.append(released)
        return released

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    # ================================================================ lifecycle

    def start(self) -> LoopbackServer:
        """Serve on loopback; sets ``base_url``. Pair with ``stop()``."""
        self._server = serve(self.app)
        self.base_url = self._server.url
        return self._server

    def attach(self, server: LoopbackServer) -> None:
        """Serve through an already running server whose app forwards to ``self.app``.

        For suites that share one server across tests (starting one costs ~0.2 s): sets
        ``base_url`` and the loop webhooks are delivered on. Call ``close()`` when done.
        """
        self._loop = server.loop
        self._release = asyncio.Event()
        self.base_url = server.url

    def stop(self) -> None:
        self.close()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def close(self) -> None:
        """Release hanging "timeout" requests, cancel pending deliveries, close the client.

        Call before stopping a server made with ``serve(emu.app)``: uvicorn waits for
        in-flight requests, and a hanging one would hold it for a minute.
        """
        loop = self._loop
        if loop is None or loop.is_closed() or not loop.is_running():
            return
        with suppress(RuntimeError, TimeoutError):
            asyncio.run_coroutine_threadsafe(self._aclose(), loop).result(5)

    async def _aclose(self) -> None:
        if self._release is not None:
            self._release.set()
        for released in self._holds:
            released.set()
        for task in list(self._tasks):
            task.cancel()
        if self._http_client is not None:
            await self._http_client.aclose()
            self._http_client = None

    @asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        self._release = asyncio.Event()
        try:
            yield
        finally:
            await self._aclose()

    # ================================================================ plumbing

    async def _record(self, request: Request) -> tuple[RecordedRequest, Any, bytes]:
        raw = await request.body()
        body: Any = None
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        query: dict[str, Any] = {}
        for key, value in request.query_params.multi_items():
            if key in query:
                prior = query[key]
                query[key] = [*prior, value] if isinstance(prior, list) else [prior, value]
            else:
                query[key] = value
        rec = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=query,
            headers={k.lower(): v for k, v in request.headers.items()},
            json=body,
            body=raw,
            connection_id=None,
            time=self.now(),
        )
        with self._lock:
            self.requests.append(rec)
        return rec, body, raw

    def _answer(
        self,
        rec: RecordedRequest,
        status: int,
        payload: Any,
        headers: dict[str, str] | None = None,
        background: BackgroundTask | None = None,
    ) -> Response:
        rec.status = status
        with self._answered:
            self._answered.notify_all()
        return JSONResponse(payload, status, headers=headers, background=background)

    def _authorized(self, headers: dict[str, str]) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), self.api_key.encode()
        )

    def _unauthorized(self, rec: RecordedRequest) -> Response:
        return self._answer(rec, 401, maton_error("unauthorized", "Invalid or missing API key"))

    def _oauth_url(self, cid: str, request: Request | None) -> str:
        base = self.base_url or (str(request.base_url).rstrip("/") if request else "")
        return f"{base}/oauth/{cid}"

    # ================================================================ control plane

    async def _ctrl_connections(self, request: Request) -> Response:
        rec, body, _raw = await self._record(request)
        if not self._authorized(rec.headers):
            return self._unauthorized(rec)
        with self._lock:
            if request.method == "GET":
                app, status = rec.query.get("app"), rec.query.get("status")
                items = sorted(self.connections.values(), key=lambda c: c.creation_time)
                found = [
                    c.to_json()
                    for c in items
                    if (app is None or c.app == app) and (status is None or c.status == status)
                ]
                return self._answer(rec, 200, {"connections": found})
            if not isinstance(body, dict) or not isinstance(body.get("app"), str):
                return self._answer(rec, 400, maton_error("invalid_request", "app is required"))
            now = self.now()
            cid = str(uuid.uuid4())
            conn = Connection(cid, "PENDING", now, now, self._oauth_url(cid, request), body["app"])
            self.connections[cid] = conn
            return self._answer(rec, 200, {"connection": conn.to_json()})

    async def _ctrl_connection(self, request: Request) -> Response:
        rec, _body, _raw = await self._record(request)
        if not self._authorized(rec.headers):
            return self._unauthorized(rec)
        cid = request.path_params["cid"]
        fault = self._take_fault(rec.path)  # only faults whose path names the control plane
        if fault is not None and fault.kind in ("error_500", "bare_500"):
            return self._answer(rec, 500, maton_error("internal_error", "Internal server error"))
        with self._lock:
            conn = self.connections.get(cid)
            if conn is None:
                return self._answer(
                    rec, 404, maton_error("not_found", f"Connection {cid} not found")
                )
            if request.method == "DELETE":
                del self.connections[cid]
                return self._answer(rec, 200, {})
            return self._answer(rec, 200, {"connection": conn.to_json()})

    async def _oauth_page(self, request: Request) -> Response:
        """The connection's ``url``: ``?username=...`` completes the OAuth (a browser's click)."""
        rec, _body, _raw = await self._record(request)
        cid = request.path_params["cid"]
        username = request.query_params.get("username")
        with self._lock:
            if cid not in self.connections:
                rec.status = 404
                return HTMLResponse("<h1>Unknown or expired link</h1>", 404)
            if username:
                try:
                    self.complete_oauth(cid, username)
                except KeyError:
                    rec.status = 400
                    return HTMLResponse("<h1>No such Cal.com user</h1>", 400)
                rec.status = 200
                return HTMLResponse(f"<h1>Connected Cal.com as {html.escape(username)}</h1>")
            links = "".join(
                f'<li><a href="?username={html.escape(a.username)}">{html.escape(a.name)}</a></li>'
                for a in self.accounts.values()
            )
        rec.status = 200
        return HTMLResponse(f"<h1>Authorize Cal.com</h1><ul>{links}</ul>")

    async def _unknown_app(self, request: Request) -> Response:
        rec, _body, _raw = await self._record(request)
        if not self._authorized(rec.headers):
            return self._unauthorized(rec)
        message = f"Invalid app name in path {rec.path}: gateway paths start with /{APP}/"
        return self._answer(rec, 400, maton_error("invalid_app", message))

    # ================================================================ gateway

    def _gateway_connection(self, rec: RecordedRequest) -> Connection | Response:
        cid = rec.headers.get("maton-connection")
        if cid:
            conn = self.connections.get(cid)
            if conn is None or conn.app != APP:
                message = f"Connection {cid} not found for app {APP}"
                return self._answer(rec, 400, maton_error("connection_not_found", message))
            if conn.status != "ACTIVE":
                message = (
                    f"Connection {cid} is {conn.status}, not ACTIVE: "
                    "complete the authorization at its url"
                )
                return self._answer(rec, 400, maton_error("connection_not_active", message))
        else:
            active = [c for c in self.connections.values() if c.app == APP and c.status == "ACTIVE"]
            if not active:
                message = f"No active {APP} connection found: create one at https://ctrl.maton.ai"
                return self._answer(rec, 400, maton_error("no_connection", message))
            conn = min(active, key=lambda c: c.creation_time)
        rec.connection_id = conn.connection_id
        if conn.expired:
            message = (
                f"Failed to refresh the OAuth token of connection {conn.connection_id}: "
                "invalid_grant (token expired or revoked)"
            )
            return self._answer(rec, 500, maton_error("internal_error", message))
        return conn

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                hit = path.startswith(fault.path) if fault.path else path.startswith(f"/{APP}/")
                if hit and fault.times > 0:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def _throttled(self, rec: RecordedRequest, api_path: str, reset: int) -> Response:
        headers = {
            "X-RateLimit-Limit-Default": str(RATE_LIMIT),
            "X-RateLimit-Remaining-Default": "0",
            "X-RateLimit-Reset-Default": str(reset),
        }
        body = cal_error_body(429, "ThrottlerException: Too Many Requests", api_path, self.now())
        return self._answer(rec, 429, body, headers)

    def _over_rate(self, conn: Connection) -> bool:
        limit = self.rate_limit_per_second
        if not limit:
            return False
        now = self.now()
        with self._lock:
            window = self._windows.setdefault(conn.connection_id, deque())
            while window and window[0] <= now - timedelta(seconds=1):
                window.popleft()
            if len(window) >= limit:
                return True
            window.append(now)
        return False

    async def _together(self, fault: Fault) -> bool:
        """Hold a "together" request until all ``times`` of them are in flight at once
        (True), or ``seconds`` (5 s by default) have passed (False: a client that sends
        them one after another never gets there)."""
        with self._lock:
            state = self._gathering.setdefault(id(fault), [0, asyncio.Event(), fault])
            state[0] += 1
            if state[0] >= fault.group:
                state[1].set()
        try:
            await asyncio.wait_for(state[1].wait(), timeout=fault.seconds or 5.0)
        except TimeoutError:
            return False
        return True

    async def _hang(self, request: Request, seconds: float) -> None:
        """Wait ``seconds``, or until the client goes away or the emulator closes."""

        async def gone() -> None:
            while (await request.receive())["type"] != "http.disconnect":
                pass

        waiters = [asyncio.ensure_future(gone())]
        if self._release is not None:
            waiters.append(asyncio.ensure_future(self._release.wait()))
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _gateway(self, request: Request) -> Response:
        rec, body, _raw = await self._record(request)
        api_path = rec.path[len(f"/{APP}") :]
        problems = check_request(rec.method, api_path, rec.query, rec.headers, body)
        if problems:
            with self._lock:
                self.contract_violations.extend(problems)
        if not self._authorized(rec.headers):
            return self._unauthorized(rec)
        with self._lock:
            conn = self._gateway_connection(rec)
        if isinstance(conn, Response):
            return conn
        fault = self._take_fault(rec.path)
        if fault is not None:
            if fault.kind == "rate_limit":
                return self._throttled(rec, api_path, math.ceil(fault.seconds))
            if fault.kind == "error_500":
                body500 = cal_error_body(500, "Internal server error", api_path, self.now())
                return self._answer(rec, 500, body500)
            if fault.kind == "bare_500":
                return self._answer(
                    rec, 500, {"statusCode": 500, "message": "Internal server error"}
                )
            if fault.kind in _FAULT_ERRORS:
                status, message = _FAULT_ERRORS[fault.kind]
                refusal = cal_error_body(status, message, api_path, self.now())
                return self._answer(rec, status, refusal)
            if fault.kind == "together" and not await self._together(fault):
                message = "Upstream request timed out"
                return self._answer(rec, 504, maton_error("gateway_timeout", message))
            if fault.kind == "hold" and fault.released is not None:
                await asyncio.to_thread(fault.released.wait, fault.seconds)
            if fault.kind == "delay":
                await asyncio.sleep(fault.seconds)
            if fault.kind == "timeout":
                await self._hang(request, fault.seconds or 60.0)
                message = "Upstream request timed out"
                return self._answer(rec, 504, maton_error("gateway_timeout", message))
        if self._over_rate(conn):
            return self._throttled(rec, api_path, 1)
        status, payload, jobs = self._dispatch(rec, api_path, body, conn)
        headers = {
            "X-RateLimit-Limit-Default": str(RATE_LIMIT),
            "X-RateLimit-Remaining-Default": str(RATE_LIMIT - 1),
            "X-RateLimit-Reset-Default": "60",
        }
        background = BackgroundTask(self._deliver_all, jobs) if jobs else None
        return self._answer(rec, status, payload, headers, background)

    # Cal.com's spec makes Authorization optional on these three: anyone with the uid.
    _PUBLIC_BY_UID = ("get_booking", "cancel_booking", "reschedule_booking")

    async def _public_by_uid(self, request: Request) -> Response:
        """Cal.com's own API, reached directly (no Maton) and with no credential at all:
        reading, cancelling and rescheduling a booking by uid work for anyone; any other
        operation needs the credential it names (401)."""
        rec, body, _raw = await self._record(request)
        problems = check_request(rec.method, rec.path, rec.query, rec.headers, body)
        if problems:
            with self._lock:
                self.contract_violations.extend(problems)
        with self._lock:
            for r in self._routes:
                match = r.regex.match(rec.path)
                if match is None or r.method != rec.method or r.attr not in self._PUBLIC_BY_UID:
                    continue
                if r.version and rec.headers.get("cal-api-version") != r.version:
                    continue
                ctx = Ctx(rec.method, rec.path, match.groupdict(), rec.query, rec.headers, body,
                          None, None)  # type: ignore[arg-type]  # fmt: skip
                try:
                    status, payload = getattr(self, r.attr)(ctx)
                except ApiError as exc:
                    error = cal_error_body(exc.status, exc.message, rec.path, self.now())
                    return self._answer(rec, exc.status, error)
                jobs = self._jobs_for(ctx.events)
                background = BackgroundTask(self._deliver_all, jobs) if jobs else None
                return self._answer(rec, status, payload, background=background)
        refusal = cal_error_body(401, "Invalid Access Token.", rec.path, self.now())
        return self._answer(rec, 401, refusal)

    def _dispatch(
        self, rec: RecordedRequest, api_path: str, body: Any, conn: Connection
    ) -> tuple[int, Any, list[dict[str, Any]]]:
        with self._lock:
            try:
                user = self.accounts[conn.account_id]  # type: ignore[index]
                for r in self._routes:
                    match = r.regex.match(api_path)
                    if match is None or r.method != rec.method:
                        continue
                    if r.version and rec.headers.get("cal-api-version") != r.version:
                        continue
                    ctx = Ctx(
                        rec.method,
                        api_path,
                        match.groupdict(),
                        rec.query,
                        rec.headers,
                        body,
                        user,
                        conn,
                    )
                    status, payload = getattr(self, r.attr)(ctx)
                    return status, payload, self._jobs_for(ctx.events)
                raise ApiError(404, f"Cannot {rec.method} {api_path}")
            except ApiError as exc:
                return exc.status, cal_error_body(exc.status, exc.message, api_path, self.now()), []
            except Exception:
                self.internal_errors.append(traceback.format_exc())
                return 500, {"statusCode": 500, "message": "Internal server error"}, []
