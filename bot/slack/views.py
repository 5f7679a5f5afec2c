"""Keeping an open modal in step with the user, and answering submissions within 3 s.

Updates. A modal that refreshes itself (new times after a date change) can receive a
second change while the first is still loading. Each change takes a new generation; an
update computed for an older one is dropped. Updates of one view are serialised and
send the hash Slack returned for our previous update (falling back to the payload's),
so Slack refuses nothing we meant and nothing stale lands. The newest draft we rendered
is kept too: it is newer than a payload's private_metadata when our update crossed it.

Submissions. An inline error (`response_action: errors`) exists only in the HTTP answer
to the submission, which Slack waits 3 s for. So a submission that needs Cal.com (a
booking, a slug that may be taken) runs its work for up to SUBMIT_BUDGET seconds before
answering: a hold taken when the time was chosen makes a booking answer fast. If the work
takes longer, the answer replaces the modal with a "working…" view (`response_action:
update`), and the result replaces that view when it arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.errors import error_text
from bot.blocks.progress import BUSY_INLINE
from bot.blocks.viewkit import meta_of, notice
from bot.runtime import Runtime
from bot.services.errors import NotYourView
from bot.slack.context import admitted
from bot.slack.errors import guarded, reply_for

log = logging.getLogger("calbot.views")

SUBMIT_BUDGET = 2.0  # seconds of work before answering a submission; Slack allows 3 in all


@dataclass
class Session:
    gen: int = 0
    hash: str | None = None
    meta: dict[str, Any] | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    owner: tuple[str, str] | None = None  # (team, user) who opened the modal


def _session(rt: Runtime, view_id: str) -> Session:
    found = rt.modals.get(view_id)
    return found if found is not None else rt.modals.put(view_id, Session())


def opened(rt: Runtime, view: dict[str, Any], owner: tuple[str, str]) -> None:
    """Remember the hash of a view we just opened (views.open's answer), and whose it is."""
    session = _session(rt, view["id"])
    session.hash = view.get("hash")
    session.meta = meta_of(view)
    session.owner = owner


def claim(
    rt: Runtime, view: dict[str, Any], team_id: str, user_id: str, *, meta_owner: str = ""
) -> None:
    """Refuse (NotYourView) a payload about a modal someone else opened.

    A view id in a payload is only an id: the modal belongs to the Slack user (and team)
    who opened it, remembered here when it opened. After a restart the session is gone;
    then the owner written in the modal's own metadata (`meta_owner`) decides.
    """
    session = rt.modals.get(view.get("id"))
    owner = session.owner if session is not None else None
    if owner is not None and owner != (team_id, user_id):
        log.warning("modal payload refused: %s/%s is not its owner", team_id, user_id)
        raise NotYourView()
    if owner is None and meta_owner and meta_owner != user_id:
        log.warning("modal payload refused: %s/%s is not its owner", team_id, user_id)
        raise NotYourView()


def begin(rt: Runtime, view: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The user changed something: a new generation, and the newest draft we know of."""
    session = _session(rt, view["id"])
    session.gen += 1
    return session.gen, session.meta or meta_of(view)


def stranger(rt: Runtime, body: dict[str, Any], view: dict[str, Any]) -> str | None:
    """Why a submission is refused when it comes from someone other than whoever opened
    the modal (its metadata's `owner`, or the session's); None when it is theirs."""
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    try:
        claim(
            rt, view, team, user.get("id") or "", meta_owner=str(meta_of(view).get("owner") or "")
        )
    except NotYourView as refused:
        return error_text(refused)
    return None


def current_meta(rt: Runtime, view: dict[str, Any]) -> dict[str, Any]:
    session = rt.modals.get(view["id"])
    return (session.meta if session else None) or meta_of(view)


async def update(
    rt: Runtime,
    client: AsyncWebClient,
    view_id: str,
    view: dict[str, Any],
    *,
    gen: int | None = None,
    fallback_hash: str | None = None,
) -> dict[str, Any] | None:
    """`views.update` unless a newer change arrived meanwhile.

    The metadata the view had before (so the caller can let go of what it replaced), or
    None when the update was dropped.
    """
    session = _session(rt, view_id)
    async with session.lock:
        if gen is not None and gen != session.gen:
            return None
        # Newest first: a change arriving while Slack answers must start from this draft.
        before, session.meta = session.meta or {}, meta_of(view)
        try:
            answer = await client.views_update(
                view_id=view_id, hash=session.hash or fallback_hash, view=view
            )
        except Exception as error:
            session.meta = before
            reason = error.response.get("error") if isinstance(error, SlackApiError) else None
            if reason in ("hash_conflict", "not_found"):  # a newer view, or the modal closed
                log.info("modal update skipped: %s", reason)
                return None
            raise
        session.hash = answer["view"]["hash"]
        return before


def generation(rt: Runtime, view_id: str) -> int:
    """The current generation, for work that must not supersede a pending refresh."""
    return _session(rt, view_id).gen


def forget(rt: Runtime, view_id: str) -> None:
    rt.modals.drop(view_id)


@dataclass(frozen=True)
class SubmitOutcome:
    """How a submission ends: inline errors, another view, or (neither) the modal closes."""

    errors: dict[str, str] | None = None
    view: dict[str, Any] | None = None
    done: dict[str, Any] | None = None  # shown instead of closing when the answer came late

    def answer(self) -> dict[str, Any]:
        if self.errors:
            return {"response_action": "errors", "errors": self.errors}
        if self.view:
            return {"response_action": "update", "view": self.view}
        return {}


async def _settled(work: Awaitable[SubmitOutcome], error_block: str) -> SubmitOutcome:
    """Any failure becomes an inline error on `error_block`, worded as everywhere else."""
    try:
        return await work
    except Exception as error:
        return SubmitOutcome(errors={error_block: reply_for(error)["text"]})


async def answer_submission(
    rt: Runtime,
    ack: Any,
    client: AsyncWebClient,
    view: dict[str, Any],
    work: Coroutine[Any, Any, SubmitOutcome],
    *,
    who: tuple[str, str],
    error_block: str,
    pending: dict[str, Any],
) -> None:
    """Ack with the work's outcome if it is ready within the budget, else with `pending`.

    The work is admitted like any handed-off work (bot/admission.py), as `who` (team, user):
    past capacity the modal says "busy" at once on `error_block`, and stays open.
    """
    ticket = rt.admission.admit(who)
    if ticket is None:
        work.close()
        await ack(response_action="errors", errors={error_block: BUSY_INLINE})
        return
    task = rt.spawn(_settled(admitted(rt, ticket, work), error_block), name="submission")
    done, _ = await asyncio.wait({task}, timeout=SUBMIT_BUDGET)
    if task in done:
        await ack(**task.result().answer())
        return
    log.info("submission outlived the ack budget; answering when it ends")
    await ack(response_action="update", view=pending)
    title = pending["title"]["text"]
    rt.spawn(guarded(_late(client, view["id"], task, title), None), name="late-submission")


async def _late(
    client: AsyncWebClient, view_id: str, task: asyncio.Task[SubmitOutcome], title: str
) -> None:
    outcome = await task
    if outcome.errors:
        text = " ".join(outcome.errors.values())
        shown = notice(title, f":warning: {text}\nClose this and try again.")
    else:
        shown = outcome.view or outcome.done or notice(title, ":white_check_mark: Done.")
    await client.views_update(view_id=view_id, view=shown)
