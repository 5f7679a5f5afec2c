"""The `calbot` command line: serve, doctor, and admin commands for links.

A configuration problem (a DATABASE_PATH whose directory does not exist included) is printed
as one list and exits with status 2, never a traceback. Admin commands read only the
variables they use (`migrate` and `links` just DATABASE_PATH; `link` also MATON_API_KEY and
MATON_GATEWAY_URL), so they run from any shell on the host; a failed admin command says why
and exits with status 1. `links` only reads: a mistyped path is reported, not created.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlparse

from bot.config import VARIABLES, ConfigError, Settings, load_settings

log = logging.getLogger("calbot")


def _settings() -> Settings:
    try:
        return load_settings(os.environ)
    except ConfigError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None


def _variable(name: str) -> str:
    """One variable from the environment (or its default), for commands needing only a few."""
    variable = next(v for v in VARIABLES if v.name == name)
    value = (os.environ.get(name) or "").strip() or variable.default
    problem = None
    if value is None:
        problem = f"{name} is missing: {variable.purpose}"
    elif name.endswith("_URL") and urlparse(value).scheme not in ("http", "https"):
        problem = f"{name} is not an http(s) URL ({variable.purpose})"
    if problem is not None:
        print(ConfigError([problem]), file=sys.stderr)
        raise SystemExit(2)
    return value or ""


def _database_path(path: str) -> str:
    """`path`, once its directory is known to exist: calbot creates the file, not folders."""
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        problem = (
            f"DATABASE_PATH is {path}, but its directory {folder} does not exist: "
            "create the directory (calbot creates the database file in it), or fix the path"
        )
        print(ConfigError([problem]), file=sys.stderr)
        raise SystemExit(2)
    return path


def _version() -> str:
    try:
        return version("calbot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def serve(port: int | None) -> None:
    from bot import logs

    settings = _settings()
    _database_path(settings.database_path)
    logs.setup(settings)
    from bot.server import start

    start(settings, port=settings.port if port is None else port)


def doctor() -> None:
    from bot.doctor import run

    raise SystemExit(run(os.environ, sys.stdout))


def migrate() -> None:
    """Apply pending migrations (also done by `calbot serve` at start-up)."""
    from bot.store import Store

    store = Store(_database_path(_variable("DATABASE_PATH")))
    pending = store.pending_migrations()
    store.migrate()
    store.close()
    print(f"applied {len(pending)} migration(s)" if pending else "already up to date")


def links() -> None:
    """One tab-separated line per link on stdout; anything said to a person goes to stderr."""
    from bot.store import Store

    path = _variable("DATABASE_PATH")
    if not os.path.isfile(path):  # opening the store would create an empty database there
        print(
            f"calbot links: there is no database at {path}: check DATABASE_PATH "
            "(`calbot serve` and `calbot migrate` create it)",
            file=sys.stderr,
        )
        raise SystemExit(1)
    store = Store(path)
    try:
        store.migrate()
        found = store.links()
    finally:
        store.close()
    for link in found:
        print(
            f"{link.team_id}\t{link.user_id}\t{link.status}\t{link.username or '-'}\t"
            f"{link.email or '-'}\t{link.connection_id}"
        )
    if not found:
        print(
            f"nobody is linked in {path} yet: people link with /cal connect in Slack, "
            "or an admin runs `calbot link`",
            file=sys.stderr,
        )


def link(team_id: str | None, user_id: str, connection_id: str) -> None:
    """Record an ACTIVE link for a Slack user through an existing Maton connection."""
    from bot.admin import AdminError, choose_team, link_existing
    from bot.calcom.client import CalcomClient
    from bot.calcom.transport import make_http_client
    from bot.store import Store

    api_key = _variable("MATON_API_KEY")
    gateway = _variable("MATON_GATEWAY_URL").rstrip("/")
    store = Store(_database_path(_variable("DATABASE_PATH")))

    async def run() -> None:
        async with make_http_client() as http:
            calcom = CalcomClient(http, gateway_url=gateway, api_key=api_key)
            team = choose_team(store, team_id)
            made, replaced = await link_existing(
                store, calcom, team_id=team, user_id=user_id, connection_id=connection_id
            )
        print(
            f"linked {made.team_id}/{made.user_id} to Cal.com user {made.username} "
            f"({made.name or '-'}, {made.email or '-'}, {made.time_zone or '-'}) "
            f"through connection {made.connection_id}"
        )
        if replaced is not None:
            print(
                f"replaced connection {replaced.connection_id}, left as it is at Maton "
                "(delete it there if nobody uses it)"
            )

    try:
        store.migrate()
        asyncio.run(run())
    except AdminError as error:
        print(f"calbot link: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="calbot", description="Cal.com for Slack, through Maton.")
    parser.add_argument("--version", action="version", version=f"calbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve_parser = sub.add_parser(
        "serve", help="run the bot (Socket Mode when SLACK_APP_TOKEN is set)"
    )
    serve_parser.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    sub.add_parser("doctor", help="check the configuration against Slack, Maton and PUBLIC_URL")
    sub.add_parser("migrate", help="apply pending database migrations")
    sub.add_parser("links", help="list linked Slack users and their Maton connections")
    link_parser = sub.add_parser(
        "link", help="link a Slack user to an existing, ACTIVE Maton connection"
    )
    link_parser.add_argument("--team", help="Slack workspace id (default: the only one known)")
    link_parser.add_argument("user", help="Slack user id, U…")
    link_parser.add_argument("connection", help="Maton connection id (its connection_id)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port)
    elif args.command == "doctor":
        doctor()
    elif args.command == "migrate":
        migrate()
    elif args.command == "links":
        links()
    elif args.command == "link":
        link(args.team, args.user, args.connection)


if __name__ == "__main__":
    main()
