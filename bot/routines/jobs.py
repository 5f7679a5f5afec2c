"""One claimed job, decided and carried out: `agenda`, `sync` or `remind`.

Each returns the state it left its row in (sent, empty, planned, skipped, retry, ...), for
the worker's observers. Slack and Cal.com failures that may pass are retried with a
backoff, within each job's own limit: an agenda until `AGENDA_LATE` after its time, a
reminder until its meeting ends (late rather than never, never after).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.blocks.agenda import daily_agenda, reminder
from bot.calcom.errors import CalcomError, NotFound, RateLimited, UpstreamFailure
from bot.models import Link, Routine
from bot.notify.worker import backoff, classify
from bot.routines.pacing import Pacer
from bot.runtime import Runtime
from bot.services import agenda as agendas
from bot.services import routines
from bot.services.accounts import active_link_or_none
from bot.store import routines as rows
from bot.store.routines import Job

log = logging.getLogger("calbot.routines")

# Slack not answering: refused or reset (OSError), no answer in time, or a connection
# closed unanswered (aiohttp's ServerDisconnectedError, which is no OSError)
NETWORK_ERRORS = (OSError, TimeoutError, aiohttp.ClientError)
AGENDA_LATE = timedelta(hours=4)  # after downtime, an agenda this late is still worth posting


class Retry(Exception):
    """Try the job again after `delay` seconds (None: the backoff of its attempts)."""

    def __init__(self, why: str, delay: float | None = None):
        super().__init__(why)
        self.delay = delay


async def post(rt: Runtime, pacer: Pacer, job: Job, payload: dict[str, Any]) -> None:
    """DM the job's user; Retry when Slack may take it later, SlackApiError when never."""
    client = rt.slack_client(job.team_id)
    await pacer.turn(job.user_id)
    try:
        await client.chat_postMessage(channel=job.user_id, **payload)
    except SlackApiError as error:
        outcome = classify(error)
        if outcome.retry:
            raise Retry(outcome.error or "slack", outcome.delay) from error
        raise
    except NETWORK_ERRORS as error:
        raise Retry(type(error).__name__) from error


async def slack_zone(rt: Runtime, job: Job, known: str) -> str:
    """The user's zone in Slack now (it follows them when they travel); `known` if Slack
    does not say."""
    try:
        response = await rt.slack_client(job.team_id).users_info(user=job.user_id)
    except SlackApiError as error:
        if classify(error).retry:
            raise Retry("users.info") from error
        return known
    except NETWORK_ERRORS as error:  # Slack unreachable: as `post`, try again later
        raise Retry(type(error).__name__) from error
    tz = (response.get("user") or {}).get("tz")
    return tz if isinstance(tz, str) and tz else known


async def run(rt: Runtime, pacer: Pacer, job: Job) -> str:
    routine = rows.routine(rt.store.db, job.team_id, job.user_id)
    link = active_link_or_none(rt, job.team_id, job.user_id)
    if routine is None or link is None:
        rows.finish(rt.store.db, job, "skipped", "no routine" if link else "not linked")
        return "skipped"
    now = rt.clock()
    try:
        if job.kind == "agenda":
            return await agenda_job(rt, pacer, job, routine, link, now)
        if job.kind == "sync":
            return await sync_job(rt, job, routine, link.connection_id)
        if job.kind == "remind":
            return await remind_job(rt, pacer, job, routine, link.connection_id, now)
    except (UpstreamFailure, RateLimited) as error:
        delay = error.retry_after if isinstance(error, RateLimited) else None
        return _retry(rt, job, Retry(type(error).__name__, delay), now)
    except Retry as retry:
        return _retry(rt, job, retry, now)
    except (CalcomError, SlackApiError) as error:  # will not pass by waiting
        why = type(error).__name__
        if isinstance(error, SlackApiError):
            why = str(error.response.get("error"))
        log.warning("job %s (%s) failed: %s", job.id, job.kind, why)
        _give_up(rt, job, routine, now, why)
        return "failed"
    rows.finish(rt.store.db, job, "skipped", f"unknown kind {job.kind}")
    return "skipped"


def _retry(rt: Runtime, job: Job, retry: Retry, now: datetime) -> str:
    delay = retry.delay if retry.delay is not None else backoff(job.attempts)
    rows.rearm(rt.store.db, job, now.timestamp() + delay, note=str(retry), failed=True)
    log.info("job %s (%s): %s, again in %.0f s", job.id, job.kind, retry, delay)
    return "retry"


def _give_up(rt: Runtime, job: Job, routine: Routine, now: datetime, why: str) -> None:
    """A reminder ends; a recurring job skips to its next run."""
    if job.kind == "remind":
        rows.finish(rt.store.db, job, "skipped", why)
    elif job.kind == "agenda" and routine.agenda_minute is not None:
        at = routines.next_agenda_at(now, routine.time_zone, routine.agenda_minute, job.last_day)
        rows.rearm(rt.store.db, job, at.timestamp(), note=why)
    else:
        rows.rearm(rt.store.db, job, routines.next_sync_at(rt, job.team_id, job.user_id), note=why)


# --- the daily agenda ---------------------------------------------------------------------


async def agenda_job(
    rt: Runtime, pacer: Pacer, job: Job, routine: Routine, link: Link, now: datetime
) -> str:
    db = rt.store.db
    minute = routine.agenda_minute
    if minute is None:
        rows.finish(db, job, "skipped", "agenda off")
        return "skipped"
    tz = await slack_zone(rt, job, routine.time_zone)
    if tz != routine.time_zone:
        routines.zone_changed(rt, job.team_id, job.user_id, tz)
    z = agendas.zone(tz)
    today = now.astimezone(z).date()
    slot = datetime.combine(today, time(minute // 60, minute % 60), tzinfo=z)

    def next_day(note: str, handled: str | None = None) -> str:
        at = routines.next_agenda_at(now, tz, minute, handled or job.last_day)
        rows.rearm(db, job, at.timestamp(), last_day=handled, note=note)
        return note

    if today.weekday() >= 5 or job.last_day == today.isoformat():
        return next_day("planned")
    if now < slot.astimezone(UTC):  # the user moved west: not yet their H:MM
        rows.rearm(db, job, slot.timestamp(), note="zone moved")
        return "planned"
    if now - slot > AGENDA_LATE:
        return next_day("too late", today.isoformat())
    day = await agendas.agenda_of(rt, link, tz, "today", with_next=False)
    if not day.bookings:
        return next_day("empty", today.isoformat())
    await post(rt, pacer, job, daily_agenda(day))
    return next_day("sent", today.isoformat())


# --- reminders ----------------------------------------------------------------------------


async def sync_job(rt: Runtime, job: Job, routine: Routine, connection_id: str) -> str:
    if routine.remind_minutes is None:
        rows.finish(rt.store.db, job, "skipped", "reminders off")
        return "skipped"
    count = await routines.sync_reminders(rt, connection_id, routine)
    rows.rearm(rt.store.db, job, routines.next_sync_at(rt, job.team_id, job.user_id))
    return f"synced {count}"


async def remind_job(
    rt: Runtime, pacer: Pacer, job: Job, routine: Routine, connection_id: str, now: datetime
) -> str:
    """Check the booking once more (a cancellation or a move without a webhook), then DM."""
    db = rt.store.db
    if routine.remind_minutes is None:
        rows.finish(db, job, "skipped", "reminders off")
        return "skipped"
    detail = json.loads(job.detail or "{}")
    if now.timestamp() >= float(detail.get("end") or 0):
        rows.finish(db, job, "skipped", "the meeting has ended")
        return "skipped"
    try:
        booking = await rt.calcom.booking(connection_id, job.ref)
    except NotFound:
        rows.finish(db, job, "skipped", "booking gone")
        return "skipped"
    if booking.is_cancelled:
        rows.finish(db, job, "skipped", "cancelled")
        return "skipped"
    if booking.end <= now:
        rows.finish(db, job, "skipped", "the meeting has ended")
        return "skipped"
    due = booking.start - timedelta(minutes=routine.remind_minutes)
    if booking.start.timestamp() != job.start_at and due > now:
        rows.move_reminder(
            db,
            job,
            due_at=due.timestamp(),
            start_at=booking.start.timestamp(),
            detail=routines.reminder_detail(
                title=booking.title,
                start=booking.start,
                end=booking.end,
                join_url=booking.meeting_url,
                location=booking.location,
            ),
        )
        return "moved"
    payload = reminder(
        title=booking.title,
        start=booking.start,
        now=now,
        join_url=booking.meeting_url,
        location=booking.location,
        uid=booking.uid,
    )
    await post(rt, pacer, job, payload)
    rows.finish(db, job, "done", "sent")
    return "sent"
