"""Hold a burst: calbot against the bare-Bolt floor, in the same run, interleaved rounds.

Child processes (so the load generator never shares a GIL with what it measures):
- floor: a bare Bolt AsyncApp (process_before_response, one `/cal` listener that only
  acks) and a webhook floor (HMAC check + one SQLite insert), served by uvicorn;
- calbot: the real `python -m bot serve` (uvloop), its database seeded with `--users`
  linked people and one notification subscription;
- a gateway: the Cal.com emulator (tests/emulators/calcom) behind a cache of its GET
  answers, so it answers in about a millisecond as Maton did in the issue;
- a Slack stub: users.info, chat.postMessage, and response URLs that sort every reply
  (picker, busy, interim line, error...).

Rows (each a burst at `--concurrency`, floor then calbot, repeated `--rounds` times):
- `/cal help`, burst of `--help-burst`: req/s and ack p99;
- `/cal book`, burst of `--book-burst` from `--users` people: req/s, ack p99, acks over
  3 s, and within 10 s every person's final reply sorted (picker, busy, error); then one
  more `/cal book` must get its picker;
- webhook endpoint: deliveries/s at most (`--deliveries`, 50 at a time), and p99 at
  `--rate`/s on average for `--seconds` (independent arrivals, the same times for both).
Then logging's cost per request, and calbot's RSS.

Run: .venv/bin/python bench/burst.py [--rounds 3] [--help-burst 300] [--book-burst 500]
     [--calbot-loop asyncio]   (calbot on asyncio's loop instead of uvloop, to compare)
     [--rows hook]             (only some rows: help, book, hook; comma-separated)
     [--against floor]         (a second floor in calbot's place: how noisy each ratio is)
Keep runs under a minute on a shared machine; the sizes are printed with the table.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import logging
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from webhooks import TOKEN, delivery, free_port, prepare_database, rss_mb  # noqa: E402

SECRET = "bench-signing-secret"
SENT: dict[str, int] = {}  # requests sent, by host:port (the RSS line says after how many)
KEY = "bench-maton-key-0123456789"
BUSY_MARK = "very busy"
ASYNCIO_SERVE = """
import sys, bot.server
start = bot.server.start
bot.server.start = lambda settings, port: start(settings, port=port, loop="asyncio")
sys.argv = ["calbot", "serve"]
from bot.__main__ import main
main()
"""


# ---------------------------------------------------------------- child processes


def run_floor(port: int, slack_api: str, database: str) -> None:
    """Bare Bolt (ack-only `/cal`) and the webhook floor: HMAC + one SQLite insert."""
    import uvicorn
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
    from webhooks import SECRET as HOOK_SECRET

    bolt = AsyncApp(
        client=AsyncWebClient(token="xoxb-bench", base_url=slack_api),
        signing_secret=SECRET,
        process_before_response=True,
    )

    @bolt.command("/cal")
    async def on_cal(ack: Any) -> None:
        await ack()

    handler = AsyncSlackRequestHandler(bolt)
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("pragma journal_mode=wal")
    db.execute("pragma synchronous=normal")
    db.execute("create table if not exists hooks (id integer primary key, body text)")

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def hook(request: Request) -> Response:
        body = await request.body()
        digest = hmac.new(HOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(digest, request.headers.get("x-cal-signature-256", "")):
            return JSONResponse({"ok": False}, status_code=401)
        db.execute("insert into hooks (body) values (?)", [body.decode()])
        return JSONResponse({"ok": True})

    app = Starlette(
        routes=[
            Route("/slack/events", events, methods=["POST"]),
            Route("/calcom/webhooks/{token}", hook, methods=["POST"]),
        ]
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def run_gateway(port: int, users: int, links: Any) -> None:
    """The Cal.com emulator with `users` accounts; GET answers cached after the first."""
    import uvicorn

    from tests.emulators.calcom import CalcomEmulator

    emu = CalcomEmulator(api_key=KEY)
    connections = []
    for n in range(users + 1):
        emu.add_account(username=f"user{n}", name=f"User {n}", email=f"user{n}@acme.test")
        connections.append(emu.add_connection(f"user{n}").connection_id)
    links.put(connections)
    cache: dict[tuple[str, bytes], tuple[int, list[Any], bytes]] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await emu.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        if key in cache:
            status, headers, body = cache[key]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        parts: dict[str, Any] = {"body": b""}

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                parts.update(status=message["status"], headers=message.get("headers", []))
            else:
                parts["body"] += message.get("body", b"")
            await send(message)

        await emu.app(scope, receive, capture)
        if parts.get("status") == 200:
            cache[key] = (parts["status"], parts["headers"], parts["body"])

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def run_slack(port: int) -> None:
    """Slack's Web API and response URLs, sorting every reply; GET /stats, POST /reset."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    finals: dict[str, str] = {}  # response URL id -> kind of its final reply
    counts = {"posts": 0, "interim": 0}

    async def api(request: Request) -> JSONResponse:
        method = request.path_params["method"]
        await request.body()
        if method == "users.info":
            user = request.query_params.get("user") or "U0"
            return JSONResponse(
                {
                    "ok": True,
                    "user": {
                        "id": user,
                        "name": user.lower(),
                        "tz": "America/New_York",
                        "profile": {"real_name": f"User {user}", "email": f"{user}@acme.test"},
                    },
                }
            )
        if method == "chat.postMessage":
            counts["posts"] += 1
            return JSONResponse({"ok": True, "channel": "C1", "ts": f"1.{counts['posts']}"})
        if method == "auth.test":
            return JSONResponse({"ok": True, "team_id": "T1", "user_id": "UB", "bot_id": "B1"})
        return JSONResponse({"ok": True})

    async def response(request: Request) -> JSONResponse:
        payload = json.loads(await request.body())
        text = json.dumps(payload)
        if str(payload.get("text", "")).startswith(":hourglass_flowing_sand:"):
            counts["interim"] += 1
            return JSONResponse({"ok": True})
        kind = (
            "picker"
            if "pick_slot:" in text
            else "busy"
            if BUSY_MARK in text
            else "error"
            if ":warning:" in text
            else "other"
        )
        finals.setdefault(request.path_params["id"], kind)
        return JSONResponse({"ok": True})

    async def stats(request: Request) -> JSONResponse:
        kinds: dict[str, int] = {}
        for kind in finals.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        return JSONResponse({"finals": len(finals), "kinds": kinds, **counts})

    async def reset(request: Request) -> JSONResponse:
        finals.clear()
        counts.update(posts=0, interim=0)
        return JSONResponse({"ok": True})

    app = Starlette(
        routes=[
            Route("/api/{method}", api, methods=["GET", "POST"]),
            Route("/response/{id}", response, methods=["POST"]),
            Route("/stats", stats),
            Route("/reset", reset, methods=["POST"]),
        ]
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# ---------------------------------------------------------------- load


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command(text: str, user: str, slack_url: str, n: int) -> str:
    return urlencode(
        {
            "team_id": "T1",
            "user_id": user,
            "channel_id": "C1",
            "command": "/cal",
            "text": text,
            "response_url": f"{slack_url}/response/r{n}",
            "trigger_id": f"{n}.1.x",
        }
    )


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)] if ordered else float("nan")


async def burst(
    session: aiohttp.ClientSession, url: str, bodies: list[str], concurrency: int
) -> tuple[float, list[float], list[bytes]]:
    """Send `bodies` with `concurrency` in flight; (req/s, ack latencies ms, ack bodies)."""
    latencies: list[float] = [0.0] * len(bodies)
    answers: list[bytes] = [b""] * len(bodies)
    queue = iter(range(len(bodies)))

    async def worker() -> None:
        for i in queue:
            started = time.perf_counter()
            async with session.post(url, data=bodies[i], headers=signed(bodies[i])) as r:
                answers[i] = await r.read()
            latencies[i] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    _count(url, len(bodies))
    return len(bodies) / (time.perf_counter() - started), latencies, answers


def _count(url: str, requests: int) -> None:
    host = url.split("/")[2]
    SENT[host] = SENT.get(host, 0) + requests


async def slack_stats(session: aiohttp.ClientSession, slack_url: str) -> dict[str, Any]:
    async with session.get(f"{slack_url}/stats") as r:
        return await r.json()


async def book_row(
    session: aiohttp.ClientSession,
    base: str,
    slack_url: str,
    args: argparse.Namespace,
    seq: list[int],
    floor: bool,
) -> dict[str, Any]:
    async with session.post(f"{slack_url}/reset") as r:
        await r.read()
    bodies = []
    for i in range(args.book_burst):
        seq[0] += 1
        user = f"U{1 + i % args.users}"
        bodies.append(command("book 30min tomorrow with jane@example.com", user, slack_url, seq[0]))
    rate, lat, answers = await burst(session, f"{base}/slack/events", bodies, args.concurrency)
    row: dict[str, Any] = {"rate": rate, "p99": p99(lat), "over3": sum(x > 3000 for x in lat)}
    if floor:
        return row
    busy = sum(BUSY_MARK.encode() in a for a in answers)
    admitted = len(bodies) - busy
    waited = time.perf_counter()
    stats = await slack_stats(session, slack_url)
    while stats["finals"] < admitted and time.perf_counter() - waited < 10:
        await asyncio.sleep(0.1)
        stats = await slack_stats(session, slack_url)
    kinds = stats["kinds"]
    row.update(
        busy=busy,
        picker=kinds.get("picker", 0),
        errors=kinds.get("error", 0) + kinds.get("other", 0),
        unanswered=admitted - stats["finals"],
        interim=stats["interim"],
    )
    # the next request after the burst works normally
    seq[0] += 1
    one = command("book 30min tomorrow with jane@example.com", "U0", slack_url, seq[0])
    await burst(session, f"{base}/slack/events", [one], 1)
    started = time.perf_counter()
    while time.perf_counter() - started < 10:
        stats = await slack_stats(session, slack_url)
        if stats["finals"] > row["picker"] + row["errors"] + kinds.get("busy", 0):
            break
        await asyncio.sleep(0.05)
    row["next_ok"] = stats["kinds"].get("picker", 0) > row["picker"]
    return row


async def webhook_max(session: aiohttp.ClientSession, url: str, count: int, first: int) -> float:
    async def one(n: int) -> None:
        body, headers = delivery(n)
        async with session.post(url, data=body, headers=headers) as r:
            await r.read()
            assert r.status == 200, r.status

    started = time.perf_counter()
    for start in range(0, count, 50):
        await asyncio.gather(*(one(first + start + k) for k in range(min(50, count - start))))
    _count(url, count)
    return count / (time.perf_counter() - started)


def arrivals(rate: float, seconds: float, seed: int) -> list[float]:
    """Send times (s from the start) of `rate` deliveries a second on average for `seconds`,
    as independent arrivals (a Poisson process) from `seed`: floor and calbot get the same.

    Not an even grid: calbot's worker posts to a busy channel once a second, also on a
    grid, and 1 s is exactly 100 steps of a 10 ms one. So with even spacing either every
    post of a round met a delivery or none did, whichever way the phase fell, and the row's
    p99 swung between rounds (1.03x to 1.63x in six runs of the same code) on that alone.
    Cal.com's deliveries keep no step, and independent arrivals meet the posts as often as
    real ones would."""
    draw, times, at = random.Random(seed), [], 0.0
    for _ in range(int(rate * seconds)):
        times.append(at)
        at += draw.expovariate(rate)
    return times


async def webhook_paced(
    session: aiohttp.ClientSession, url: str, times: list[float], first: int
) -> float:
    async def one(n: int) -> float:
        body, headers = delivery(n)
        started = time.perf_counter()
        async with session.post(url, data=body, headers=headers) as r:
            await r.read()
        return (time.perf_counter() - started) * 1000

    tasks = []
    started = time.perf_counter()
    for i, at in enumerate(times):
        delay = started + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(first + i)))
    _count(url, len(tasks))
    return p99(list(await asyncio.gather(*tasks)))


async def wait_up(session: aiohttp.ClientSession, url: str) -> None:
    for _ in range(400):
        try:
            async with session.get(url) as r:
                if r.status < 500:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise SystemExit(f"{url} did not come up")


async def settled(session: aiohttp.ClientSession, base: str) -> None:
    """Until calbot has no handed-off work left (its /healthz `in_flight`), at most 15 s:
    each row measures the route it names, not the tail of the row before."""
    for _ in range(300):
        async with session.get(f"{base}/healthz") as r:
            if (await r.json()).get("in_flight", 0) == 0:
                return
        await asyncio.sleep(0.05)


def logging_cost() -> float:
    """Microseconds of logging per Slack request (its two lines), as `calbot serve` logs."""
    from bot import logs

    with open(os.devnull, "w") as sink:
        logs.configure("INFO", "text", secrets=[SECRET, KEY, "xoxb-bench"], stream=sink)
        access, slack = logging.getLogger("calbot.http"), logging.getLogger("calbot.slack.x")
        started = time.perf_counter()
        for _ in range(5000):
            with logs.request_ref():
                slack.info("slack %s team=%s user=%s", "command /cal book", "T1", "U1")
                access.info("%s %s %d %.1f ms", "POST", "/slack/events", 200, 1.2)
        took = (time.perf_counter() - started) / 5000 * 1e6
    logging.getLogger().handlers.clear()
    return took


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(
    floor: str, bot: str, slack_url: str, pids: dict[str, int], args: argparse.Namespace
) -> None:
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await wait_up(session, f"{bot}/healthz")
        await wait_up(session, f"{floor}/slack/events")
        seq = [0]
        results: dict[str, dict[str, list[Any]]] = {}

        def keep(row: str, who: str, value: dict[str, Any]) -> None:
            results.setdefault(row, {}).setdefault(who, []).append(value)

        # warm up both: imports, caches, the first gateway calls of every user
        for target in (floor, bot):
            bodies = [command("help", f"U{n}", slack_url, 0) for n in range(50)]
            await burst(session, f"{target}/slack/events", bodies, 10)
        warm = [
            command("book 30min tomorrow with jane@example.com", f"U{u}", slack_url, 0)
            for u in range(args.users + 1)
        ]
        await burst(session, f"{bot}/slack/events", warm, 4)
        await asyncio.sleep(2)
        hook = 10_000_000
        rows = set(args.rows.split(","))
        for round_ in range(args.rounds):
            for who, base in (("floor", floor), ("calbot", bot)) if "help" in rows else ():
                bodies = [
                    command("help", f"U{n % args.users}", slack_url, 0)
                    for n in range(args.help_burst)
                ]
                rate, lat, _ = await burst(
                    session, f"{base}/slack/events", bodies, args.concurrency
                )
                keep("help", who, {"rate": rate, "p99": p99(lat)})
            for who, base in (("floor", floor), ("calbot", bot)) if "book" in rows else ():
                row = await book_row(session, base, slack_url, args, seq, who == "floor")
                keep("book", who, row)
                await asyncio.sleep(1)
            for who, base in (("floor", floor), ("calbot", bot)) if "hook" in rows else ():
                url = f"{base}/calcom/webhooks/{TOKEN}"
                if who == "calbot" and args.against == "calbot":
                    await settled(session, base)
                used = cpu_seconds(pids[who])
                rate = await webhook_max(session, url, args.deliveries, hook)
                cpu = (cpu_seconds(pids[who]) - used) / args.deliveries * 1e6
                hook += args.deliveries
                times = arrivals(args.rate, args.seconds, seed=round_)
                paced = await webhook_paced(session, url, times, hook)
                hook += len(times)
                keep("hook", who, {"rate": rate, "p99": paced, "cpu": cpu})
        report(results, args, rss_mb(pids["calbot"]), SENT.get(bot.split("/")[2], 0))


def report(
    results: dict[str, dict[str, list[Any]]], args: argparse.Namespace, rss: float, sent: int
) -> None:
    def med(row: str, who: str, key: str) -> float:
        return statistics.median(r[key] for r in results[row][who])

    c = args.concurrency
    print(
        f"\nsizes: {args.rounds} rounds, c={c}, help burst {args.help_burst}, "
        f"book burst {args.book_burst} from {args.users} people, webhooks {args.deliveries} "
        f"at once and {args.rate:.0f}/s for {args.seconds:.0f} s (medians of the rounds); "
        f"calbot on {args.calbot_loop}\n"
    )
    if args.against == "floor":
        print("`--against floor`: the calbot column is a second floor (the rows' own noise)\n")
    print(f"| c={c} | bare Bolt | calbot | ratio |")
    print("|---|---|---|---|")
    for row, name in (("help", "/cal help"), ("book", "/cal book")):
        if row not in results:
            continue
        size = args.help_burst if row == "help" else args.book_burst
        floor_rate, bot_rate = med(row, "floor", "rate"), med(row, "calbot", "rate")
        print(
            f"| `{name}`, burst of {size} | {floor_rate:,.0f} req/s, p99 "
            f"{med(row, 'floor', 'p99'):.0f} ms | {bot_rate:,.0f} req/s, p99 "
            f"{med(row, 'calbot', 'p99'):.0f} ms | {bot_rate / floor_rate:.2f}× |"
        )
    if "hook" in results:
        floor_hook, bot_hook = med("hook", "floor", "rate"), med("hook", "calbot", "rate")
        print(
            f"| webhook endpoint, max deliveries/s | {floor_hook:,.0f} | {bot_hook:,.0f} | "
            f"{bot_hook / floor_hook:.2f}× |"
        )
        floor_cpu, bot_cpu = med("hook", "floor", "cpu"), med("hook", "calbot", "cpu")
        print(
            f"| webhook endpoint, server CPU per delivery at the max | {floor_cpu:.0f} µs | "
            f"{bot_cpu:.0f} µs | {floor_cpu / bot_cpu:.2f}× |"
        )
        floor_p99, bot_p99 = med("hook", "floor", "p99"), med("hook", "calbot", "p99")
        print(
            f"| webhook p99 at {args.rate:.0f}/s | {floor_p99:.1f} ms | {bot_p99:.1f} ms | "
            f"{bot_p99 / floor_p99:.2f}× |"
        )
    if "book" in results:
        print("\n`/cal book` bursts, calbot, each round:")
        for n, r in enumerate(results["book"]["calbot"], 1):
            print(
                f"  round {n}: acks over 3 s {r['over3']}, busy (in the ack) {r['busy']}, "
                f"picker {r['picker']}, errors {r['errors']}, unanswered after 10 s "
                f"{r['unanswered']}, interim lines {r['interim']}; next request "
                f"{'got its picker' if r['next_ok'] else 'FAILED'}"
            )
    logging_us = logging_cost()
    print(f"\nlogging: {logging_us:.1f} µs per request (two lines, text, redacted)")
    print(f"calbot RSS at the end: {rss:.1f} MB after {sent:,} requests")
    print("\ntargets (issue 15):")
    for line in verdicts(results, med, rss, sent, logging_us):
        print(f"  {line}")


def verdicts(
    results: dict[str, dict[str, list[Any]]],
    med: Any,
    rss: float,
    sent: int,
    logging_us: float,
) -> list[str]:
    """Each target of the issue against this run's medians: met, or not, and by what."""

    def line(ok: bool, text: str) -> str:
        return f"{'met    ' if ok else 'NOT MET'} {text}"

    out = []
    if "help" in results:
        ratio = med("help", "calbot", "rate") / med("help", "floor", "rate")
        p99_ms = med("help", "calbot", "p99")
        out.append(line(ratio >= 0.7, f"/cal help ≥ 0.7× the floor's req/s: {ratio:.2f}×"))
        out.append(line(p99_ms <= 50, f"/cal help p99 ≤ 50 ms: {p99_ms:.0f} ms"))
    if "book" in results:
        rounds = results["book"]["calbot"]
        over3 = sum(r["over3"] for r in rounds)
        worst = max(r["p99"] for r in rounds)
        lost = sum(r["unanswered"] + r["errors"] for r in rounds)
        out.append(line(over3 == 0, f"/cal book burst: no ack over 3 s: {over3}"))
        out.append(line(worst <= 100, f"/cal book burst: p99 ack ≤ 100 ms: {worst:.0f} ms"))
        out.append(line(lost == 0, f"/cal book burst: picker or busy within 10 s: {lost} not"))
        out.append(line(all(r["next_ok"] for r in rounds), "next request after the burst works"))
    if "hook" in results:
        ratio = med("hook", "calbot", "rate") / med("hook", "floor", "rate")
        slower = med("hook", "calbot", "p99") / med("hook", "floor", "p99")
        out.append(line(ratio >= 0.8, f"webhook max ≥ 0.8× the floor's: {ratio:.2f}×"))
        out.append(line(slower <= 1.3, f"webhook p99 at the paced rate ≤ 1.3×: {slower:.2f}×"))
    out.append(line(logging_us <= 100, f"logging ≤ 0.1 ms a request: {logging_us:.0f} µs"))
    enough = sent >= 10_000
    out.append(
        line(
            rss <= 100 and enough,
            f"RSS ≤ 100 MB after 10,000 requests: {rss:.0f} MB after {sent:,}"
            + ("" if enough else " (too few requests: raise --rounds or the bursts)"),
        )
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--help-burst", type=int, default=300)
    parser.add_argument("--book-burst", type=int, default=500)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--calbot-loop", choices=("uvloop", "asyncio"), default="uvloop")
    parser.add_argument("--rows", default="help,book,hook", help="which rows: help,book,hook")
    parser.add_argument(
        "--against",
        choices=("calbot", "floor"),
        default="calbot",
        help="floor: a second floor in calbot's place, so the ratios show the measurement's "
        "own noise (rows help and hook only)",
    )
    args = parser.parse_args()
    if args.against == "floor":  # the floor answers no /cal book the way the row needs
        args.rows = ",".join(row for row in args.rows.split(",") if row != "book")

    work = tempfile.mkdtemp(prefix="calbot-burst-")
    database = os.path.join(work, "calbot.db")
    prepare_database(database)
    spawn = multiprocessing.get_context("spawn")
    slack_port, gateway_port, floor_port, bot_port = (free_port() for _ in range(4))
    slack_url = f"http://127.0.0.1:{slack_port}"
    links: Any = spawn.Queue()
    children = [
        spawn.Process(target=run_slack, args=(slack_port,)),
        spawn.Process(target=run_gateway, args=(gateway_port, args.users, links)),
        spawn.Process(
            target=run_floor,
            args=(floor_port, f"{slack_url}/api/", os.path.join(work, "floor.db")),
        ),
    ]
    for child in children:
        child.start()
    connections = links.get(timeout=60)
    seed_links(database, connections)
    env = {
        **os.environ,
        "PYTHONPATH": ROOT,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{slack_url}/api/",
        "MATON_API_KEY": KEY,
        "MATON_GATEWAY_URL": f"http://127.0.0.1:{gateway_port}",
        "MATON_CTRL_URL": f"http://127.0.0.1:{gateway_port}",
        "DATABASE_PATH": database,
        "PORT": str(bot_port),
        "LOG_LEVEL": "WARNING",
    }
    profile = (
        ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
        if "BENCH_PROFILE" in os.environ
        else []
    )
    serve = ["-m", "bot", "serve"]
    if args.calbot_loop == "asyncio":  # for comparison: `calbot serve` on asyncio's own loop
        serve = ["-c", ASYNCIO_SERVE]
    if args.against == "floor":
        bot: Any = SecondFloor(spawn, bot_port, f"{slack_url}/api/", work)
    else:
        bot = subprocess.Popen([sys.executable, *profile, *serve], env=env, cwd=ROOT)
    try:
        asyncio.run(
            measure(
                f"http://127.0.0.1:{floor_port}",
                f"http://127.0.0.1:{bot_port}",
                slack_url,
                {"floor": children[2].pid, "calbot": bot.pid},
                args,
            )
        )
    finally:
        bot.terminate()
        bot.wait(timeout=20)
        for child in children:
            child.terminate()
            child.join(timeout=5)
        shutil.rmtree(work, ignore_errors=True)


class SecondFloor:
    """`--against floor`: another floor process where calbot would run, with Popen's
    `pid`, `terminate` and `wait`."""

    def __init__(self, spawn: Any, port: int, slack_api: str, work: str):
        database = os.path.join(work, "floor-2.db")
        self.process = spawn.Process(target=run_floor, args=(port, slack_api, database))
        self.process.start()
        self.pid = self.process.pid

    def terminate(self) -> None:
        self.process.terminate()

    def wait(self, timeout: float | None = None) -> None:
        self.process.join(timeout)


def seed_links(database: str, connections: list[str]) -> None:
    """Slack users U0..Un linked to the emulator's accounts user0..usern."""
    from bot.models import Link
    from bot.store import Store

    store = Store(database)
    for n, connection in enumerate(connections):
        store.save_link(
            Link("T1", f"U{n}", connection, "ACTIVE", None, f"user{n}", f"user{n}@acme.test")
        )
    store.close()


if __name__ == "__main__":
    main()
