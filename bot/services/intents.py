"""Booking intents: what a slot picker is for, stored server-side for a day.

A picker's buttons carry only `intent id + slot`, never a connection, an email or a
host: on every click the server loads the intent and checks that the person clicking
is the person it was made for. Kept in SQLite, so buttons survive a restart.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.services.errors import IntentExpired

LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class Intent:
    id: str
    team_id: str
    user_id: str  # who asked; only they may press its buttons
    host_user_id: str  # whose calendar (the caller, or a mentioned teammate)
    event_type_id: int  # 0 while the user still has to choose among several
    tz: str  # the caller's zone, for showing times
    when_text: str = ""  # what they asked for, kept for after they choose a type
    guest_name: str | None = None  # the attendee when the caller is the host
    guest_email: str | None = None
    guest_tz: str | None = None  # a Slack guest's own zone (`with @dana`), for the booking
    reschedule_uid: str | None = None  # set when picking a new time for a booking

    @property
    def teammate(self) -> bool:
        return self.host_user_id != self.user_id


def create(rt: Runtime, **fields: object) -> Intent:
    intent = Intent(id=secrets.token_urlsafe(9), **fields)  # type: ignore[arg-type]
    now = rt.clock()
    rt.store.db["intents"].insert(
        {
            "id": intent.id,
            "team_id": intent.team_id,
            "user_id": intent.user_id,
            "payload": json.dumps(asdict(intent)),
            "created_at": now.isoformat(),
        }
    )
    _prune(rt, now)
    return intent


def load(rt: Runtime, intent_id: str, team_id: str, user_id: str) -> Intent:
    """The intent, if it exists, is fresh, and belongs to this user; else IntentExpired."""
    rows = list(
        rt.store.db["intents"].rows_where(
            "id = ? and team_id = ? and user_id = ?", [intent_id, team_id, user_id]
        )
    )
    if not rows or datetime.fromisoformat(rows[0]["created_at"]) < rt.clock() - LIFETIME:
        raise IntentExpired()
    return Intent(**json.loads(rows[0]["payload"]))


def _prune(rt: Runtime, now: datetime) -> None:
    rt.store.db.execute("delete from intents where created_at < ?", [(now - LIFETIME).isoformat()])
