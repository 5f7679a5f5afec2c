"""Multi-workspace installs: slack_sdk's SQLite installation and OAuth state stores.

Both live in calbot's own database file (DATABASE_PATH), so one backup holds everything.
Their tables are created by a calbot migration (`oauth_tables_ddl`), not by slack_sdk's
check-then-create on first use, which races when two processes start at once.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
from pathlib import Path

from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore

STATE_TTL = 600  # seconds between opening /slack/install and coming back from Slack

log = logging.getLogger("calbot.installations")


def installation_store(database_path: str, client_id: str) -> SQLite3InstallationStore:
    """Bot tokens per workspace, written by the OAuth redirect, read on every request."""
    return SQLite3InstallationStore(database=database_path, client_id=client_id, logger=log)


def state_store(database_path: str) -> SQLite3OAuthStateStore:
    """One-time `state` values that tie Slack's redirect to the browser that started it."""
    return SQLite3OAuthStateStore(database=database_path, expiration_seconds=STATE_TTL, logger=log)


def oauth_tables_ddl() -> list[str]:
    """slack_sdk's own CREATE statements for its tables and indexes, in creation order.

    Captured from a scratch database so calbot never keeps a copy of slack_sdk's schema
    that could drift from the version installed.
    """
    with tempfile.TemporaryDirectory() as scratch:
        path = str(Path(scratch) / "slack_oauth.db")
        SQLite3InstallationStore(database=path, client_id="-", logger=log).create_tables()
        SQLite3OAuthStateStore(database=path, expiration_seconds=1, logger=log).create_tables()
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute(
                "select sql from sqlite_master "
                "where sql is not null and name not like 'sqlite%' order by rowid"
            ).fetchall()
        finally:
            conn.close()
    return [row[0] for row in rows]


def enterprise_of(store: SQLite3InstallationStore, team_id: str) -> str | None:
    """The Enterprise Grid org a workspace's newest installation belongs to (None outside
    Grid). slack_sdk keys installations by (enterprise, team), and work outside a request
    (notifications, teammate DMs, forgetting a workspace) knows only the team: without
    this, a Grid workspace's token is never found and its row is never deleted."""
    if not team_id:
        return None  # an org-wide install's rows have no team: never guess the org
    with store.connect() as conn:
        row = conn.execute(
            "select enterprise_id from slack_bots where client_id = ? and team_id = ? "
            "order by installed_at desc limit 1",
            [store.client_id, team_id],
        ).fetchone()
    return (row[0] or None) if row else None
