"""The scheduler: one task per process, beside the notify worker, started and stopped by
the web app's lifespan.

A tick claims up to `BATCH` due jobs in one UPDATE (bot/store/routines.py: a partial index
finds them; a claim lasts `LEASE`, after which a row whose claimer died falls due again),
runs them `CONCURRENCY` at a time, and looks again at once when it found a full batch.
Between ticks it sleeps until the earliest due row (the injected `sleep` and the
runtime's clock, so tests move time by hand), at most `idle_poll` real seconds: a job
planned by another process is seen by then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from bot import logs
from bot.routines import jobs
from bot.routines.pacing import Pacer
from bot.runtime import Runtime
from bot.store import routines as rows
from bot.store.routines import Job

log = logging.getLogger("calbot.routines")

Sleep = Callable[[float], Awaitable[Any]]
Observer = Callable[[Job, str], None]  # (the claimed job, the state it reached)

BATCH = 200
CONCURRENCY = 16  # jobs in flight: each is a gateway read and a Slack post at most
LEASE = 600.0  # seconds: a batch at PER_SECOND posts ends well within it
AFTER_A_BUG = 15 * 60.0  # a recurring job that hit a bug runs again this much later
IDLE_POLL = 30.0
KEEP_FINISHED = 2 * 24 * 3600.0
PRUNE_EVERY = 3600.0


class Scheduler:
    def __init__(self, rt: Runtime, *, sleep: Sleep = asyncio.sleep, pacer: Pacer | None = None):
        self.rt = rt
        self.sleep = sleep
        self.pacer = pacer or Pacer()
        self.idle_poll = IDLE_POLL
        self.observers: list[Observer] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._pruned_at = 0.0

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self._run(), name="scheduler")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self, timeout: float = 10) -> None:
        """Finish the jobs in flight (up to `timeout`), then stop; unfinished ones are
        given back, due at once for the next process."""
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                claimed = await self.tick()
            except Exception:
                log.exception("scheduler: a tick failed")
                claimed = 0
            if claimed < BATCH and not self._stopping:
                await self._idle()

    async def _idle(self) -> None:
        due = rows.earliest_due(self.rt.store.db)
        waits = [asyncio.ensure_future(self._wake.wait())]
        if due is not None:
            waits.append(asyncio.ensure_future(self.sleep(max(0.0, due - self._now()))))
        try:
            await asyncio.wait(waits, timeout=self.idle_poll, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    def _now(self) -> float:
        return self.rt.clock().timestamp()

    async def run_due(self) -> int:
        """Every job due now, batch after batch (tests and `calbot` tools call this)."""
        total = 0
        while claimed := await self.tick():
            total += claimed
        return total

    async def tick(self, limit: int = BATCH) -> int:
        """Claim the due jobs (up to `limit`) and run them; how many were claimed."""
        now = self._now()
        claim = secrets.token_hex(8)
        batch = rows.claim_due(self.rt.store.db, now, now + LEASE, claim, limit)
        if not batch:
            self._prune(now)
            return 0
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(job: Job) -> None:
            async with gate:
                await self._run_one(job, now)

        await asyncio.gather(*(one(job) for job in batch))
        return len(batch)

    async def _run_one(self, job: Job, claimed_at: float) -> None:
        try:
            with logs.request_ref(f"job-{job.id}"):
                state = await jobs.run(self.rt, self.pacer, job)
        except asyncio.CancelledError:
            rows.release(self.rt.store.db, job, claimed_at)
            raise
        except Exception as error:  # a bug: logged, and never a hot loop
            log.exception("scheduler: job %s (%s) failed", job.id, job.kind)
            note = f"bug: {type(error).__name__}"
            if job.kind == "remind":  # one reminder: it ends
                rows.finish(self.rt.store.db, job, "skipped", note)
            else:  # someone's only agenda or sync row: ending it would end the routine
                rows.rearm(self.rt.store.db, job, claimed_at + AFTER_A_BUG, note=note, failed=True)
            state = "failed"
        for observe in self.observers:
            observe(job, state)

    def _prune(self, now: float) -> None:
        if now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            rows.prune(self.rt.store.db, now - KEEP_FINISHED)
