"""The `calbot` command line: serve, doctor, and admin commands for links.

A configuration problem is printed as one list and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger("calbot")


def _settings() -> Settings:
    try:
        return load_settings(os.environ)
    except ConfigError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None


def serve(port: int | None) -> None:
    from bot import logs

    settings = _settings()
    logs.setup(settings)
    from bot.server import run

    asyncio.run(run(settings, port=settings.port if port is None else port))


def doctor() -> None:
    from bot.doctor import run

    raise SystemExit(run(os.environ, sys.stdout))


def migrate() -> None:
    """Apply pending migrations (also done by `calbot serve` at start-up)."""
    from bot.store import Store

    store = Store(_settings().database_path)
    pending = store.pending_migrations()
    store.migrate()
    store.close()
    print(f"applied {len(pending)} migration(s)" if pending else "already up to date")


def links() -> None:
    from bot.store import Store

    settings = _settings()
    store = Store(settings.database_path)
    store.migrate()
    for link in store.links():
        print(
            f"{link.team_id}\t{link.user_id}\t{link.status}\t{link.username or '-'}\t"
            f"{link.email or '-'}\t{link.connection_id}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="calbot", description="Cal.com for Slack, through Maton.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve_parser = sub.add_parser(
        "serve", help="run the bot (Socket Mode when SLACK_APP_TOKEN is set)"
    )
    serve_parser.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    sub.add_parser("doctor", help="check the configuration against Slack, Maton and PUBLIC_URL")
    sub.add_parser("migrate", help="apply pending database migrations")
    sub.add_parser("links", help="list linked Slack users and their Maton connections")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port)
    elif args.command == "doctor":
        doctor()
    elif args.command == "migrate":
        migrate()
    elif args.command == "links":
        links()


if __name__ == "__main__":
    main()
