"""The `intents` table: what a slot picker's buttons mean, kept server-side for a day.

The only module that reads or writes it. Rows are keyed by id and carry their owner
(team and user), so a load for anyone else finds nothing.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta

import sqlite_utils

from bot.models import Intent

LIFETIME = timedelta(days=1)


def insert(db: sqlite_utils.Database, intent: Intent, now: datetime) -> None:
    """Store `intent`; intents older than LIFETIME go at the same time."""
    db["intents"].insert(
        {
            "id": intent.id,
            "team_id": intent.team_id,
            "user_id": intent.user_id,
            "payload": json.dumps(asdict(intent)),
            "created_at": now.isoformat(),
        }
    )
    db.execute("delete from intents where created_at < ?", [(now - LIFETIME).isoformat()])


def get(
    db: sqlite_utils.Database, intent_id: str, team_id: str, user_id: str, now: datetime
) -> Intent | None:
    """The intent, if it exists, is fresh, and belongs to this user."""
    rows = list(
        db["intents"].rows_where(
            "id = ? and team_id = ? and user_id = ?", [intent_id, team_id, user_id]
        )
    )
    if not rows or datetime.fromisoformat(rows[0]["created_at"]) < now - LIFETIME:
        return None
    fields = json.loads(rows[0]["payload"])
    fields["participants"] = tuple(fields.get("participants") or ())
    return Intent(**fields)
