"""The Cal.com-through-Maton emulator, driven over loopback HTTP as the bot would drive it."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.emulators.calcom import CalcomEmulator, Delivery
from tests.emulators.openapi_contract import check_request, check_response
from tests.emulators.server import LoopbackServer, serve

KEY = "test-maton-key-0123"
NOW = datetime(2026, 10, 28, 15, 0, tzinfo=UTC)  # Wed, 11:00 in New York (EDT)
BOOKINGS, EVENT_TYPES, SCHEDULES, SLOTS = "2024-08-13", "2024-06-14", "2024-06-11", "2024-09-04"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


class Switch:
    """An ASGI app forwarding to the current test's app: one server for the whole module."""

    def __init__(self) -> None:
        self.target: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.target(scope, receive, send)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Switch, LoopbackServer, Switch, LoopbackServer]]:
    emu_switch, hook_switch = Switch(), Switch()
    emu_server = serve(emu_switch, lifespan="off")
    hook_server = serve(hook_switch, lifespan="off")
    yield emu_switch, emu_server, hook_switch, hook_server
    emu_server.stop()
    hook_server.stop()


@pytest.fixture
def emu(clock: Clock, servers) -> Iterator[CalcomEmulator]:
    switch, server, _hooks, _hook_server = servers
    emulator = CalcomEmulator(api_key=KEY, clock=clock)
    switch.target = emulator.app
    emulator.attach(server)
    yield emulator
    emulator.close()
    assert emulator.internal_errors == []


@pytest.fixture
def http(emu: CalcomEmulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=emu.base_url or "", headers=headers, timeout=5) as client:
        yield client


class Gateway:
    """Calls as one user: their connection header and the documented versions."""

    def __init__(self, http: httpx.Client, cid: str) -> None:
        self.http, self.cid = http, cid

    def __call__(
        self, method: str, path: str, version: str | None = None, **kw: Any
    ) -> httpx.Response:
        headers = {"Maton-Connection": self.cid, **kw.pop("headers", {})}
        if version:
            headers["cal-api-version"] = version
        return self.http.request(method, f"/cal-com{path}", headers=headers, **kw)


@pytest.fixture
def alice(emu: CalcomEmulator):
    return emu.add_account(username="alice", name="Alice Wong", email="alice@acme.test")


@pytest.fixture
def bob(emu: CalcomEmulator):
    return emu.add_account(
        username="bob", name="Bob Ray", email="bob@acme.test", time_zone="Pacific/Honolulu"
    )


@pytest.fixture
def as_alice(emu: CalcomEmulator, http: httpx.Client, alice) -> Gateway:
    return Gateway(http, emu.add_connection("alice").connection_id)


@pytest.fixture
def as_bob(emu: CalcomEmulator, http: httpx.Client, bob) -> Gateway:
    return Gateway(http, emu.add_connection("bob").connection_id)


def slots(gw: Gateway, event_type_id: int, start: str, end: str, **extra: str) -> dict:
    params = {"eventTypeId": str(event_type_id), "start": start, "end": end, **extra}
    response = gw("GET", "/v2/slots", SLOTS, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def book(gw: Gateway, event_type_id: int, start: str, **attendee: str) -> httpx.Response:
    who = {"name": "Guest", "email": "guest@example.test", "timeZone": "Europe/Paris", **attendee}
    body = {"eventTypeId": event_type_id, "start": start, "attendee": who}
    return gw("POST", "/v2/bookings", BOOKINGS, json=body)


# ------------------------------------------------------------------ Maton


def test_connection_lifecycle_and_maton_errors(emu, http, alice):
    created = http.post("/connections", json={"app": "cal-com"})
    assert created.status_code == 200
    conn = created.json()["connection"]
    cid = conn["connection_id"]
    assert conn["status"] == "PENDING" and conn["app"] == "cal-com" and conn["metadata"] == {}
    assert conn["url"] == f"{emu.base_url}/oauth/{cid}"
    uuid.UUID(cid)

    gw = Gateway(http, cid)
    pending = gw("GET", "/v2/me")
    assert pending.status_code == 400
    assert pending.json()["error"]["code"] == "connection_not_active"
    assert http.get("/cal-com/v2/me").json()["error"]["code"] == "no_connection"
    unknown = Gateway(http, str(uuid.uuid4()))("GET", "/v2/me")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (400, "connection_not_found")

    assert httpx.get(conn["url"], params={"username": "alice"}).status_code == 200  # the click
    active = http.get("/connections", params={"app": "cal-com", "status": "ACTIVE"}).json()
    assert [c["connection_id"] for c in active["connections"]] == [cid]
    assert gw("GET", "/v2/me").json()["data"]["username"] == "alice"
    assert http.get("/cal-com/v2/me").json()["data"]["id"] == alice.id  # oldest active one
    assert emu.requests[-1].connection_id == cid

    assert httpx.get(f"{emu.base_url}/cal-com/v2/me").status_code == 401
    assert http.get("/connections", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert http.get("/v2/me").json()["error"]["code"] == "invalid_app"

    emu.expire_connection(cid)
    expired = gw("GET", "/v2/me")
    assert expired.status_code == 500 and "error" in expired.json()

    assert http.delete(f"/connections/{cid}").status_code == 200
    assert http.get(f"/connections/{cid}").status_code == 404
    assert gw("GET", "/v2/me").json()["error"]["code"] == "connection_not_found"


# ------------------------------------------------------------------ slots


def test_slots_across_the_new_york_dst_change(alice, as_alice):
    et = alice.event_type("30min")["id"]
    # Fri 30 Oct (EDT, UTC-4) .. Mon 2 Nov (EST, UTC-5); clocks go back on Sun 1 Nov
    data = slots(as_alice, et, "2026-10-30", "2026-11-02", timeZone="America/New_York")
    assert list(data) == ["2026-10-30", "2026-11-02"]  # no weekend
    fri, mon = data["2026-10-30"], data["2026-11-02"]
    assert len(fri) == len(mon) == 16
    assert fri[0] == {"start": "2026-10-30T09:00:00.000-04:00"}
    assert fri[-1] == {"start": "2026-10-30T16:30:00.000-04:00"}
    assert mon[0] == {"start": "2026-11-02T09:00:00.000-05:00"}
    # in UTC (no timeZone) the same wall times move by an hour across the change
    utc = slots(as_alice, et, "2026-10-30", "2026-11-02")
    assert utc["2026-10-30"][0] == {"start": "2026-10-30T13:00:00.000Z"}
    assert utc["2026-11-02"][0] == {"start": "2026-11-02T14:00:00.000Z"}
    ranged = slots(as_alice, et, "2026-11-02", "2026-11-02", timeZone="UTC", format="range")
    assert ranged["2026-11-02"][0] == {
        "start": "2026-11-02T14:00:00.000Z",
        "end": "2026-11-02T14:30:00.000Z",
    }


def test_slots_in_utc_plus_13_and_utc_minus_10(emu, as_alice, bob, as_bob):
    tonga = emu.add_account(
        username="sione",
        name="Sione",
        email="sione@acme.test",
        time_zone="Pacific/Tongatapu",
        event_types=[{"title": "Hour", "slug": "hour", "length": 60}],
    )
    et = tonga.event_type("hour")["id"]
    # Monday 2 Nov 09:00 in Tonga is Sunday 1 Nov 20:00 UTC
    start, end = "2026-11-01T20:00:00Z", "2026-11-02T03:59:59Z"
    local = slots(as_alice, et, start, end, timeZone="Pacific/Tongatapu")
    assert list(local) == ["2026-11-02"]
    assert [s["start"][11:16] for s in local["2026-11-02"]] == [f"{h:02d}:00" for h in range(9, 17)]
    assert local["2026-11-02"][0]["start"].endswith("+13:00")
    utc = slots(as_alice, et, start, end)
    assert utc["2026-11-01"][0] == {"start": "2026-11-01T20:00:00.000Z"}
    assert utc["2026-11-02"][-1] == {"start": "2026-11-02T03:00:00.000Z"}

    # Honolulu (UTC-10): a Monday's 09:00-17:00 spans two UTC dates
    hnl = bob.event_type("30min")["id"]
    day = slots(as_alice, hnl, "2026-11-02T19:00:00Z", "2026-11-03T02:59:59Z")
    assert day["2026-11-02"][0] == {"start": "2026-11-02T19:00:00.000Z"}
    assert day["2026-11-03"][-1] == {"start": "2026-11-03T02:30:00.000Z"}
    local = slots(
        as_alice, hnl, "2026-11-02T19:00:00Z", "2026-11-03T02:59:59Z", timeZone="Pacific/Honolulu"
    )
    assert list(local) == ["2026-11-02"] and len(local["2026-11-02"]) == 16
    assert local["2026-11-02"][0]["start"] == "2026-11-02T09:00:00.000-10:00"


def test_slots_skip_the_past_and_need_the_version(alice, as_alice):
    et = alice.event_type("60min")["id"]
    today = slots(as_alice, et, "2026-10-28", "2026-10-28", timeZone="America/New_York")
    # 11:00 EDT now: 11:00 .. 16:00 remain, stepped by the event's length
    assert [s["start"][11:16] for s in today["2026-10-28"]] == [
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]
    missing = as_alice("GET", "/v2/slots", params={"eventTypeId": et, "start": "2026-10-28"})
    assert missing.status_code == 404  # the 2024-09-04 route does not exist without the header
    assert missing.json()["error"]["message"] == "Cannot GET /v2/slots"
    legacy = as_alice(
        "GET",
        "/v2/slots/available",
        params={"eventTypeId": et, "startTime": "2026-10-29", "endTime": "2026-10-29T23:59:59Z"},
    )
    assert legacy.json()["data"]["slots"]["2026-10-29"][0] == {"time": "2026-10-29T13:00:00.000Z"}


# ------------------------------------------------------------------ bookings


def test_booking_conflicts(emu, alice, as_alice, as_bob):
    et30, et60 = alice.event_type("30min")["id"], alice.event_type("60min")["id"]
    created = book(as_bob, et30, "2026-10-29T14:00:00Z", name="Bob Ray", email="bob@acme.test")
    assert created.status_code == 201, created.text
    booking = created.json()["data"]
    assert booking["status"] == "accepted"
    assert booking["hosts"][0]["username"] == "alice"
    assert booking["title"] == "30 min meeting between Alice Wong and Bob Ray"
    assert emu.bookings[booking["uid"]]["status"] == "accepted"

    again = book(as_alice, et30, "2026-10-29T14:00:00Z")
    assert again.status_code == 400
    assert again.json()["status"] == "error"
    assert again.json()["error"]["message"] == (
        "User either already has booking at this time or is not available"
    )
    assert book(as_alice, et60, "2026-10-29T13:30:00Z").status_code == 400  # overlaps
    assert book(as_alice, et30, "2026-10-29T23:00:00Z").status_code == 400  # after hours
    assert book(as_alice, et30, "2026-10-29T14:10:00Z").status_code == 400  # not a slot
    past = book(as_alice, et30, "2026-10-28T13:00:00Z")
    assert past.json()["error"]["message"] == "Attempting to book a meeting in the past."
    free = slots(as_alice, et30, "2026-10-29", "2026-10-29")["2026-10-29"]
    assert {"start": "2026-10-29T14:00:00.000Z"} not in free
    assert {"start": "2026-10-29T14:30:00.000Z"} in free

    assert as_bob("GET", f"/v2/bookings/{booking['uid']}", BOOKINGS).status_code == 200
    carol = emu.add_account(username="carol", name="Carol", email="carol@acme.test")
    as_carol = Gateway(as_alice.http, emu.add_connection(carol.username).connection_id)
    # Cal.com's spec: reading a booking by uid needs no particular credential
    assert as_carol("GET", f"/v2/bookings/{booking['uid']}", BOOKINGS).status_code == 200
    # but confirming one is the host's
    confirm = as_carol("POST", f"/v2/bookings/{booking['uid']}/confirm", BOOKINGS)
    assert confirm.status_code in (403, 404)  # refused, never done


def test_guests_become_attendees_and_attending_makes_you_busy(emu, alice, bob, as_alice, as_bob):
    """As Cal.com's handleNewBooking: each guest is an attendee of their own (no name, the
    booker's zone); and a user's busy times include the bookings they attend by email."""
    et30 = alice.event_type("30min")["id"]
    body = {
        "eventTypeId": et30,
        "start": "2026-10-29T14:00:00Z",
        "attendee": {"name": "Guest", "email": "guest@example.test", "timeZone": "Europe/Paris"},
        "guests": ["bob@acme.test"],
    }
    made = as_alice("POST", "/v2/bookings", BOOKINGS, json=body).json()["data"]
    assert [(a["name"], a["email"], a["timeZone"]) for a in made["attendees"]] == [
        ("Guest", "guest@example.test", "Europe/Paris"),
        ("", "bob@acme.test", "Europe/Paris"),
    ]
    assert made["guests"] == ["bob@acme.test"]
    bob30 = bob.event_type("30min")["id"]  # Bob in Honolulu: 14:00Z is 04:00 there
    emu.schedules[bob.schedule["id"]]["availability"] = [
        {"days": ["Thursday"], "startTime": "00:00", "endTime": "23:59"}
    ]
    free = slots(as_bob, bob30, "2026-10-29T13:00:00Z", "2026-10-29T15:00:00Z")
    starts = [s["start"] for day in free.values() for s in day]
    assert "2026-10-29T14:00:00.000Z" not in starts  # he attends alice's meeting then
    assert "2026-10-29T14:30:00.000Z" in starts


def test_together_holds_requests_until_all_are_in_flight(emu, as_alice):
    """A test instrument: one request alone never completes the group (504 after the
    wait), so a client that sends a group one by one is caught."""
    emu.fault("together", path="/cal-com/v2/me", times=2, seconds=0.2)
    assert as_alice("GET", "/v2/me").status_code == 504


def test_hold_answers_a_request_once_the_test_releases_it(emu, as_alice):
    """A test instrument: the held request waits for the test's event, others go on."""
    released = emu.hold("/cal-com/v2/me")
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(as_alice, "GET", "/v2/me")
        assert as_alice("GET", "/v2/event-types", EVENT_TYPES).status_code == 200
        assert not held.done()
        released.set()
        assert held.result(5).status_code == 200
    assert as_alice("GET", "/v2/me").status_code == 200  # times=1: the next is not held


def test_by_uid_reads_cancels_and_reschedules_need_no_credential(emu, alice, as_alice, as_bob):
    """The spec makes Authorization optional on GET /v2/bookings/{uid}, and on its cancel
    and reschedule (an attendee acts with the uid alone): any caller, or none, may. The
    operations whose Authorization is required (confirm, decline) stay the host's."""
    et30 = alice.event_type("30min")["id"]
    first = book(as_alice, et30, "2026-10-29T14:00:00Z").json()["data"]["uid"]
    second = book(as_alice, et30, "2026-10-29T15:00:00Z").json()["data"]["uid"]
    with httpx.Client(base_url=emu.base_url or "", timeout=5) as anonymous:  # no Authorization
        read = anonymous.get(f"/v2/bookings/{first}", headers={"cal-api-version": BOOKINGS})
        assert read.status_code == 200 and read.json()["data"]["uid"] == first
        moved = anonymous.post(
            f"/v2/bookings/{first}/reschedule",
            headers={"cal-api-version": BOOKINGS},
            json={"start": "2026-10-29T16:00:00Z"},
        )
        assert moved.status_code == 201, moved.text
        assert emu.bookings[first]["status"] == "cancelled"  # replaced by the new one
        cancelled = anonymous.post(
            f"/v2/bookings/{second}/cancel",
            headers={"cal-api-version": BOOKINGS},
            json={"cancellationReason": "anyone can"},
        )
        assert cancelled.status_code == 200
        assert emu.bookings[second]["status"] == "cancelled"
        listing = anonymous.get("/v2/bookings", headers={"cal-api-version": BOOKINGS})
        assert listing.status_code == 401  # the list needs the credential it names
    third = book(as_alice, et30, "2026-10-29T17:00:00Z").json()["data"]["uid"]
    by_bob = as_bob("POST", f"/v2/bookings/{third}/cancel", BOOKINGS, json={})
    assert by_bob.status_code == 200 and emu.bookings[third]["status"] == "cancelled"


def test_a_reservation_holds_the_slot_for_five_minutes(emu, clock, alice, as_alice, as_bob):
    carol = emu.add_account(username="carol", name="Carol", email="carol@acme.test")
    as_carol = Gateway(as_alice.http, emu.add_connection(carol.username).connection_id)
    et = alice.event_type("30min")["id"]
    held = as_bob(
        "POST",
        "/v2/slots/reservations",
        SLOTS,
        json={"eventTypeId": et, "slotStart": "2026-10-29T15:00:00Z"},
    )
    assert held.status_code == 201, held.text
    data = held.json()["data"]
    assert data == {
        "eventTypeId": et,
        "slotStart": "2026-10-29T15:00:00.000Z",
        "slotEnd": "2026-10-29T15:30:00.000Z",
        "slotDuration": 30,
        "reservationUid": data["reservationUid"],
        "reservationDuration": 5,
        "reservationUntil": "2026-10-28T15:05:00.000Z",
    }
    slot = {"start": "2026-10-29T15:00:00.000Z"}
    assert slot not in slots(as_carol, et, "2026-10-29", "2026-10-29")["2026-10-29"]
    assert slot in slots(as_bob, et, "2026-10-29", "2026-10-29")["2026-10-29"]
    taken = book(as_carol, et, "2026-10-29T15:00:00Z")
    assert taken.status_code == 400
    assert "Someone else reserved this slot before you" in taken.json()["error"]["message"]
    again = as_carol(
        "POST",
        "/v2/slots/reservations",
        SLOTS,
        json={"eventTypeId": et, "slotStart": "2026-10-29T15:00:00Z"},
    )
    assert again.status_code == 422

    uid = data["reservationUid"]
    assert (
        as_bob("GET", f"/v2/slots/reservations/{uid}", SLOTS).json()["data"]["slotDuration"] == 30
    )
    clock.now += timedelta(minutes=5)
    assert as_bob("GET", f"/v2/slots/reservations/{uid}", SLOTS).json()["data"] is None
    assert slot in slots(as_carol, et, "2026-10-29", "2026-10-29")["2026-10-29"]
    assert book(as_bob, et, "2026-10-29T15:00:00Z").status_code == 201
    assert as_bob("DELETE", f"/v2/slots/reservations/{uid}", SLOTS).json() == {"status": "success"}


def test_legacy_listing_drops_status_and_take(emu, clock, alice, as_alice, as_bob):
    et = alice.event_type("30min")["id"]
    clock.now = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    past = book(as_bob, et, "2026-10-27T13:00:00Z").json()["data"]
    clock.now = NOW
    starts = [f"2026-10-{d}T{h}:00:00Z" for d in (29, 30) for h in (13, 14, 15, 16, 17, 18)]
    made = [book(as_bob, et, s).json()["data"]["uid"] for s in starts]
    as_alice("POST", f"/v2/bookings/{made[-1]}/cancel", BOOKINGS, json={})

    legacy = as_alice("GET", "/v2/bookings", params={"status": "past", "take": "2"}).json()["data"]
    assert legacy["totalCount"] == 11 and len(legacy["bookings"]) == 10
    assert legacy["nextCursor"] == 10
    first = legacy["bookings"][0]
    assert first["uid"] == made[0] and first["status"] == "ACCEPTED"
    assert first["startTime"] == "2026-10-29T13:00:00.000Z"
    page2 = as_alice("GET", "/v2/bookings", params={"cursor": "10"}).json()["data"]
    assert [b["uid"] for b in page2["bookings"]] == [made[10]] and page2["nextCursor"] is None
    assert any("missing header cal-api-version" in v for v in emu.contract_violations)

    versioned = as_alice("GET", "/v2/bookings", BOOKINGS, params={"status": "past"}).json()
    assert [b["uid"] for b in versioned["data"]] == [past["uid"]]
    page = as_alice(
        "GET", "/v2/bookings", BOOKINGS, params={"status": "upcoming", "take": 4, "skip": 4}
    ).json()
    assert [b["uid"] for b in page["data"]] == made[4:8]
    assert page["pagination"] == {
        "totalItems": 11,
        "remainingItems": 3,
        "returnedItems": 4,
        "itemsPerPage": 4,
        "currentPage": 2,
        "totalPages": 3,
        "hasNextPage": True,
        "hasPreviousPage": True,
    }
    cancelled = as_alice("GET", "/v2/bookings", BOOKINGS, params={"status": "cancelled"}).json()
    assert [(b["uid"], b["status"]) for b in cancelled["data"]] == [(made[-1], "cancelled")]
    assert as_bob("GET", "/v2/bookings", BOOKINGS).json()["pagination"]["totalItems"] == 0


# ------------------------------------------------------------------ webhooks


class Receiver:
    """A tiny loopback webhook receiver that records what it gets."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.got: list[tuple[dict[str, str], bytes]] = []

        async def hook(request: Request) -> Response:
            self.got.append((dict(request.headers), await request.body()))
            return Response(status_code=200)

        self.app = Starlette(routes=[Route("/hook/{n}", hook, methods=["POST"])])

    def url(self, n: int) -> str:
        return f"{self.server.url}/hook/{n}"


@pytest.fixture
def receiver(servers) -> Receiver:
    _switch, _server, hook_switch, hook_server = servers
    r = Receiver(hook_server)
    hook_switch.target = r.app
    return r


def _signed(delivery: Delivery, secret: str) -> bool:
    mac = hmac.new(secret.encode(), delivery.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, delivery.headers["X-Cal-Signature-256"])


def test_webhooks_are_delivered_signed(emu, alice, as_alice, receiver):
    user_hook = as_alice(
        "POST",
        "/v2/webhooks",
        json={
            "subscriberUrl": receiver.url(1),
            "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
            "active": True,
            "secret": "s3cret",
        },
    )
    assert user_hook.status_code == 201, user_hook.text
    uuid.UUID(user_hook.json()["data"]["id"])
    et = alice.event_type("30min")["id"]
    et_hook = as_alice(
        "POST",
        f"/v2/event-types/{et}/webhooks",
        json={"subscriberUrl": receiver.url(2), "triggers": ["BOOKING_CREATED"], "active": True},
    )
    assert et_hook.status_code == 201

    booking = emu.book_as_guest(
        event_type_id=et,
        start=datetime(2026, 10, 29, 14, tzinfo=UTC),
        name="Gail Guest",
        email="gail@example.test",
    )
    first = emu.wait_for_delivery(lambda d: d.url == receiver.url(1))
    second = emu.wait_for_delivery(lambda d: d.url == receiver.url(2))
    assert first.status == second.status == 200
    assert _signed(first, "s3cret") and _signed(second, "no-secret-provided")
    assert first.headers["Content-Type"] == "application/json"
    sent = next(body for headers, body in receiver.got if body == first.body)
    assert json.loads(sent) == first.payload
    envelope = first.payload
    assert envelope["triggerEvent"] == "BOOKING_CREATED"
    assert envelope["createdAt"] == "2026-10-28T15:00:00.000Z"
    payload = envelope["payload"]
    assert payload["uid"] == booking["uid"] and payload["bookingId"] == booking["id"]
    assert payload["type"] == "30min" and payload["eventTypeId"] == et
    assert payload["startTime"] == "2026-10-29T14:00:00Z"
    assert payload["endTime"] == "2026-10-29T14:30:00Z"
    assert payload["organizer"]["email"] == "alice@acme.test"
    assert payload["organizer"]["timeZone"] == "America/New_York"
    assert payload["attendees"][0]["name"] == "Gail Guest"
    assert payload["metadata"]["videoCallUrl"].startswith("https://")
    assert payload["status"] == "ACCEPTED"

    cancel = as_alice(
        "POST",
        f"/v2/bookings/{booking['uid']}/cancel",
        BOOKINGS,
        json={"cancellationReason": "ill"},
    )
    assert cancel.status_code == 200 and cancel.json()["data"]["status"] == "cancelled"
    gone = emu.wait_for_delivery(lambda d: d.trigger == "BOOKING_CANCELLED")
    assert gone.payload["payload"]["cancellationReason"] == "ill"
    assert gone.payload["payload"]["status"] == "CANCELLED"
    assert len(emu.deliveries) == 3  # the event-type hook is not subscribed to cancellations

    again = emu.redeliver(0)
    assert again.body == emu.deliveries[0].body and again.headers == emu.deliveries[0].headers
    assert len(receiver.got) == 4


async def test_wait_deliveries_for_async_tests(emu, alice, as_alice, receiver):
    as_alice(
        "POST",
        "/v2/webhooks",
        json={"subscriberUrl": receiver.url(1), "triggers": ["BOOKING_REQUESTED"], "active": True},
    )
    emu.book_as_guest(
        event_type_id=alice.event_type("60min")["id"],
        start=datetime(2026, 10, 29, 17, tzinfo=UTC),
        name="Hal",
        email="hal@example.test",
        requires_confirmation=True,
    )
    [delivery] = await emu.wait_deliveries(1)
    assert delivery.trigger == "BOOKING_REQUESTED"
    assert delivery.payload["payload"]["status"] == "PENDING"


def test_webhook_rules(emu, alice, as_alice, as_bob, receiver):
    body = {"subscriberUrl": receiver.url(1), "triggers": ["BOOKING_CONFIRMED"], "active": True}
    wrong = as_alice("POST", "/v2/webhooks", json=body)
    assert wrong.status_code == 400 and "triggers" in wrong.json()["error"]["message"]
    body["triggers"] = ["BOOKING_CREATED"]
    hook = as_alice("POST", "/v2/webhooks", json=body).json()["data"]
    assert hook["userId"] == alice.id and hook["secret"] is None
    assert as_alice("POST", "/v2/webhooks", json=body).status_code == 409
    assert as_bob("POST", "/v2/webhooks", json=body).status_code == 201  # another owner
    assert as_bob("GET", f"/v2/webhooks/{hook['id']}").status_code == 404
    patched = as_alice("PATCH", f"/v2/webhooks/{hook['id']}", json={"active": False}).json()
    assert patched["data"]["active"] is False
    assert [h["id"] for h in as_alice("GET", "/v2/webhooks").json()["data"]] == [hook["id"]]
    assert as_alice("DELETE", f"/v2/webhooks/{hook['id']}").status_code == 200
    assert emu.webhooks.get(hook["id"]) is None
    et = alice.event_type("30min")["id"]
    assert as_bob("GET", f"/v2/event-types/{et}/webhooks").status_code == 404


def test_confirmation_and_rescheduling(emu, alice, as_alice, as_bob, receiver):
    et = alice.event_type("30min")
    et["requiresConfirmation"] = True
    triggers = ["BOOKING_CREATED", "BOOKING_REQUESTED", "BOOKING_RESCHEDULED", "BOOKING_REJECTED"]
    as_alice(
        "POST",
        "/v2/webhooks",
        json={"subscriberUrl": receiver.url(1), "triggers": triggers, "active": True},
    )
    pending = book(as_bob, et["id"], "2026-10-29T14:00:00Z", email="bob@acme.test").json()["data"]
    assert pending["status"] == "pending"
    listed = as_alice("GET", "/v2/bookings", BOOKINGS, params={"status": "unconfirmed"}).json()
    assert [b["uid"] for b in listed["data"]] == [pending["uid"]]
    assert as_bob("POST", f"/v2/bookings/{pending['uid']}/confirm", BOOKINGS).status_code == 403
    confirmed = as_alice("POST", f"/v2/bookings/{pending['uid']}/confirm", BOOKINGS).json()
    assert confirmed["data"]["status"] == "accepted"

    moved = as_alice(
        "POST",
        f"/v2/bookings/{pending['uid']}/reschedule",
        BOOKINGS,
        json={"start": "2026-10-29T16:00:00Z", "reschedulingReason": "clash"},
    )
    assert moved.status_code == 201, moved.text
    new = moved.json()["data"]
    assert new["rescheduledFromUid"] == pending["uid"] and new["status"] == "accepted"
    old = as_alice("GET", f"/v2/bookings/{pending['uid']}", BOOKINGS).json()["data"]
    assert old["status"] == "cancelled" and old["rescheduledToUid"] == new["uid"]

    # each API call delivers on its own task, so calls' deliveries may interleave (so may
    # Cal.com's); what matters is that each event arrives, with the right payload
    got = sorted(d.trigger for d in emu.wait_for_deliveries(3))
    assert got == ["BOOKING_CREATED", "BOOKING_REQUESTED", "BOOKING_RESCHEDULED"]
    moved_delivery = next(d for d in emu.deliveries if d.trigger == "BOOKING_RESCHEDULED")
    rescheduled = moved_delivery.payload["payload"]
    assert rescheduled["uid"] == new["uid"] and rescheduled["rescheduleUid"] == pending["uid"]

    by_guest = as_bob(
        "POST",
        f"/v2/bookings/{new['uid']}/reschedule",
        BOOKINGS,
        json={"start": "2026-10-29T17:00:00Z"},
    ).json()["data"]
    assert by_guest["status"] == "pending"  # needs the host's confirmation again
    declined = as_alice(
        "POST", f"/v2/bookings/{by_guest['uid']}/decline", BOOKINGS, json={"reason": "no"}
    )
    assert declined.json()["data"]["status"] == "rejected"
    assert sorted(d.trigger for d in emu.wait_for_deliveries(5)[3:]) == [
        "BOOKING_REJECTED",
        "BOOKING_REQUESTED",
    ]


# ------------------------------------------------------------------ faults


def test_faults(emu, as_alice):
    emu.fault("rate_limit", seconds=2)
    limited = as_alice("GET", "/v2/me")
    assert limited.status_code == 429
    assert limited.json()["status"] == "error"
    assert limited.headers["X-RateLimit-Reset-Default"] == "2"
    assert limited.headers["X-RateLimit-Remaining-Default"] == "0"
    assert "X-RateLimit-Limit-Default" in limited.headers and "Retry-After" not in limited.headers
    assert as_alice("GET", "/v2/me").status_code == 200

    emu.fault("error_500", path="/cal-com/v2/bookings", times=2)
    assert as_alice("GET", "/v2/me").status_code == 200  # another path
    for _ in range(2):
        failed = as_alice("GET", "/v2/bookings", BOOKINGS)
        assert failed.status_code == 500 and failed.json()["status"] == "error"
    assert as_alice("GET", "/v2/bookings", BOOKINGS).status_code == 200

    emu.fault("bare_500")
    assert as_alice("GET", "/v2/me").json() == {
        "statusCode": 500,
        "message": "Internal server error",
    }
    emu.fault("forbidden", path="/cal-com/v2/teams")
    emu.fault("not_found", path="/cal-com/v2/calendars")
    forbidden = as_alice("GET", "/v2/teams")
    assert (
        forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "ForbiddenException"
    )
    assert as_alice("GET", "/v2/calendars").json()["error"]["code"] == "NotFoundException"
    assert as_alice("GET", "/v2/teams").status_code == 200
    emu.fault("delay", seconds=0.05)
    assert as_alice("GET", "/v2/me").status_code == 200

    emu.fault("timeout")
    with pytest.raises(httpx.ReadTimeout):
        as_alice("GET", "/v2/me", timeout=0.2)
    assert as_alice("GET", "/v2/me").status_code == 200  # the emulator is still fine

    emu.rate_limit_per_second = 2
    codes = [as_alice("GET", "/v2/me").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the clock does not move: a deterministic window


# ------------------------------------------------------------------ resources


def test_event_types_and_schedules(emu, alice, bob, as_alice, as_bob):
    assert as_alice("GET", "/v2/event-types", EVENT_TYPES).json()["data"] == []
    mine = as_alice("GET", "/v2/event-types", EVENT_TYPES, params={"username": "alice"}).json()
    assert [e["slug"] for e in mine["data"]] == ["30min", "60min"]
    assert mine["data"][0]["lengthInMinutes"] == 30
    legacy = as_alice("GET", "/v2/event-types").json()["data"]
    assert legacy["eventTypeGroups"][0]["eventTypes"][0]["length"] == 30

    body = {"title": "Chat", "slug": "chat", "lengthInMinutes": 15}
    created = as_alice("POST", "/v2/event-types", EVENT_TYPES, json=body)
    assert created.status_code == 201 and created.json()["data"]["ownerId"] == alice.id
    dup = as_alice("POST", "/v2/event-types", EVENT_TYPES, json=body)
    assert dup.status_code == 400 and "Slug already exists" in dup.json()["error"]["message"]
    chat = created.json()["data"]["id"]
    assert as_bob("GET", f"/v2/event-types/{chat}", EVENT_TYPES).status_code == 404
    hidden = as_alice("PATCH", f"/v2/event-types/{chat}", EVENT_TYPES, json={"hidden": True})
    assert hidden.json()["data"]["hidden"] is True
    seen_by_bob = as_bob("GET", "/v2/event-types", EVENT_TYPES, params={"username": "alice"})
    assert chat not in [e["id"] for e in seen_by_bob.json()["data"]]
    assert as_alice("DELETE", f"/v2/event-types/{chat}", EVENT_TYPES).status_code == 200
    assert chat not in emu.event_types

    default = as_alice("GET", "/v2/schedules/default", SCHEDULES).json()["data"]
    assert default["timeZone"] == "America/New_York" and default["isDefault"] is True
    assert default["availability"] == [
        {
            "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "startTime": "09:00",
            "endTime": "17:00",
        }
    ]
    assert as_bob("GET", f"/v2/schedules/{default['id']}", SCHEDULES).status_code == 404
    weekend = as_alice(
        "POST",
        "/v2/schedules",
        SCHEDULES,
        json={
            "name": "Weekends",
            "timeZone": "Europe/London",
            "isDefault": True,
            "availability": [{"days": ["Saturday"], "startTime": "10:00", "endTime": "12:00"}],
        },
    ).json()["data"]
    assert alice.default_schedule_id == weekend["id"]
    et = alice.event_type("60min")["id"]
    sat = slots(as_bob, et, "2026-10-31", "2026-10-31")
    assert sat == {
        "2026-10-31": [{"start": "2026-10-31T10:00:00.000Z"}, {"start": "2026-10-31T11:00:00.000Z"}]
    }
    assert as_alice("DELETE", f"/v2/schedules/{weekend['id']}", SCHEDULES).json() == {
        "status": "success"
    }
    assert as_alice("GET", "/v2/schedules/default", SCHEDULES).json() == {
        "status": "success",
        "data": None,
    }
    assert slots(as_bob, et, "2026-10-29", "2026-10-29") == {}

    me = as_alice("PATCH", "/v2/me", json={"timeZone": "Europe/Rome", "name": "Alice W"}).json()
    assert me["data"]["timeZone"] == "Europe/Rome" and alice.name == "Alice W"


# where the emulator follows Cal.com's documented behaviour or runtime, not the spec's schema
KNOWN_DEVIATIONS = (
    "response data/id: ",  # webhook ids are UUID strings, the spec says number
    "response data/triggers/",  # trigger names are strings, the spec says objects
    "response data/payloadTemplate: None",  # null when not set
    "response data/secret: None",  # null when not set
)


def test_responses_match_the_spec(emu, alice, as_alice, as_bob, receiver):
    """Versioned answers validate against the documented response schemas."""
    et = alice.event_type("30min")["id"]
    schedule_id = alice.default_schedule_id
    calls: list[tuple[Gateway, str, str, str | None, dict[str, Any]]] = [
        (as_alice, "GET", "/v2/me", None, {}),
        (as_alice, "PATCH", "/v2/me", None, {"json": {"bio": "hi"}}),
        (as_alice, "GET", "/v2/event-types", EVENT_TYPES, {"params": {"username": "alice"}}),
        (as_alice, "GET", f"/v2/event-types/{et}", EVENT_TYPES, {}),
        (as_alice, "PATCH", f"/v2/event-types/{et}", EVENT_TYPES, {"json": {"title": "Talk"}}),
        (as_alice, "GET", "/v2/schedules/default", SCHEDULES, {}),
        (as_alice, "GET", f"/v2/schedules/{schedule_id}", SCHEDULES, {}),
        (as_alice, "GET", "/v2/calendars", None, {}),
        (as_alice, "GET", "/v2/conferencing", None, {}),
        (as_alice, "GET", "/v2/conferencing/default", None, {}),
        (as_alice, "GET", "/v2/teams", None, {}),
        (as_alice, "GET", "/v2/webhooks", None, {}),
        (
            as_alice,
            "POST",
            "/v2/webhooks",
            None,
            {
                "json": {
                    "subscriberUrl": receiver.url(9),
                    "triggers": ["BOOKING_CREATED"],
                    "active": True,
                }
            },
        ),
        (
            as_bob,
            "POST",
            "/v2/slots/reservations",
            SLOTS,
            {"json": {"eventTypeId": et, "slotStart": "2026-10-30T13:00:00Z"}},
        ),
        (
            as_bob,
            "POST",
            "/v2/bookings",
            BOOKINGS,
            {
                "json": {
                    "eventTypeId": et,
                    "start": "2026-10-29T13:00:00Z",
                    "attendee": {"name": "Bob", "email": "bob@acme.test", "timeZone": "UTC"},
                }
            },
        ),
        (as_bob, "GET", "/v2/bookings", BOOKINGS, {"params": {"status": "upcoming"}}),
    ]
    problems: list[str] = []
    for gw, method, path, version, kw in calls:
        response = gw(method, path, version, **kw)
        assert response.status_code in (200, 201), (path, response.text)
        problems += check_response(method, path, response.status_code, response.json())
    uid = emu.gateway_requests()[-1].path and next(iter(emu.bookings))
    for path, body in ((f"/v2/bookings/{uid}", None), (f"/v2/bookings/{uid}/cancel", {})):
        method = "GET" if body is None else "POST"
        response = as_bob(method, path, BOOKINGS, json=body)
        problems += check_response(method, path, response.status_code, response.json())
    problems = [p for p in problems if not any(k in p for k in KNOWN_DEVIATIONS)]
    assert problems == [], "\n".join(problems)
    assert emu.contract_violations == []


# ------------------------------------------------------------------ the contract checker


def test_contract_checker_catches_what_matters(emu, alice, as_alice):
    auth = {"authorization": "Bearer k"}
    assert check_request("GET", "/v2/bookings", {"status": "upcoming"}, auth, None) == [
        "GET /v2/bookings: missing header cal-api-version (must be 2024-08-13)"
    ]
    versioned = {**auth, "cal-api-version": BOOKINGS}
    bad_body = {"eventTypeId": 1, "start": "2026-10-29T13:00:00Z", "responses": {"name": "x"}}
    problems = check_request("POST", "/v2/bookings", {}, versioned, bad_body)
    assert any("'attendee' is a required property" in p for p in problems)
    assert any("'responses' was unexpected" in p for p in problems)
    wrong_version = {**auth, "cal-api-version": "2024-04-15"}
    assert (
        "the spec says 2024-06-14"
        in check_request("GET", "/v2/event-types", {}, wrong_version, None)[0]
    )
    assert check_request("GET", "/v2/bookings", {"take": "x"}, versioned, None) == [
        "GET /v2/bookings: query parameter take='x' is not a number"
    ]
    assert check_request("GET", "/v2/nope", {}, auth, None) == [
        "GET /v2/nope: no such path in the Cal.com v2 spec"
    ]
    hook = {"subscriberUrl": "https://x.test", "triggers": ["BOOKING_CONFIRMED"], "active": True}
    assert check_request("POST", "/v2/webhooks", {}, auth, hook)
    slot_query = {"eventTypeId": "1", "start": "2026-10-29", "end": "2026-10-30", "bogus": "1"}
    assert check_request(
        "GET", "/v2/slots", slot_query, {**auth, "cal-api-version": SLOTS}, None
    ) == ["GET /v2/slots: unknown query parameter 'bogus'"]

    # the emulator records violations and still answers
    answer = as_alice("POST", "/v2/bookings", BOOKINGS, json=bad_body)
    assert answer.status_code == 400
    assert any("'attendee' is a required property" in v for v in emu.contract_violations)
