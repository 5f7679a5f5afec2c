"""Enterprise Grid (issue 9 §4): an installation stored under its org is found and removed
by team outside a request. Payload shapes follow bolt-python's own tests
(tests/scenario_tests_async/test_events_token_revocations.py, test_events_org_apps.py):
`enterprise_id` beside `team_id`, and `authorizations` naming both."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.runtime import NotInstalled
from tests.emulators.slack import SlackEmulator
from tests.helpers import SIGNING_SECRET, Bot
from tests.slackdriver import SlackDriver

ORG, TEAM, TOKEN = "E111", "T222", "xoxb-grid-token"


def grid_install(bot: Bot, slack: SlackEmulator) -> None:
    """What Bolt's OAuth flow stores for a workspace in a Grid org."""
    slack.add_team(TEAM, TOKEN, name="Grid workspace")
    assert bot.rt.installations is not None
    bot.rt.installations.save(
        Installation(
            app_id="A111",
            enterprise_id=ORG,
            enterprise_name="Acme Org",
            team_id=TEAM,
            team_name="Grid workspace",
            bot_token=TOKEN,
            bot_id="B222",
            bot_user_id="UB222",
            bot_scopes="commands,chat:write",
            user_id="W111",
            is_enterprise_install=False,
        )
    )


def grid_event(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": "verification-token",
        "enterprise_id": ORG,
        "team_id": TEAM,
        "api_app_id": "A111",
        "event": {"event_ts": f"{time.time():.6f}", **event},
        "type": "event_callback",
        "event_id": "Ev111",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": ORG,
                "team_id": TEAM,
                "user_id": "UB222",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def test_a_grid_workspace_gets_its_token_outside_a_request(
    oauth_bot: Bot,
    slack: SlackEmulator,
) -> None:
    grid_install(oauth_bot, slack)
    client = oauth_bot.rt.slack_client(TEAM)
    assert client.token == TOKEN
    who = oauth_bot.server.call(client.auth_test)
    assert who["team_id"] == TEAM


def test_app_uninstalled_in_grid_removes_the_installation(
    oauth_bot: Bot,
    slack: SlackEmulator,
) -> None:
    bot = oauth_bot
    grid_install(bot, slack)
    assert bot.rt.installations is not None
    driver = SlackDriver(bot.url, SIGNING_SECRET, slack, team_id=TEAM)
    try:
        body = json.dumps(grid_event({"type": "app_uninstalled"})).encode()
        assert driver.post(body, "application/json").status_code == 200
        bot.settle()
    finally:
        driver.close()

    assert bot.rt.installations.find_bot(enterprise_id=ORG, team_id=TEAM) is None
    assert bot.rt.installations.find_installation(enterprise_id=ORG, team_id=TEAM) is None
    with pytest.raises(NotInstalled):
        bot.rt.slack_client(TEAM)


def test_forgetting_a_workspace_never_guesses_an_org(
    oauth_bot: Bot,
    slack: SlackEmulator,
) -> None:
    """An event without a team (an org-wide uninstall elsewhere) deletes nothing of ours."""
    bot = oauth_bot
    grid_install(bot, slack)
    bot.rt.forget_installation("")
    assert bot.rt.slack_client(TEAM).token == TOKEN
