"""Booking intents: the one place that makes them, and the check on every click.

A picker's buttons carry only `intent id + slot`: on every click the server loads the
intent and checks that the person clicking is the person it was made for. Kept in
SQLite (bot/store/intents.py), so buttons survive a restart.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from bot.models import Intent
from bot.runtime import Runtime
from bot.services.errors import IntentExpired
from bot.store import intents as intent_rows

__all__ = ["Intent", "create", "load", "with_people", "with_type"]


def create(rt: Runtime, **fields: object) -> Intent:
    intent = Intent(id=secrets.token_urlsafe(9), **fields)  # type: ignore[arg-type]
    intent_rows.insert(rt.store.db, intent, rt.clock())
    return intent


def with_type(rt: Runtime, intent: Intent, event_type_id: int) -> Intent:
    """A new intent like `intent`, for the event type the user chose."""
    chosen = replace(intent, id=secrets.token_urlsafe(9), event_type_id=event_type_id)
    intent_rows.insert(rt.store.db, chosen, rt.clock())
    return chosen


def with_people(rt: Runtime, intent: Intent, participants: tuple[str, ...]) -> Intent:
    """A new intent like `intent`, with fewer people (`/cal find` without someone)."""
    fewer = replace(intent, id=secrets.token_urlsafe(9), participants=participants)
    intent_rows.insert(rt.store.db, fewer, rt.clock())
    return fewer


def load(rt: Runtime, intent_id: str, team_id: str, user_id: str) -> Intent:
    """The intent, if it exists, is fresh, and belongs to this user; else IntentExpired."""
    found = intent_rows.get(rt.store.db, intent_id, team_id, user_id, rt.clock())
    if found is None:
        raise IntentExpired()
    return found
