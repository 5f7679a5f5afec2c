"""`calbot doctor`: check the configuration against the real services and say what to fix.

One line per check, `ok`, `warn` (works, but something is off) or `FAIL` followed by what
to do; the exit status is 1 when any check fails. Checks: the environment, the database
(there, writable, migrated), Slack (each bot token's auth.test and granted scopes against
`BOT_SCOPES`, the OAuth client credentials, the Socket Mode app token), the Maton key (by
listing connections) and PUBLIC_URL answering `/healthz`.

It changes nothing: no migration, no message, no connection. The database is opened
read-only (`?mode=ro`): a missing file is reported, not created, and a file is never
switched to WAL. Each network check has a short timeout so a dead service costs
seconds, not minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import httpx
import sqlite_utils
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.calcom.connections import MatonConnections
from bot.calcom.errors import BadApiKey, CalcomError
from bot.config import ConfigError, Settings, load_settings
from bot.slack.install import BOT_SCOPES, INSTALL_PATH
from bot.store import migrations
from bot.unreachable import causes, why_unreachable

TIMEOUT = 5.0
PROBE_CODE = "calbot-doctor-probe"  # an OAuth code Slack cannot know: only the credentials count

Status = Literal["ok", "warn", "FAIL"]


@dataclass(frozen=True)
class Finding:
    status: Status
    check: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<4}  {self.check}: {self.detail}"


def _ok(check: str, detail: str) -> Finding:
    return Finding("ok", check, detail)


def _warn(check: str, detail: str) -> Finding:
    return Finding("warn", check, detail)


def _fail(check: str, detail: str) -> Finding:
    return Finding("FAIL", check, detail)


def check_configuration(env: Mapping[str, str]) -> tuple[Settings | None, list[Finding]]:
    try:
        settings = load_settings(env)
    except ConfigError as error:
        return None, [_fail("configuration", problem) for problem in error.problems]
    mode = "Socket Mode" if settings.socket_mode else "HTTP mode (POST /slack/events)"
    install = "multi-workspace OAuth" if settings.oauth else "one workspace (SLACK_BOT_TOKEN)"
    return settings, [_ok("configuration", f"{mode}, {install}")]


@contextlib.contextmanager
def read_only(path: str) -> Iterator[sqlite3.Connection]:
    """The database file opened read-only: SQLite refuses to create or change it."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=TIMEOUT)
    try:
        yield conn
    finally:
        conn.close()


def check_database(settings: Settings) -> list[Finding]:
    path = settings.database_path
    folder = Path(path).resolve().parent
    if not os.path.exists(path):
        where = (
            f"its directory {folder} does not exist either: create it, then"
            if not folder.is_dir()
            else "if this is a new install,"
        )
        return [
            _fail(
                "database",
                f"{path} does not exist: {where} run `calbot migrate` (or start `calbot "
                "serve`) to create it; if the data lives elsewhere, point DATABASE_PATH at it",
            )
        ]
    try:
        with read_only(path) as conn:
            pending = [m.name for m in migrations.pending(sqlite_utils.Database(conn))]
    except sqlite3.Error as exc:
        return [
            _fail(
                "database",
                f"cannot read {path} ({exc}): DATABASE_PATH must be calbot's SQLite file, "
                "readable by the user calbot runs as",
            )
        ]
    # SQLite writes beside the file too (the WAL and its index): both must be writable.
    if not (os.access(path, os.W_OK) and os.access(folder, os.W_OK)):
        return [
            _fail(
                "database",
                f"{path} or its directory is not writable: give calbot write access to both",
            )
        ]
    if pending:
        return [
            _fail(
                "database",
                f"{path} is writable but {len(pending)} migration(s) are pending "
                f"({', '.join(pending)}): run `calbot migrate`, or start `calbot serve`, "
                "which migrates at start-up",
            )
        ]
    return [_ok("database", f"{path} is writable and migrated")]


def _slack_unreachable(check: str, settings: Settings, exc: BaseException) -> Finding:
    url = settings.slack_api_url
    unset = "" if "slack.com" in url else " (unset SLACK_API_URL to use Slack itself)"
    return _fail(check, f"cannot reach Slack at {url}: {why_unreachable(url, exc, TIMEOUT)}{unset}")


def _scopes(response: Any) -> set[str]:
    headers = {str(k).lower(): v for k, v in (response.headers or {}).items()}
    value = headers.get("x-oauth-scopes") or ""
    if isinstance(value, list):
        value = ",".join(value)
    return {s.strip() for s in value.split(",") if s.strip()}


_TOKEN_FIXES = {
    "invalid_auth": "the token is wrong",
    "not_authed": "no token was sent",
    "token_revoked": "the token was revoked (the app was uninstalled or the token regenerated)",
    "account_inactive": "the token belongs to a deactivated app or workspace",
}


async def _check_bot_token(settings: Settings, token: str, check: str, fix: str) -> list[Finding]:
    client = AsyncWebClient(base_url=settings.slack_api_url, token=token, timeout=int(TIMEOUT))
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        why = _TOKEN_FIXES.get(error, "Slack refused it")
        return [_fail(check, f"auth.test says {error}: {why}; {fix}")]
    except Exception as exc:
        return [_slack_unreachable(check, settings, exc)]
    where = (
        f"bot user {response.get('user_id')} in {response.get('team')} ({response.get('team_id')})"
    )
    missing = [s for s in BOT_SCOPES if s not in _scopes(response)]
    if missing:
        return [
            _fail(
                check,
                f"{where} lacks scopes {', '.join(missing)}: add them under OAuth & Permissions "
                "(manifest.yml lists them all), then reinstall the app to the workspace",
            )
        ]
    return [_ok(check, f"{where}, every scope granted")]


async def _check_oauth_client(settings: Settings) -> list[Finding]:
    """Slack checks the client id and secret before the code, so a made-up code tells us."""
    client = AsyncWebClient(base_url=settings.slack_api_url, timeout=int(TIMEOUT))
    try:
        await client.oauth_v2_access(
            client_id=settings.slack_client_id or "",
            client_secret=settings.slack_client_secret or "",
            code=PROBE_CODE,
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        if error in ("invalid_code", "invalid_grant_type", "bad_redirect_uri"):
            return [_ok("slack oauth", "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET accepted")]
        return [
            _fail(
                "slack oauth",
                f"oauth.v2.access says {error}: copy the Client ID and Client Secret from the "
                "app's Basic Information page into SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
            )
        ]
    except Exception as exc:
        return [_slack_unreachable("slack oauth", settings, exc)]
    return [_ok("slack oauth", "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET accepted")]


def _installed_teams(settings: Settings) -> list[tuple[str, str]]:
    """(team id, bot token) of every workspace that installed the app, newest token each.

    Read from slack_sdk's `slack_bots` table directly, read-only: its installation store
    would create its tables in a database that lacks them.
    """
    try:
        with read_only(settings.database_path) as conn:
            rows = conn.execute(
                "select team_id, bot_token from slack_bots "
                "where client_id = ? and enterprise_id = '' and bot_token is not null "
                "order by team_id, installed_at desc, id desc",
                [settings.slack_client_id],
            ).fetchall()
    except sqlite3.Error:
        return []
    newest: dict[str, str] = {}
    for team_id, token in rows:
        newest.setdefault(team_id, token)
    return list(newest.items())


async def check_slack(settings: Settings) -> list[Finding]:
    findings: list[Finding] = []
    if settings.oauth:
        findings += await _check_oauth_client(settings)
        teams = _installed_teams(settings)
        if not teams:
            url = f"{settings.public_url or 'PUBLIC_URL'}{INSTALL_PATH}"
            findings.append(
                _warn("slack installs", f"no workspace has installed calbot: open {url}")
            )
        for team_id, token in teams:
            findings += await _check_bot_token(
                settings, token, f"slack {team_id}", f"reinstall the app from {INSTALL_PATH}"
            )
    if settings.slack_bot_token and not settings.oauth:
        findings += await _check_bot_token(
            settings,
            settings.slack_bot_token,
            "slack",
            "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into SLACK_BOT_TOKEN",
        )
    if settings.slack_app_token:
        findings += await _check_app_token(settings)
    return findings


async def _check_app_token(settings: Settings) -> list[Finding]:
    client = AsyncWebClient(
        base_url=settings.slack_api_url, token=settings.slack_app_token, timeout=int(TIMEOUT)
    )
    try:
        await client.apps_connections_open(app_token=settings.slack_app_token or "")
    except SlackApiError as exc:
        error = exc.response.get("error")
        return [
            _fail(
                "slack socket mode",
                f"apps.connections.open says {error}: make an app-level token with the "
                "connections:write scope (Basic Information → App-Level Tokens), put it in "
                "SLACK_APP_TOKEN, and turn Socket Mode on; or unset SLACK_APP_TOKEN for HTTP",
            )
        ]
    except Exception as exc:
        return [_slack_unreachable("slack socket mode", settings, exc)]
    return [_ok("slack socket mode", "SLACK_APP_TOKEN opens a Socket Mode connection")]


async def check_maton(settings: Settings, http: httpx.AsyncClient) -> list[Finding]:
    connections = MatonConnections(
        http, ctrl_url=settings.maton_ctrl_url, api_key=settings.maton_api_key
    )
    try:
        found = await connections.list()
    except BadApiKey:
        return [
            _fail(
                "maton",
                "MATON_API_KEY was refused: copy the API key from maton.ai/settings "
                "into MATON_API_KEY",
            )
        ]
    except (CalcomError, httpx.HTTPError) as exc:
        url = settings.maton_ctrl_url
        if any(isinstance(c, httpx.TransportError) for c in causes(exc)):
            why = why_unreachable(url, exc, TIMEOUT)
            return [_fail("maton", f"cannot reach Maton at {url}: {why}")]
        return [
            _fail(
                "maton",
                f"listing connections at {settings.maton_ctrl_url} failed ({exc}): "
                "check MATON_CTRL_URL and this server's outbound network",
            )
        ]
    return [_ok("maton", f"MATON_API_KEY accepted; {len(found)} Cal.com connection(s)")]


async def check_public_url(settings: Settings, http: httpx.AsyncClient) -> list[Finding]:
    if not settings.public_url:
        return [
            _warn(
                "public url",
                "PUBLIC_URL is not set: booking notifications are off; set it to this "
                "server's external https address",
            )
        ]
    url = f"{settings.public_url}/healthz"
    try:
        response = await http.get(url, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        why = why_unreachable(url, exc, TIMEOUT)
        return [
            _fail(
                "public url",
                f"nothing answers {url}: {why}; start `calbot serve` there, or set "
                "PUBLIC_URL to the external address that reaches it",
            )
        ]
    try:
        healthy = response.status_code == 200 and response.json().get("ok") is True
    except ValueError:
        healthy = False
    if not healthy:
        return [
            _fail(
                "public url",
                f"{url} answered {response.status_code}, not calbot's health check: "
                "PUBLIC_URL must reach `calbot serve` (check the proxy or the port)",
            )
        ]
    return [_ok("public url", f"{url} answers")]


async def diagnose(env: Mapping[str, str]) -> list[Finding]:
    settings, findings = check_configuration(env)
    if settings is None:
        return findings
    findings += check_database(settings)
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:
        slack, maton, public = await asyncio.gather(
            check_slack(settings), check_maton(settings, http), check_public_url(settings, http)
        )
    return findings + slack + maton + public


def run(env: Mapping[str, str], out: TextIO) -> int:
    """Print one line per check to `out`; 1 when any failed, else 0."""
    findings = asyncio.run(diagnose(env))
    for finding in findings:
        print(finding.line(), file=out)
    failed = sum(f.status == "FAIL" for f in findings)
    if failed:
        print(f"{failed} check(s) failed: fix them and run `calbot doctor` again.", file=out)
        return 1
    print("All checks passed.", file=out)
    return 0
