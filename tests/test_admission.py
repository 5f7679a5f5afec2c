"""Issue 15: a burst is held. Work handed off after the ack is bounded and fair, past
capacity people hear "busy" at once, and a wedged gateway pool is replaced.

Behaviour only: no figure here depends on the machine's speed (bench/burst.py measures).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.admission import Admission
from bot.blocks.progress import BUSY
from bot.calcom.pool import GatewayPool
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import LoopbackServer, serve
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, link_user
from tests.slackdriver import action_ids, text_of

# ------------------------------------------------------------------ the admission queue


async def test_queue_is_bounded_and_each_person_has_a_share() -> None:
    admission = Admission(max_pending=3, per_user=2, max_running=1)
    first = admission.admit(("T", "U1"))
    second = admission.admit(("T", "U1"))
    assert first and second
    assert admission.admit(("T", "U1")) is None  # U1's share is used up
    third = admission.admit(("T", "U2"))
    assert third is not None
    assert admission.admit(("T", "U3")) is None  # the queue is full
    assert admission.refused == 2
    admission.done(third)
    assert admission.admit(("T", "U3")) is not None  # room again


async def test_slots_go_round_robin_between_people() -> None:
    admission = Admission(max_pending=10, per_user=5, max_running=1)
    holder = admission.admit(("T", "U0"))
    assert holder is not None
    await admission.start(holder)  # the one slot is taken while everyone queues
    order: list[str] = []

    async def job(user: str) -> None:
        ticket = admission.admit(("T", user))
        assert ticket is not None
        await admission.start(ticket)
        order.append(user)
        admission.done(ticket)

    # U1 queues four jobs before U2 asks once: U2 is served second, not fifth
    jobs = [asyncio.create_task(job("U1")) for _ in range(4)]
    await asyncio.sleep(0)
    jobs.append(asyncio.create_task(job("U2")))
    await asyncio.sleep(0)
    admission.done(holder)
    await asyncio.gather(*jobs)
    assert order == ["U1", "U2", "U1", "U1", "U1"]


async def test_a_cancelled_waiter_gives_its_place_back() -> None:
    admission = Admission(max_pending=5, per_user=5, max_running=1)
    holder = admission.admit(("T", "U1"))
    assert holder is not None
    await admission.start(holder)
    waiter = admission.admit(("T", "U2"))
    assert waiter is not None
    task = asyncio.create_task(admission.start(waiter))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    admission.done(waiter)
    admission.done(holder)
    assert admission.pending == 0
    late = admission.admit(("T", "U3"))
    assert late is not None
    await asyncio.wait_for(admission.start(late), 1)  # the slot was not lost


# ------------------------------------------------------------------ the gateway pool


@pytest.fixture
def closing_server() -> Iterator[LoopbackServer]:
    """An HTTP server that closes the connection after each answer (as proxies may)."""

    async def ok(request: Request) -> JSONResponse:
        await asyncio.sleep(0.02)
        return JSONResponse({"ok": True}, headers={"Connection": "close"})

    server = serve(Starlette(routes=[Route("/", ok)]))
    yield server
    server.stop()


async def _orphan_a_connection(client: httpx.AsyncClient, url: str) -> None:
    """encode/httpcore#1093: a queued request cancelled just after the pool made a new
    connection for it leaves that connection CONNECTING in the pool forever."""
    waiting: asyncio.Task[httpx.Response] | None = None

    async def first() -> None:
        await client.get(url)
        assert waiting is not None
        waiting.cancel()  # the pool has just handed `waiting` a fresh connection

    holder = asyncio.create_task(first())
    await asyncio.sleep(0.005)
    waiting = asyncio.create_task(client.get(url))
    await asyncio.gather(holder, waiting, return_exceptions=True)


async def test_a_wedged_pool_is_replaced(closing_server: LoopbackServer) -> None:
    url = closing_server.url + "/"

    def small_client() -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=1)
        return httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(2, pool=0.5))

    # the bug, on a bare client: every later request times out against a healthy server
    bare = small_client()
    await _orphan_a_connection(bare, url)
    with pytest.raises(httpx.PoolTimeout):
        await bare.get(url)
    await bare.aclose()

    pool = GatewayPool(small_client, max_in_flight=1, leak_limit=1, check_every=1)
    await _orphan_a_connection(pool.client, url)
    assert pool.orphans() == 1
    answer = await pool.request("GET", url)  # detected, replaced, served
    assert answer.json() == {"ok": True}
    assert pool.replaced == 1
    assert pool.orphans() == 0
    await pool.aclose()


async def test_requests_past_the_cap_wait_outside_httpcore(closing_server: LoopbackServer) -> None:
    url = closing_server.url + "/"
    pool = GatewayPool(lambda: httpx.AsyncClient(timeout=5), max_in_flight=2)
    seen: list[int] = []
    original = pool.client.request

    async def watch(*args: object, **kwargs: object) -> httpx.Response:
        seen.append(pool.in_flight)
        return await original(*args, **kwargs)  # type: ignore[arg-type]

    pool.client.request = watch  # type: ignore[method-assign]
    answers = await asyncio.gather(*(pool.request("GET", url) for _ in range(6)))
    assert all(a.status_code == 200 for a in answers)
    assert max(seen) <= 2
    await pool.aclose()


# ------------------------------------------------------------------ the real app


def test_past_capacity_the_answer_is_busy_at_once(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    link_user(bot, calcom, "U2", "alice", name="Alice Wong", time_zone="Europe/London")
    bot.rt.admission = Admission(max_pending=3, per_user=1, max_running=3)
    calcom.fault("timeout", path="/cal-com/v2/slots", seconds=30)

    held = bot.slack.command("book 30min tomorrow with jane@example.com")
    assert held.response.status_code == 200 and not held.response.content
    bot.slack.interims(held)  # "Looking up free times…": Sam's first is in progress

    # Sam's second command, while his first is still waiting on Cal.com: busy, in the ack
    refused = bot.slack.command("bookings")
    assert refused.response.status_code == 200
    assert refused.response.json()["text"] == BUSY
    assert refused.response.json()["response_type"] == "ephemeral"

    # someone else is not held up by Sam (a command that needs Cal.com, so it is admitted)
    other = bot.slack.command("bookings", user="U2")
    assert not other.response.content
    assert BUSY not in text_of(bot.slack.reply(other))

    calcom.clear_faults()
    calcom.close()  # releases the hanging request: Sam's first command ends
    bot.slack.reply(held, timeout=10)
    bot.settle()
    again = bot.slack.command("bookings")
    assert not again.response.content and BUSY not in text_of(bot.slack.reply(again))


def test_commands_needing_no_io_are_answered_in_the_ack_even_when_full(
    bot: Bot, slack: SlackEmulator
) -> None:
    """Help, an unknown word and a parse error are answered in the ack itself: shown at
    once, nothing posted to the response URL, no place taken in the queue."""
    bot.rt.admission = Admission(max_pending=0, per_user=0, max_running=0)  # nothing fits

    help_ = bot.slack.command("help")
    unknown = bot.slack.command("bogus")
    invalid = bot.slack.command("notify #x")
    for sent in (help_, unknown, invalid):
        assert sent.response.status_code == 200
        assert sent.response.json()["response_type"] == "ephemeral"
    assert "/cal book" in text_of(help_.response.json())
    assert "I don't know `/cal bogus`" in text_of(unknown.response.json())
    assert BUSY not in text_of(invalid.response.json()) and invalid.response.json()["text"]

    refused = bot.slack.command("bookings")  # needs Cal.com: queued work, so busy now
    assert refused.response.json()["text"] == BUSY
    assert bot.rt.admission.refused == 1
    bot.settle()
    assert slack.calls_to("response_url") == []


def test_a_burst_then_one_more_works(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    """Burst past every limit while Cal.com is slow enough for budgets to run out (each
    cancelling gateway requests in flight), then one more request is served normally."""
    users = [f"U{n}" for n in range(10, 22)]
    for user in users:
        slack.add_user(user, name=user.lower(), email=f"{user.lower()}@acme.test")
        link_user(bot, calcom, user, user.lower())
    bot.rt.admission = Admission(max_pending=8, per_user=2, max_running=4)
    bot.rt.budget_seconds = 1.0
    bot.rt.http.leak_limit = bot.rt.http.check_every = 1  # any orphan: replace at once
    calcom.fault("delay", path="/cal-com/v2/slots", seconds=1.5, times=40)

    burst = [
        bot.slack.command("book 30min tomorrow with jane@example.com", user=user)
        for user in users
        for _ in range(3)
    ]
    assert all(sent.response.status_code == 200 for sent in burst)
    busy = [sent for sent in burst if sent.response.content]
    assert busy and all(s.response.json()["text"] == BUSY for s in busy)
    admitted = [sent for sent in burst if not sent.response.content]
    for sent in admitted:  # each got a final answer: "taking too long", nothing hangs
        assert "too long" in text_of(bot.slack.reply(sent, timeout=10))
    bot.settle()

    calcom.clear_faults()
    bot.rt.budget_seconds = 10.0
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow with jane@example.com"))
    assert any(a.startswith("pick_slot:") for a in action_ids(picker))
    bot.settle()
    assert bot.rt.http.orphans() == 0  # an orphan the burst left (it happens) was replaced
    assert bot.rt.admission.pending == 0
