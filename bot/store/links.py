"""The `links` table: which Slack user is which Cal.com account (through which Maton
connection). The only module that reads or writes it."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import sqlite_utils

from bot.models import Link

_LINK_FIELDS = {f.name for f in fields(Link)}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def get(db: sqlite_utils.Database, team_id: str, user_id: str) -> Link | None:
    rows = list(db["links"].rows_where("team_id = ? and user_id = ?", [team_id, user_id]))
    return Link(**rows[0]) if rows else None


def save(db: sqlite_utils.Database, link: Link) -> Link:
    now = _now()
    record = {k: v for k, v in link.__dict__.items() if k in _LINK_FIELDS}
    record["created_at"] = record.get("created_at") or now
    record["updated_at"] = now
    db["links"].upsert(record, pk=("team_id", "user_id"))
    return Link(**record)


def delete(db: sqlite_utils.Database, team_id: str, user_id: str) -> None:
    db.execute("delete from links where team_id = ? and user_id = ?", [team_id, user_id])


def all_links(db: sqlite_utils.Database, team_id: str | None = None) -> list[Link]:
    where, args = ("team_id = ?", [team_id]) if team_id else (None, None)
    return [Link(**row) for row in db["links"].rows_where(where, args, order_by="team_id, user_id")]
