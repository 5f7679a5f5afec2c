"""How fast does `POST /calcom/webhooks/{token}` answer, and does memory stay flat?

Runs the real bot (`python -m bot serve`) as a child process against a tiny Slack stub (a
second child process, so its work never shares a GIL with the load generator), with one
subscription written straight into a fresh database. Then, with aiohttp:

1. latency: signed deliveries sent open-loop at a fixed rate (default 100 a second for
   20 s; each a distinct booking, so each is stored and posted), p50/p99/max of the
   time to the 200;
2. memory: 10,000 more deliveries (50 at a time), the bot's RSS sampled every 1,000,
   and once more 5 s later (the worker posts to one channel at Slack's ~1/s meanwhile).

Run: .venv/bin/python bench/webhooks.py [--rate 100] [--seconds 20] [--total 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

import aiohttp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TOKEN = "bench-subscription-token-0123456789abcdef"
SECRET = "bench-secret-" + "s" * 40


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_slack_stub(port: int) -> None:
    """chat.postMessage answers ok and counts; GET /count says how many."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    posted = [0]

    async def api(request: Request) -> JSONResponse:
        await request.body()
        posted[0] += 1
        return JSONResponse({"ok": True, "channel": "C1", "ts": f"1.{posted[0]:06d}"})

    async def count(request: Request) -> JSONResponse:
        return JSONResponse({"posted": posted[0]})

    app = Starlette(routes=[Route("/api/{method}", api, methods=["POST"]), Route("/count", count)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def prepare_database(path: str) -> None:
    from bot.store import Store
    from bot.store import notifications as tables

    store = Store(path)
    store.migrate()
    tables.insert_subscription(
        store.db,
        token=TOKEN,
        team_id="T1",
        user_id="U1",
        channel_id="C1",
        event_type_id=None,
        event_type_title=None,
        triggers=("created", "rescheduled", "cancelled", "requested"),
        webhook_id="wh-bench",
        secret=SECRET,
        created_at="2026-01-01T00:00:00+00:00",
    )
    store.close()


def delivery(n: int) -> tuple[bytes, dict[str, str]]:
    """A signed BOOKING_CREATED for booking number `n`, shaped like Cal.com's (~1.5 KB)."""
    start = datetime(2026, 12, 1, 15, tzinfo=UTC) + timedelta(minutes=30 * n)
    payload = {
        "type": "30min",
        "title": f"30 min meeting between Sam Jones and Guest {n}",
        "description": "",
        "startTime": start.isoformat().replace("+00:00", "Z"),
        "endTime": (start + timedelta(minutes=30)).isoformat().replace("+00:00", "Z"),
        "organizer": {
            "id": 1,
            "name": "Sam Jones",
            "email": "sam@acme.test",
            "username": "sam",
            "timeZone": "America/New_York",
            "language": {"locale": "en"},
            "timeFormat": "h:mma",
            "utcOffset": -300,
        },
        "responses": {"name": {"label": "your_name", "value": f"Guest {n}"}},
        "attendees": [
            {
                "email": f"guest{n}@example.test",
                "name": f"Guest {n}",
                "timeZone": "Europe/Paris",
                "language": {"locale": "en"},
                "utcOffset": 60,
            }
        ],
        "location": "integrations:daily",
        "eventTypeId": 1,
        "uid": f"bench-{n:08d}",
        "bookingId": n,
        "length": 30,
        "metadata": {"videoCallUrl": f"https://app.cal.com/video/bench-{n:08d}"},
        "status": "ACCEPTED",
    }
    body = json.dumps(
        {
            "triggerEvent": "BOOKING_CREATED",
            "createdAt": "2026-11-25T15:00:00.000Z",
            "payload": payload,
        },
        separators=(",", ":"),
    ).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "X-Cal-Signature-256": signature}


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def wait_until_up(session: aiohttp.ClientSession, url: str) -> None:
    for _ in range(200):
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise SystemExit(f"the bot did not start ({url})")


async def send(session: aiohttp.ClientSession, url: str, n: int) -> float:
    body, headers = delivery(n)
    started = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise SystemExit(f"delivery {n}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


async def posted(session: aiohttp.ClientSession, slack_url: str) -> int:
    async with session.get(f"{slack_url}/count") as response:
        return (await response.json())["posted"]


async def bench(bot_url: str, slack_url: str, pid: int, args: argparse.Namespace) -> None:
    url = f"{bot_url}/calcom/webhooks/{TOKEN}"
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(connector=connector) as session:
        await wait_until_up(session, f"{bot_url}/healthz")
        for n in range(50):  # warm up: imports, first posts
            await send(session, url, n)

        # 1. latency, open loop at a fixed rate
        count = int(args.rate * args.seconds)
        started = time.perf_counter()
        tasks = []
        for i in range(count):
            delay = started + i / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.ensure_future(send(session, url, 1000 + i)))
        latencies = sorted(await asyncio.gather(*tasks))
        elapsed = time.perf_counter() - started
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
        print(
            f"latency at {args.rate:.0f}/s for {args.seconds:.0f} s ({count} deliveries, "
            f"{count / elapsed:.0f}/s achieved): p50 {statistics.median(latencies):.2f} ms, "
            f"p99 {p99:.2f} ms, max {latencies[-1]:.2f} ms"
        )

        # 2. memory over many deliveries
        base = 1_000_000
        print(f"RSS before {args.total} more deliveries: {rss_mb(pid):.1f} MB")
        sent = 0
        while sent < args.total:
            batch = min(50, args.total - sent)
            await asyncio.gather(*(send(session, url, base + sent + k) for k in range(batch)))
            sent += batch
            if sent % 1000 == 0:
                print(f"  after {sent:>6} deliveries: RSS {rss_mb(pid):.1f} MB")
        expected = 50 + count + args.total
        waited = time.perf_counter()
        before = await posted(session, slack_url)
        await asyncio.sleep(5)
        done = await posted(session, slack_url)
        # one subscription, one channel: the worker keeps Slack's pace of about one message
        # a second per channel (bot/notify/lanes.py), so the backlog drains at that pace
        print(
            f"posted to Slack so far: {done} of {expected} ({(done - before) / 5:.1f}/s over "
            f"the last {time.perf_counter() - waited:.0f} s, one channel); RSS {rss_mb(pid):.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--total", type=int, default=10_000)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="calbot-bench-")
    database = os.path.join(workdir, "bench.db")
    prepare_database(database)
    slack_port, bot_port = free_port(), free_port()
    stub = multiprocessing.get_context("spawn").Process(target=run_slack_stub, args=(slack_port,))
    stub.start()
    slack_url = f"http://127.0.0.1:{slack_port}"
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": "bench-signing-secret",
        "SLACK_API_URL": f"{slack_url}/api/",
        "MATON_API_KEY": "bench-key",
        "MATON_GATEWAY_URL": "http://127.0.0.1:9",
        "MATON_CTRL_URL": "http://127.0.0.1:9",
        "PUBLIC_URL": f"http://127.0.0.1:{bot_port}",
        "DATABASE_PATH": database,
        "LOG_LEVEL": "WARNING",
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(bot_port)],
        env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    try:
        asyncio.run(bench(f"http://127.0.0.1:{bot_port}", slack_url, bot.pid, args))
    finally:
        bot.terminate()
        bot.wait(timeout=20)
        stub.terminate()
        stub.join(timeout=5)


if __name__ == "__main__":
    main()
