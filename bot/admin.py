"""Admin operations behind `calbot link`: link a Slack user to an existing Maton connection.

For an operator who made (or recovered) a Cal.com connection at Maton by hand, or moves
links between databases: the user need not run `/cal connect`. It reads `/v2/me` through
the gateway, which both proves the connection is ACTIVE and fills in the username, email
and zone, so it needs only MATON_API_KEY, the gateway URL and the database.
"""

from __future__ import annotations

import re

from bot.calcom.client import CalcomClient
from bot.calcom.errors import BadApiKey, CalcomError, ConnectionExpired, NotConnected
from bot.models import Link
from bot.services.accounts import active_link
from bot.store import Store

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
SLACK_TEAM_ID = re.compile(r"^T[A-Z0-9]+$")


class AdminError(Exception):
    """Why an admin command did nothing, worded for the operator who typed it."""


def known_teams(store: Store) -> list[str]:
    """The workspaces the database knows: from links, and from OAuth installations."""
    teams = {link.team_id for link in store.links()}
    if store.db["slack_bots"].exists():
        teams |= {row["team_id"] for row in store.db.query("select team_id from slack_bots")}
    return sorted(t for t in teams if t)


def choose_team(store: Store, team_id: str | None) -> str:
    """`team_id` when given, else the one workspace the database knows."""
    if team_id:
        if not SLACK_TEAM_ID.match(team_id):
            raise AdminError(f"{team_id!r} is not a Slack workspace id (T…)")
        return team_id
    teams = known_teams(store)
    if len(teams) == 1:
        return teams[0]
    known = f"it knows {', '.join(teams)}" if teams else "it knows none yet"
    raise AdminError(
        f"which workspace? The database does not say ({known}): give --team T…, the id "
        "`calbot doctor` prints after 'bot user … in'"
    )


async def link_existing(
    store: Store, calcom: CalcomClient, *, team_id: str, user_id: str, connection_id: str
) -> tuple[Link, Link | None]:
    """Record an ACTIVE link for `user_id` through `connection_id`; (the link, the one replaced).

    The connection must be ACTIVE at Maton and not linked to someone else already.
    """
    if not SLACK_USER_ID.match(user_id):
        raise AdminError(f"{user_id!r} is not a Slack user id (U… or W…)")
    taken = next(
        (
            link
            for link in store.links()
            if link.connection_id == connection_id
            and (link.team_id, link.user_id) != (team_id, user_id)
        ),
        None,
    )
    if taken is not None:
        raise AdminError(
            f"connection {connection_id} is already linked to {taken.team_id}/{taken.user_id}"
        )
    try:
        me = await calcom.me(connection_id)
    except NotConnected as error:
        raise AdminError(
            f"connection {connection_id} is not ACTIVE at Maton ({error.message}): the user "
            "must finish OAuth at the connection's url first (or use `/cal connect`)"
        ) from None
    except ConnectionExpired:
        raise AdminError(
            f"connection {connection_id} has expired at Maton: its Cal.com authorization must "
            "be renewed (the user can run `/cal connect`)"
        ) from None
    except BadApiKey:
        raise AdminError("MATON_API_KEY was refused: copy the key from maton.ai/settings") from None
    except CalcomError as error:
        raise AdminError(f"reading /v2/me through the gateway failed: {error.message}") from None
    previous = store.get_link(team_id, user_id)
    same = previous is not None and previous.connection_id == connection_id
    created = previous.created_at if previous and same else None
    link = store.save_link(active_link(team_id, user_id, connection_id, me, created))
    return link, None if same else previous
