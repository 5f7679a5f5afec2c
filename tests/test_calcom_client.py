"""The gateway client (bot.calcom) against the Cal.com+Maton emulator over real HTTP, and its
retry and error-mapping policy against scripted answers (httpx.MockTransport)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from bot.blocks.errors import error_text
from bot.calcom.client import CalcomClient
from bot.calcom.connections import MatonConnections
from bot.calcom.errors import (
    BadApiKey,
    CalcomError,
    Conflict,
    ConnectionExpired,
    Forbidden,
    Invalid,
    NotConnected,
    NotFound,
    RateLimited,
    UpstreamFailure,
)
from bot.calcom.models import Attendee, Availability
from bot.calcom.transport import make_http_client, retry_after_seconds
from tests.emulators.openapi_contract import check_request

API_KEY = "maton_test_key_5f2b8c1d9e"
CONN = "c0ffee00-0000-4000-8000-000000000001"


# ------------------------------------------------------------------ scripted answers


class Script:
    """A MockTransport that answers from a list of responses/exceptions, recording requests."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[httpx.Request], Any]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if callable(answer) and not isinstance(answer, httpx.Response):
            answer = answer(request)
        if isinstance(answer, Exception):
            raise answer
        return answer


def ok(data: Any, status: int = 200, **kw: Any) -> httpx.Response:
    return httpx.Response(status, json={"status": "success", "data": data}, **kw)


def cal_error(status: int, message: str, **kw: Any) -> httpx.Response:
    body = {
        "status": "error",
        "timestamp": "2030-01-01T00:00:00.000Z",
        "path": "/v2/x",
        "error": {"code": "SomeException", "message": message, "details": {"message": message}},
    }
    return httpx.Response(status, json=body, **kw)


def maton_error(status: int, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": "ERR", "message": message}})


ME = {
    "id": 7,
    "username": "alice",
    "email": "alice@example.com",
    "name": "Alice",
    "timeFormat": 24,
    "defaultScheduleId": 3,
    "weekStart": "Monday",
    "timeZone": "Europe/Rome",
    "organizationId": None,
}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
async def scripted(sleeps: list[float]) -> Any:
    clients: list[httpx.AsyncClient] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(*answers: Any) -> tuple[CalcomClient, Script]:
        script = Script(*answers)
        http = httpx.AsyncClient(transport=httpx.MockTransport(script))
        clients.append(http)
        cal = CalcomClient(http, gateway_url="http://gw.test", api_key=API_KEY, sleep=fake_sleep)
        return cal, script

    yield build
    for http in clients:
        await http.aclose()


# ---------------------------------------------------------------- retries (scripted)


async def test_429_waits_the_reset_header_then_succeeds(scripted, sleeps):
    cal, script = scripted(
        cal_error(
            429, "ThrottlerException: Too Many Requests", headers={"X-RateLimit-Reset-Default": "2"}
        ),
        ok(ME),
    )
    me = await cal.me(CONN)
    assert me.username == "alice"
    assert sleeps == [2.0]
    assert len(script.requests) == 2


async def test_429_is_retried_for_post_too(scripted, sleeps):
    cal, _ = scripted(
        cal_error(429, "Too Many Requests", headers={"X-RateLimit-Reset-Default": "1"}),
        ok(
            {
                "id": 1,
                "uid": "b1",
                "title": "t",
                "status": "accepted",
                "start": "2030-01-01T10:00:00.000Z",
                "end": "2030-01-01T10:30:00.000Z",
            },
            201,
        ),
    )
    booking = await cal.create_booking(
        CONN,
        event_type_id=1,
        start=datetime(2030, 1, 1, 10, tzinfo=UTC),
        attendee=Attendee("Bob", "bob@example.com", "UTC"),
    )
    assert booking.uid == "b1"
    assert sleeps == [1.0]


async def test_429_without_header_backs_off_exponentially_then_gives_up(scripted, sleeps):
    cal, script = scripted(cal_error(429, "Too Many Requests"))
    with pytest.raises(RateLimited) as info:
        await cal.me(CONN)
    assert len(script.requests) == 3
    assert sleeps == [1.0, 2.0]
    assert info.value.retry_after == 4.0
    assert "try again in 4 seconds" in error_text(info.value)


async def test_429_with_a_long_reset_fails_at_once(scripted, sleeps):
    cal, script = scripted(
        cal_error(429, "Too Many Requests", headers={"X-RateLimit-Reset-Default": "60"})
    )
    with pytest.raises(RateLimited) as info:
        await cal.me(CONN)
    assert len(script.requests) == 1
    assert sleeps == []
    assert info.value.retry_after == 60


async def test_waiting_never_exceeds_ten_seconds_in_all(scripted, sleeps):
    cal, script = scripted(
        cal_error(429, "Too Many Requests", headers={"X-RateLimit-Reset-Default": "6"})
    )
    with pytest.raises(RateLimited):
        await cal.me(CONN)
    assert sleeps == [6.0]  # a second wait of 6 s would make 12
    assert len(script.requests) == 2


def test_retry_after_reads_seconds_or_epochs():
    assert retry_after_seconds({"X-RateLimit-Reset-Default": "3"}) == 3.0
    assert retry_after_seconds({"x-ratelimit-reset-default": "2000000005"}, now=2e9) == 5.0
    assert retry_after_seconds({"x-ratelimit-reset-default": "2000000004000"}, now=2e9) == 4.0
    assert retry_after_seconds({"Retry-After": "1.5"}) == 1.5
    assert retry_after_seconds({"X-RateLimit-Reset-Short": "2"}) == 2.0
    assert retry_after_seconds({"X-RateLimit-Reset-Default": "soon"}) is None
    assert retry_after_seconds({}) is None


async def test_get_is_retried_on_503(scripted, sleeps):
    cal, _ = scripted(httpx.Response(503, text="unavailable"), ok(ME))
    assert (await cal.me(CONN)).id == 7
    assert sleeps == [0.5]


async def test_get_gives_up_after_three_tries(scripted, sleeps):
    cal, script = scripted(httpx.Response(502, text="<html>bad gateway</html>"))
    with pytest.raises(UpstreamFailure) as info:
        await cal.me(CONN)
    assert len(script.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert "html" not in str(info.value)
    assert not info.value.maybe_applied  # a GET changes nothing


async def test_post_is_not_retried_on_503(scripted, sleeps):
    cal, script = scripted(httpx.Response(503, text="unavailable"), ok({}))
    with pytest.raises(UpstreamFailure):
        await cal.create_booking(
            CONN,
            event_type_id=1,
            start=datetime(2030, 1, 1, 10, tzinfo=UTC),
            attendee=Attendee("Bob", "bob@example.com", "UTC"),
        )
    assert len(script.requests) == 1
    assert sleeps == []


async def test_patch_is_not_retried_on_504(scripted, sleeps):
    cal, script = scripted(httpx.Response(504), ok(ME))
    with pytest.raises(UpstreamFailure):
        await cal.update_me(CONN, name="A")
    assert len(script.requests) == 1


async def test_post_is_not_retried_after_a_read_timeout(scripted, sleeps):
    cal, script = scripted(httpx.ReadTimeout("timed out"), ok({}))
    with pytest.raises(UpstreamFailure) as info:
        await cal.cancel_booking(CONN, "b1", "sorry")
    assert len(script.requests) == 1
    assert "timed out" in str(info.value)
    assert info.value.maybe_applied


async def test_post_is_retried_when_the_connection_was_never_made(scripted, sleeps):
    cal, script = scripted(httpx.ConnectError("refused"), ok({"id": 1, "uid": "b1"}, 201))
    booking = await cal.cancel_booking(CONN, "b1", "sorry")
    assert booking.uid == "b1"
    assert len(script.requests) == 2
    assert sleeps == [0.5]


async def test_get_is_retried_after_a_read_timeout(scripted, sleeps):
    cal, script = scripted(httpx.ReadTimeout("timed out"), ok(ME))
    assert (await cal.me(CONN)).username == "alice"
    assert len(script.requests) == 2


async def test_a_retried_delete_that_finds_nothing_is_done(scripted, sleeps):
    cal, script = scripted(httpx.Response(503), cal_error(404, "Webhook not found"))
    assert await cal.delete_webhook(CONN, "w1") is None
    assert len(script.requests) == 2


async def test_a_first_delete_that_finds_nothing_is_not_found(scripted):
    cal, _ = scripted(cal_error(404, "Webhook not found"))
    with pytest.raises(NotFound):
        await cal.delete_webhook(CONN, "w1")


# ------------------------------------------------------------ error mapping (scripted)


@pytest.mark.parametrize(
    ("answer", "error", "advice"),
    [
        (maton_error(400, "Invalid connection"), NotConnected, "/cal connect"),
        (maton_error(500, "Internal Server Error"), ConnectionExpired, "reconnect"),
        (maton_error(401, "Invalid API key"), BadApiKey, "admin"),
        (cal_error(401, "Invalid Access Token"), ConnectionExpired, "reconnect"),
        (cal_error(403, "Forbidden"), Forbidden, "allowed"),
        (cal_error(404, "Booking with uid=x not found"), NotFound, "find"),
        (cal_error(409, "Webhook with this subscriberUrl already exists"), Conflict, "already"),
        (cal_error(400, "start must be a valid ISO 8601 date string"), Invalid, "ISO 8601"),
        (cal_error(422, "Unprocessable"), Invalid, "rejected"),
        (
            httpx.Response(500, json={"statusCode": 500, "message": "Internal server error"}),
            UpstreamFailure,
            "try again",
        ),
        (cal_error(500, "Something broke"), UpstreamFailure, "try again"),
        (httpx.Response(400, text="plain text"), NotConnected, "/cal connect"),
    ],
)
async def test_status_and_body_map_to_one_error(scripted, answer, error, advice):
    cal, _ = scripted(answer)
    with pytest.raises(error) as info:
        await cal.event_type(CONN, 1)
    assert isinstance(info.value, CalcomError)
    assert advice in error_text(info.value)
    assert info.value.status == answer.status_code


async def test_invalid_carries_calcoms_message_and_details(scripted):
    body = {
        "status": "error",
        "error": {
            "code": "BadRequestException",
            "message": "Validation failed",
            "details": {"message": ["lengthInMinutes must be a number"], "statusCode": 400},
        },
    }
    cal, _ = scripted(httpx.Response(400, json=body))
    with pytest.raises(Invalid) as info:
        await cal.update_event_type(CONN, 1, length=30)
    assert "lengthInMinutes must be a number" in error_text(info.value)
    assert info.value.code == "BadRequestException"
    assert not info.value.from_maton


async def test_no_message_repr_or_log_line_contains_the_key(scripted, caplog):
    leaky = {
        "status": "error",
        "error": {
            "code": "X",
            "message": f"bad header Authorization: Bearer {API_KEY} token={API_KEY}",
        },
    }
    caplog.set_level(logging.DEBUG, logger="calbot.calcom")
    cal, _ = scripted(httpx.Response(400, json=leaky))
    with pytest.raises(Invalid) as info:
        await cal.me(CONN)
    err = info.value
    for text in (str(err), repr(err), error_text(err), repr(cal), caplog.text):
        assert API_KEY not in text
    assert "GET /v2/me -> 400" in caplog.text


async def test_one_debug_line_per_request_without_headers(scripted, caplog):
    caplog.set_level(logging.DEBUG, logger="calbot.calcom")
    cal, _ = scripted(ok(ME))
    await cal.me(CONN)
    lines = [r for r in caplog.records if r.name == "calbot.calcom"]
    assert len(lines) == 1
    assert lines[0].levelno == logging.DEBUG
    assert "GET /v2/me -> 200 in" in lines[0].getMessage()
    assert CONN not in lines[0].getMessage()


# -------------------------------------------------------------- requests (scripted)


async def test_headers_on_every_call(scripted):
    cal, script = scripted(ok([]))
    await cal.bookings(CONN, status="past", take=5, skip=10)
    await cal.teams(CONN)
    bookings, teams = script.requests
    for request in (bookings, teams):
        assert request.headers["authorization"] == f"Bearer {API_KEY}"
        assert request.headers["maton-connection"] == CONN
    assert bookings.headers["cal-api-version"] == "2024-08-13"
    assert "cal-api-version" not in teams.headers
    assert bookings.url.path == "/cal-com/v2/bookings"
    assert parse_qs(bookings.url.query.decode()) == {
        "status": ["past"],
        "take": ["5"],
        "skip": ["10"],
    }


async def test_every_request_matches_the_spec():
    """Each operation's request, as sent, validates against the documented version."""
    problems: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        query = {
            k: (v if len(v) > 1 else v[0])
            for k, v in parse_qs(request.url.query.decode(), keep_blank_values=True).items()
        }
        body = json.loads(request.content) if request.content else None
        path = request.url.path.removeprefix("/cal-com")
        problems.extend(check_request(request.method, path, query, dict(request.headers), body))
        return ok({})

    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    cal = CalcomClient(http, gateway_url="http://gw.test", api_key=API_KEY)
    at = datetime(2030, 1, 1, 9, tzinfo=UTC)
    attendee = Attendee("Bob", "bob@example.com", "Europe/Rome")
    hours = [Availability(("Monday", "Friday"), "09:00", "17:00")]
    await cal.me(CONN)
    await cal.update_me(CONN, name="A", bio="b", time_zone="UTC")
    await cal.event_types(CONN, "alice")
    await cal.event_type(CONN, 1)
    await cal.create_event_type(CONN, title="T", slug="t", length=30, description="d", hidden=False)
    await cal.update_event_type(CONN, 1, length=45, title="T2", hidden=True)
    await cal.delete_event_type(CONN, 1)
    await cal.event_type_webhooks(CONN, 1)
    await cal.event_type_webhook(CONN, 1, "w")
    await cal.create_event_type_webhook(
        CONN, 1, subscriber_url="https://x.test/h", triggers=["BOOKING_CREATED"], secret="s"
    )
    await cal.update_event_type_webhook(CONN, 1, "w", active=False, triggers=["BOOKING_CANCELLED"])
    await cal.delete_event_type_webhook(CONN, 1, "w")
    await cal.bookings(CONN, status=["upcoming", "unconfirmed"], take=5, skip=5, sort_start="asc")
    await cal.booking(CONN, "b")
    await cal.create_booking(
        CONN, event_type_id=1, start=at, attendee=attendee, guests=["g@x.test"], notes="n"
    )
    await cal.cancel_booking(CONN, "b", "r")
    await cal.cancel_booking(CONN, "b")
    await cal.reschedule_booking(CONN, "b", start=at, reason="r", rescheduled_by="a@x.test")
    await cal.confirm_booking(CONN, "b")
    await cal.decline_booking(CONN, "b", "no")
    await cal.default_schedule(CONN)
    await cal.schedule(CONN, 3)
    await cal.create_schedule(CONN, name="n", time_zone="UTC", availability=hours, is_default=False)
    await cal.update_schedule(CONN, 3, name="m", availability=hours, time_zone="Europe/Rome")
    await cal.delete_schedule(CONN, 3)
    await cal.slots(CONN, event_type_id=1, start=at, end=at + timedelta(days=1), time_zone="UTC")
    await cal.reserve_slot(CONN, event_type_id=1, start=at, duration=30)
    await cal.release_reservation(CONN, "r")
    await cal.calendars(CONN)
    await cal.conferencing_apps(CONN)
    await cal.default_conferencing(CONN)
    await cal.webhooks(CONN)
    await cal.webhook(CONN, "w")
    await cal.create_webhook(
        CONN, subscriber_url="https://x.test/u", triggers=["BOOKING_REQUESTED"], secret="s"
    )
    await cal.update_webhook(CONN, "w", subscriber_url="https://x.test/v")
    await cal.delete_webhook(CONN, "w")
    await cal.teams(CONN)
    await cal.verified_emails(CONN)
    await http.aclose()
    assert problems == []


async def test_arguments_checked_before_sending(scripted):
    cal, script = scripted(ok({}))
    with pytest.raises(ValueError, match="BOOKING_CONFIRMED"):
        await cal.create_webhook(
            CONN, subscriber_url="https://x.test", triggers=["BOOKING_CONFIRMED"], secret=None
        )
    with pytest.raises(ValueError, match="naive"):
        await cal.reserve_slot(CONN, event_type_id=1, start=datetime(2030, 1, 1, 9))
    with pytest.raises(ValueError, match="statuses"):
        await cal.bookings(CONN, status="accepted")
    with pytest.raises(TypeError, match="colour"):
        await cal.update_event_type(CONN, 1, colour="red")
    with pytest.raises(ValueError):
        await cal.me("")
    assert script.requests == []


def test_make_http_client_timeouts():
    http = make_http_client()
    assert http.timeout.connect == 5
    assert http.timeout.read == 15


# ==================================================================== the emulator

NOW = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)  # a Monday, 08:00 UTC
MONDAY = NOW.date()
HOOK = "http://127.0.0.1:9/calcom/webhooks/"  # refused at once: no delivery leaves the host


@pytest.fixture
def emulator() -> Any:
    from tests.emulators.calcom import CalcomEmulator

    emu = CalcomEmulator(api_key=API_KEY, clock=lambda: NOW)
    emu.start()
    yield emu
    emu.stop()


class Env:
    """A linked user: the emulator, both clients, and the connection id."""

    def __init__(self, emu: Any, http: httpx.AsyncClient, sleeps: list[float]):
        self.emu = emu
        self.http = http
        self.sleeps = sleeps
        self.maton = MatonConnections(http, ctrl_url=emu.base_url, api_key=API_KEY)
        self.cal = self.client(http)
        self.conn = ""

    def client(self, http: httpx.AsyncClient, api_key: str = API_KEY) -> CalcomClient:
        async def fake_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        return CalcomClient(http, gateway_url=self.emu.base_url, api_key=api_key, sleep=fake_sleep)

    def gateway_calls(self, path: str) -> list[Any]:
        return [r for r in self.emu.gateway_requests() if r.api_path == path]


@pytest.fixture
async def env(emulator, sleeps) -> Any:
    emulator.add_account(
        username="alice", name="Alice Example", email="alice@example.com", time_zone="UTC"
    )
    http = make_http_client()
    e = Env(emulator, http, sleeps)
    connection = await e.maton.create()
    assert connection.status == "PENDING"
    emulator.complete_oauth(connection.connection_id, "alice")
    e.conn = connection.connection_id
    yield e
    await http.aclose()
    assert emulator.contract_violations == []
    assert emulator.internal_errors == []


async def book(env: Env, hour: int, day: int = 1, **kw: Any) -> Any:
    et = env.emu.account("alice").event_type("30min")
    return await env.cal.create_booking(
        env.conn,
        event_type_id=et["id"],
        start=datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), UTC).replace(
            hour=hour
        ),
        attendee=Attendee("Bob Guest", "bob@example.com", "Europe/Rome"),
        **kw,
    )


# ------------------------------------------------------------------- connections


async def test_connections_create_get_list_delete(emulator, sleeps):
    http = make_http_client()
    maton = MatonConnections(http, ctrl_url=emulator.base_url, api_key=API_KEY)
    emulator.add_account(username="alice", name="Alice", email="alice@example.com")
    created = await maton.create()
    assert created.status == "PENDING" and created.app == "cal-com"
    assert created.url and created.url not in repr(created)
    assert created.created is not None and created.updated is not None
    assert emulator.requests[-1].json == {"app": "cal-com"}

    # the user completes OAuth at the url
    answer = await http.get(created.url, params={"username": "alice"})
    assert answer.status_code == 200
    fetched = await maton.get(created.connection_id)
    assert fetched.status == "ACTIVE" and fetched.active

    assert [c.connection_id for c in await maton.list()] == [created.connection_id]
    assert await maton.list(status="PENDING") == []
    assert [c.status for c in await maton.list(status="ACTIVE")] == ["ACTIVE"]

    await maton.delete(created.connection_id)
    assert created.connection_id not in emulator.connections
    with pytest.raises(NotFound):
        await maton.get(created.connection_id)
    with pytest.raises(BadApiKey):
        await MatonConnections(http, ctrl_url=emulator.base_url, api_key="wrong").list()
    await http.aclose()


# ----------------------------------------------------------------------- profile


async def test_me(env):
    me = await env.cal.me(env.conn)
    alice = env.emu.account("alice")
    assert (me.id, me.username, me.email, me.time_zone) == (
        alice.id,
        "alice",
        "alice@example.com",
        "UTC",
    )
    assert me.default_schedule_id == alice.default_schedule_id
    request = env.gateway_calls("/v2/me")[0]
    assert request.headers["maton-connection"] == env.conn
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert "cal-api-version" not in request.headers


async def test_update_me(env):
    me = await env.cal.update_me(env.conn, name="Alice B.", bio="Hi", time_zone="Europe/Rome")
    assert me.time_zone == "Europe/Rome"
    alice = env.emu.account("alice")
    assert (alice.name, alice.bio, alice.time_zone) == ("Alice B.", "Hi", "Europe/Rome")
    assert env.gateway_calls("/v2/me")[-1].json == {
        "name": "Alice B.",
        "bio": "Hi",
        "timeZone": "Europe/Rome",
    }


# ------------------------------------------------------------------- event types


async def test_event_types(env):
    types = await env.cal.event_types(env.conn, "alice")
    assert [(t.slug, t.length) for t in types] == [("30min", 30), ("60min", 60)]
    request = env.gateway_calls("/v2/event-types")[0]
    assert request.query == {"username": "alice"}
    assert request.headers["cal-api-version"] == "2024-06-14"


async def test_event_type(env):
    wanted = env.emu.account("alice").event_type("60min")
    et = await env.cal.event_type(env.conn, wanted["id"])
    assert (et.id, et.title, et.slug, et.length, et.hidden) == (
        wanted["id"],
        "60 min meeting",
        "60min",
        60,
        False,
    )
    with pytest.raises(NotFound):
        await env.cal.event_type(env.conn, 999999)


async def test_create_event_type(env):
    et = await env.cal.create_event_type(
        env.conn, title="Quick chat", slug="chat", length=15, description="Say hi", hidden=True
    )
    stored = env.emu.event_types[et.id]
    assert (stored["title"], stored["slug"], stored["length"], stored["hidden"]) == (
        "Quick chat",
        "chat",
        15,
        True,
    )
    assert (et.length, et.description, et.hidden) == (15, "Say hi", True)
    with pytest.raises(Invalid) as info:
        await env.cal.create_event_type(env.conn, title="Again", slug="chat", length=15)
    assert "Slug already exists" in error_text(info.value)


async def test_update_event_type(env):
    et_id = env.emu.account("alice").event_type("30min")["id"]
    et = await env.cal.update_event_type(env.conn, et_id, length=45, title="Longer", hidden=None)
    assert (et.length, et.title) == (45, "Longer")
    assert env.emu.event_types[et_id]["length"] == 45
    assert env.gateway_calls(f"/v2/event-types/{et_id}")[-1].json == {
        "lengthInMinutes": 45,
        "title": "Longer",
    }


async def test_delete_event_type(env):
    et_id = env.emu.account("alice").event_type("60min")["id"]
    assert await env.cal.delete_event_type(env.conn, et_id) is None
    assert et_id not in env.emu.event_types
    with pytest.raises(NotFound):
        await env.cal.delete_event_type(env.conn, et_id)


# ------------------------------------------------------------ event-type webhooks


async def test_event_type_webhooks(env):
    et_id = env.emu.account("alice").event_type("30min")["id"]
    assert await env.cal.event_type_webhooks(env.conn, et_id) == []
    hook = await env.cal.create_event_type_webhook(
        env.conn,
        et_id,
        subscriber_url=HOOK + "a",
        triggers=["BOOKING_CREATED", "BOOKING_CANCELLED"],
        secret="s3cret-value",
    )
    assert isinstance(hook.id, str) and hook.event_type_id == et_id
    assert hook.triggers == ("BOOKING_CREATED", "BOOKING_CANCELLED") and hook.active
    assert "s3cret-value" not in repr(hook)
    stored = env.emu.webhooks[hook.id]
    assert (stored["subscriberUrl"], stored["secret"], stored["eventTypeId"]) == (
        HOOK + "a",
        "s3cret-value",
        et_id,
    )

    assert [w.id for w in await env.cal.event_type_webhooks(env.conn, et_id)] == [hook.id]
    assert (await env.cal.event_type_webhook(env.conn, et_id, hook.id)).subscriber_url == HOOK + "a"

    updated = await env.cal.update_event_type_webhook(
        env.conn, et_id, hook.id, active=False, triggers=["BOOKING_REQUESTED"]
    )
    assert not updated.active and updated.triggers == ("BOOKING_REQUESTED",)
    assert env.emu.webhooks[hook.id]["active"] is False

    with pytest.raises(Conflict):
        await env.cal.create_event_type_webhook(
            env.conn, et_id, subscriber_url=HOOK + "a", triggers=["BOOKING_CREATED"], secret=None
        )

    await env.cal.delete_event_type_webhook(env.conn, et_id, hook.id)
    assert hook.id not in env.emu.webhooks
    with pytest.raises(NotFound):
        await env.cal.event_type_webhook(env.conn, et_id, hook.id)


# ---------------------------------------------------------------------- bookings


async def test_create_booking(env):
    booking = await book(env, 10, guests=["carol@example.com"], notes="Agenda: roadmap")
    stored = env.emu.bookings[booking.uid]
    assert stored["status"] == "accepted"
    assert booking.status == "accepted" and not booking.is_cancelled
    assert booking.start == datetime(2030, 1, 8, 10, tzinfo=UTC)
    assert booking.end == datetime(2030, 1, 8, 10, 30, tzinfo=UTC)
    assert booking.duration == 30
    assert booking.attendees[0] == Attendee("Bob Guest", "bob@example.com", "Europe/Rome")
    assert "carol@example.com" in booking.guests
    assert booking.host is not None and booking.host.email == "alice@example.com"
    sent = env.gateway_calls("/v2/bookings")[-1]
    assert sent.headers["cal-api-version"] == "2024-08-13"
    assert sent.json["start"] == "2030-01-08T10:00:00Z"
    assert sent.json["bookingFieldsResponses"] == {"notes": "Agenda: roadmap"}


async def test_create_booking_outside_hours_is_invalid(env):
    with pytest.raises(Invalid) as info:
        await book(env, 20)
    assert info.value.status == 400 and not info.value.from_maton
    assert len(env.gateway_calls("/v2/bookings")) == 1  # a POST is never repeated


async def test_booking(env):
    made = await book(env, 11)
    got = await env.cal.booking(env.conn, made.uid)
    assert (got.uid, got.id, got.title, got.start) == (made.uid, made.id, made.title, made.start)
    with pytest.raises(NotFound):
        await env.cal.booking(env.conn, "no-such-uid")


async def test_bookings_pages(env):
    made = [await book(env, hour) for hour in (9, 10, 11)]
    first = await env.cal.bookings(env.conn, status="upcoming", take=2)
    assert [b.uid for b in first] == [b.uid for b in made[:2]]
    assert (first.total, first.has_more, first.next_skip) == (3, True, 2)
    second = await env.cal.bookings(env.conn, status="upcoming", take=2, skip=first.next_skip)
    assert [b.uid for b in second.items] == [made[2].uid]
    assert (second.total, second.has_more, second.next_skip) == (3, False, None)
    query = env.gateway_calls("/v2/bookings")[-1].query
    assert query == {"status": "upcoming", "take": "2", "skip": "2"}

    await env.cal.cancel_booking(env.conn, made[0].uid, "no longer needed")
    cancelled = await env.cal.bookings(env.conn, status="cancelled")
    assert [b.uid for b in cancelled] == [made[0].uid]
    assert (await env.cal.bookings(env.conn, status="past")).items == ()
    both = await env.cal.bookings(env.conn, status=["upcoming", "cancelled"])
    assert sorted(b.uid for b in both) == sorted(b.uid for b in made)
    assert env.gateway_calls("/v2/bookings")[-1].query["status"] == "upcoming,cancelled"


async def test_cancel_booking(env):
    made = await book(env, 14)
    cancelled = await env.cal.cancel_booking(env.conn, made.uid, "Conflict came up")
    assert cancelled.status == "cancelled" and cancelled.is_cancelled
    assert cancelled.cancellation_reason == "Conflict came up"
    assert env.emu.bookings[made.uid]["status"] == "cancelled"
    with pytest.raises(Invalid) as info:
        await env.cal.cancel_booking(env.conn, made.uid, "again")
    assert "already been cancelled" in error_text(info.value)


async def test_reschedule_booking(env):
    made = await book(env, 9)
    new_start = datetime(2030, 1, 9, 15, tzinfo=UTC)
    moved = await env.cal.reschedule_booking(
        env.conn, made.uid, start=new_start, reason="Clash", rescheduled_by="alice@example.com"
    )
    assert moved.uid != made.uid and moved.start == new_start
    assert moved.rescheduled_from_uid == made.uid
    assert moved.rescheduling_reason == "Clash"
    assert env.emu.bookings[made.uid]["rescheduledToUid"] == moved.uid
    assert env.emu.bookings[made.uid]["status"] == "cancelled"


async def test_confirm_and_decline_booking(env):
    et_id = env.emu.account("alice").event_type("30min")["id"]
    et = await env.cal.update_event_type(
        env.conn,
        et_id,
        confirmation_policy={"type": "always", "blockUnconfirmedBookingsInBooker": False},
    )
    assert env.emu.event_types[et_id]["requiresConfirmation"] is True
    assert et.id == et_id
    first, second = await book(env, 9), await book(env, 10)
    assert first.status == "pending" and first.is_pending

    confirmed = await env.cal.confirm_booking(env.conn, first.uid)
    assert confirmed.status == "accepted"
    assert env.emu.bookings[first.uid]["status"] == "accepted"
    assert env.gateway_calls(f"/v2/bookings/{first.uid}/confirm")[0].json is None

    declined = await env.cal.decline_booking(env.conn, second.uid, "Fully booked")
    assert declined.status == "rejected" and declined.is_cancelled
    assert env.emu.bookings[second.uid]["rejectionReason"] == "Fully booked"

    with pytest.raises(Invalid):
        await env.cal.confirm_booking(env.conn, first.uid)  # no longer pending


# --------------------------------------------------------------------- schedules


async def test_default_schedule(env):
    schedule = await env.cal.default_schedule(env.conn)
    assert schedule is not None
    assert (schedule.name, schedule.time_zone, schedule.is_default) == (
        "Working Hours",
        "UTC",
        True,
    )
    assert schedule.availability == (
        Availability(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"), "09:00", "17:00"),
    )
    assert env.gateway_calls("/v2/schedules/default")[0].headers["cal-api-version"] == "2024-06-11"

    env.emu.account("alice").default_schedule_id = None
    assert await env.cal.default_schedule(env.conn) is None


async def test_schedule_create_get_update_delete(env):
    created = await env.cal.create_schedule(
        env.conn,
        name="Evenings",
        time_zone="Europe/Rome",
        availability=[Availability(("Tuesday", "Thursday"), "18:00", "21:00")],
        is_default=False,
    )
    stored = env.emu.schedules[created.id]
    assert (stored["name"], stored["timeZone"]) == ("Evenings", "Europe/Rome")
    assert stored["availability"] == [
        {"days": ["Tuesday", "Thursday"], "startTime": "18:00", "endTime": "21:00"}
    ]
    assert not created.is_default

    got = await env.cal.schedule(env.conn, created.id)
    assert got == created

    updated = await env.cal.update_schedule(
        env.conn,
        created.id,
        name="Late evenings",
        availability=[{"days": ["Friday"], "startTime": "19:00", "endTime": "22:00"}],
    )
    assert updated.name == "Late evenings"
    assert updated.availability == (Availability(("Friday",), "19:00", "22:00"),)
    assert env.emu.schedules[created.id]["name"] == "Late evenings"

    await env.cal.delete_schedule(env.conn, created.id)
    assert created.id not in env.emu.schedules
    with pytest.raises(NotFound):
        await env.cal.schedule(env.conn, created.id)


# ------------------------------------------------------------------------- slots


async def test_slots(env):
    et_id = env.emu.account("alice").event_type("60min")["id"]
    slots = await env.cal.slots(
        env.conn,
        event_type_id=et_id,
        start=NOW,
        end=NOW + timedelta(days=1, hours=15),
        time_zone="UTC",
    )
    assert list(slots) == [MONDAY, MONDAY + timedelta(days=1)]
    monday = slots[MONDAY]
    assert monday[0] == datetime(2030, 1, 7, 9, tzinfo=UTC)
    assert all(isinstance(t, datetime) and t.tzinfo for t in monday)
    assert monday == sorted(monday)
    request = env.gateway_calls("/v2/slots")[0]
    assert request.headers["cal-api-version"] == "2024-09-04"
    assert request.query == {
        "eventTypeId": str(et_id),
        "start": "2030-01-07T08:00:00Z",
        "end": "2030-01-08T23:00:00Z",
        "timeZone": "UTC",
    }


async def test_slots_in_another_zone_and_around_bookings(env):
    et_id = env.emu.account("alice").event_type("30min")["id"]
    await book(env, 9)
    slots = await env.cal.slots(
        env.conn,
        event_type_id=et_id,
        start=datetime(2030, 1, 8, tzinfo=UTC),
        end=datetime(2030, 1, 8, 23, tzinfo=UTC),
        time_zone="America/New_York",
    )
    times = [t for day in slots.values() for t in day]
    assert datetime(2030, 1, 8, 9, tzinfo=UTC) not in times  # booked
    assert datetime(2030, 1, 8, 9, 30, tzinfo=UTC) in times
    assert all(t.utcoffset() == timedelta(hours=-5) for t in times)
    assert list(slots) == [date(2030, 1, 8)]


async def test_reserve_and_release_slot(env):
    et_id = env.emu.account("alice").event_type("30min")["id"]
    start = datetime(2030, 1, 8, 13, tzinfo=UTC)
    with pytest.raises(Invalid, match="variable length"):
        await env.cal.reserve_slot(env.conn, event_type_id=et_id, start=start, duration=30)
    held = await env.cal.reserve_slot(env.conn, event_type_id=et_id, start=start)
    assert held.uid and held.uid in env.emu.reservations
    assert (held.event_type_id, held.start, held.duration) == (et_id, start, 30)
    assert held.until is not None and held.until > NOW
    # the holder may still book it
    booked = await book(env, 13)
    assert booked.start == start

    again = await env.cal.reserve_slot(
        env.conn, event_type_id=et_id, start=start + timedelta(hours=1)
    )
    await env.cal.release_reservation(env.conn, again.uid)
    assert again.uid not in env.emu.reservations
    with pytest.raises(NotFound):
        await env.cal.release_reservation(env.conn, again.uid)


# ----------------------------------------------- calendars, conferencing, teams, emails


async def test_calendars(env):
    calendars = await env.cal.calendars(env.conn)
    assert len(calendars) == 1
    google = calendars.connected[0]
    assert google.integration_name == "Google Calendar"
    assert [c.external_id for c in google.calendars] == ["alice@example.com"]
    assert calendars.destination is not None
    assert calendars.destination.email == "alice@example.com"


async def test_conferencing(env):
    apps = await env.cal.conferencing_apps(env.conn)
    assert [(a.type, a.user_id) for a in apps] == [("daily_video", env.emu.account("alice").id)]
    default = await env.cal.default_conferencing(env.conn)
    assert default is not None and default.app_slug == "daily-video"
    env.emu.account("alice").default_conferencing = {}
    assert await env.cal.default_conferencing(env.conn) is None


async def test_teams_and_verified_emails(env):
    assert await env.cal.teams(env.conn) == []
    env.emu.account("alice").teams.append(
        {"id": 42, "name": "Sales", "slug": "sales", "isOrganization": False}
    )
    teams = await env.cal.teams(env.conn)
    assert [(t.id, t.name, t.slug) for t in teams] == [(42, "Sales", "sales")]
    emails = await env.cal.verified_emails(env.conn)
    assert [e.email for e in emails] == ["alice@example.com"]


# ------------------------------------------------------------------ user webhooks


async def test_user_webhooks(env):
    assert await env.cal.webhooks(env.conn) == []
    hook = await env.cal.create_webhook(
        env.conn,
        subscriber_url=HOOK + "u",
        triggers=["BOOKING_CREATED", "BOOKING_RESCHEDULED"],
        secret="hush",
    )
    stored = env.emu.webhooks[hook.id]
    assert (stored["subscriberUrl"], stored["secret"], stored["eventTypeId"]) == (
        HOOK + "u",
        "hush",
        None,
    )
    assert [w.id for w in await env.cal.webhooks(env.conn)] == [hook.id]
    assert (await env.cal.webhook(env.conn, hook.id)).triggers == (
        "BOOKING_CREATED",
        "BOOKING_RESCHEDULED",
    )
    with pytest.raises(Conflict) as info:
        await env.cal.create_webhook(
            env.conn, subscriber_url=HOOK + "u", triggers=["BOOKING_CREATED"], secret="x"
        )
    assert "already exists" in error_text(info.value)

    updated = await env.cal.update_webhook(env.conn, hook.id, subscriber_url=HOOK + "v")
    assert updated.subscriber_url == HOOK + "v"
    assert env.emu.webhooks[hook.id]["subscriberUrl"] == HOOK + "v"

    await env.cal.delete_webhook(env.conn, hook.id)
    assert hook.id not in env.emu.webhooks
    with pytest.raises(NotFound):
        await env.cal.webhook(env.conn, hook.id)


# ------------------------------------------------------------ errors (emulator)


async def test_unknown_connection_is_not_connected(env):
    with pytest.raises(NotConnected) as info:
        await env.cal.me("00000000-0000-4000-8000-00000000dead")
    assert info.value.from_maton and info.value.status == 400
    assert "/cal connect" in error_text(info.value)


async def test_pending_connection_is_not_connected(env):
    pending = await env.maton.create()
    with pytest.raises(NotConnected):
        await env.cal.event_types(pending.connection_id, "alice")


async def test_expired_connection(env):
    env.emu.expire_connection(env.conn)
    with pytest.raises(ConnectionExpired) as info:
        await env.cal.me(env.conn)
    assert "reconnect" in error_text(info.value)
    assert len(env.gateway_calls("/v2/me")) == 1  # a 500 is not retried


async def test_bad_api_key(env):
    cal = env.client(env.http, api_key="not-the-key")
    with pytest.raises(BadApiKey) as info:
        await cal.me(env.conn)
    assert "not-the-key" not in str(info.value) + repr(info.value)
    assert "admin" in error_text(info.value)


async def test_rate_limited_then_success(env):
    env.emu.fault("rate_limit", path="/cal-com/v2/me", times=1, seconds=2)
    me = await env.cal.me(env.conn)
    assert me.username == "alice"
    assert env.sleeps == [2.0]
    assert [r.status for r in env.gateway_calls("/v2/me")] == [429, 200]


async def test_rate_limited_post_is_retried(env):
    env.emu.fault("rate_limit", path="/cal-com/v2/bookings", times=1, seconds=1)
    booking = await book(env, 12)
    assert booking.uid in env.emu.bookings
    assert len(env.emu.bookings) == 1
    assert env.sleeps == [1.0]


async def test_rate_limited_gives_up(env):
    env.emu.fault("rate_limit", times=5, seconds=3)
    with pytest.raises(RateLimited) as info:
        await env.cal.teams(env.conn)
    assert info.value.retry_after == 3
    assert env.sleeps == [3.0, 3.0]
    assert len(env.gateway_calls("/v2/teams")) == 3
    assert "3 seconds" in error_text(info.value)


async def test_long_rate_limit_fails_without_waiting(env):
    env.emu.fault("rate_limit", times=1, seconds=45)
    with pytest.raises(RateLimited) as info:
        await env.cal.teams(env.conn)
    assert info.value.retry_after == 45 and env.sleeps == []


@pytest.mark.parametrize("kind", ["error_500", "bare_500"])
async def test_calcom_500_is_an_upstream_failure(env, kind):
    env.emu.fault(kind, times=1)
    with pytest.raises(UpstreamFailure) as info:
        await env.cal.me(env.conn)
    assert not info.value.from_maton and info.value.status == 500
    assert "try again" in error_text(info.value)
    assert len(env.gateway_calls("/v2/me")) == 1
    assert (await env.cal.me(env.conn)).username == "alice"


async def test_delay_is_only_slow(env):
    env.emu.fault("delay", times=1, seconds=0.05)
    assert (await env.cal.me(env.conn)).username == "alice"


async def test_get_is_retried_after_a_gateway_504(env):
    env.emu.fault("timeout", times=1, seconds=0.05)  # hangs, then Maton answers 504
    assert (await env.cal.me(env.conn)).username == "alice"
    assert [r.status for r in env.gateway_calls("/v2/me")] == [504, 200]
    assert env.sleeps == [0.5]


async def test_post_is_not_retried_after_a_gateway_504(env):
    env.emu.fault("timeout", path="/cal-com/v2/bookings", times=1, seconds=0.05)
    with pytest.raises(UpstreamFailure) as info:
        await book(env, 10)
    assert [r.status for r in env.gateway_calls("/v2/bookings")] == [504]
    assert env.emu.bookings == {}
    assert info.value.maybe_applied
    assert "/cal bookings" in error_text(info.value)
    assert env.sleeps == []


async def test_client_timeouts(env):
    short = httpx.AsyncClient(timeout=httpx.Timeout(0.3, connect=1))
    cal = env.client(short)
    env.emu.fault("timeout", times=1, seconds=5)
    assert (await cal.me(env.conn)).username == "alice"  # GET: the retry answers

    env.emu.fault("timeout", times=3, seconds=5)
    with pytest.raises(UpstreamFailure) as info:
        await cal.teams(env.conn)
    assert "timed out" in str(info.value)
    assert len(env.gateway_calls("/v2/teams")) == 3

    env.emu.fault("timeout", path="/cal-com/v2/bookings", times=1, seconds=5)
    et_id = env.emu.account("alice").event_type("30min")["id"]
    with pytest.raises(UpstreamFailure):
        await cal.create_booking(
            env.conn,
            event_type_id=et_id,
            start=datetime(2030, 1, 8, 10, tzinfo=UTC),
            attendee=Attendee("Bob", "bob@example.com", "UTC"),
        )
    assert len(env.gateway_calls("/v2/bookings")) == 1
    await short.aclose()
    env.emu.clear_faults()


async def test_unreachable_gateway(sleeps):
    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    http = make_http_client()
    cal = CalcomClient(http, gateway_url="http://127.0.0.1:9", api_key=API_KEY, sleep=fake_sleep)
    with pytest.raises(UpstreamFailure) as info:
        await cal.me(CONN)
    assert API_KEY not in str(info.value)
    assert sleeps == [0.5, 1.0]
    await http.aclose()
