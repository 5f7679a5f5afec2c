"""Helpers of the install tests: a bot in multi-workspace (OAuth) mode, installing it the
way Slack's OAuth redirect does, and sending it Events API callbacks.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from bot.runtime import Runtime
from bot.slack.install import BOT_SCOPES
from bot.web import create_app
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import serve
from tests.emulators.slack import SlackEmulator
from tests.helpers import SIGNING_SECRET, Bot, Clock, make_settings
from tests.slackdriver import SlackDriver

PUBLIC = "https://calbot.example.com"  # only compared, never dialled
_event_ids = itertools.count(1)


def send_event(driver: SlackDriver, team_id: str, event: dict[str, Any]) -> httpx.Response:
    """An Events API callback, signed, as Slack posts it."""
    body = {
        "token": "legacy-unused",
        "team_id": team_id,
        "api_app_id": "A111",
        "event": {"event_ts": f"{time.time():.6f}", **event},
        "type": "event_callback",
        "event_id": f"Ev{next(_event_ids):08d}",
        "event_time": int(time.time()),
    }
    response = driver.post(json.dumps(body).encode(), "application/json")
    assert response.status_code == 200
    return response


@pytest.fixture
def oauth_bot(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> Iterator[Bot]:
    settings = make_settings(
        tmp_path,
        calcom,
        slack,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID=slack.client_id,
        SLACK_CLIENT_SECRET=slack.client_secret,
        PUBLIC_URL=PUBLIC,
    )
    rt = Runtime.create(settings, clock=clock)
    server = serve(create_app(rt))
    driver = SlackDriver(server.url, SIGNING_SECRET, slack)
    yield Bot(server.url, rt, driver, server)
    driver.close()
    server.stop()


def install(
    bot: Bot,
    slack: SlackEmulator,
    team_id: str,
    token: str,
    redirect_uri: str | None = f"{PUBLIC}/slack/oauth_redirect",
) -> httpx.Response:
    """An admin of `team_id` opens /slack/install, approves at Slack, and comes back.

    `redirect_uri` is what the bot must send with the code (None: whatever it sends).
    """
    with httpx.Client(base_url=bot.url) as browser:
        page = browser.get("/slack/install")
        assert page.status_code == 200
        link = html.unescape(
            re.search(r'href="(https://slack\.com/oauth/v2/authorize[^"]+)"', page.text)[1]
        )
        query = parse_qs(urlparse(link).query)
        assert set(query["scope"][0].split(",")) == set(BOT_SCOPES)
        assert query["client_id"] == [slack.client_id]
        # Bolt's state cookie is Secure; a browser on https would send it back.
        cookie = page.headers["set-cookie"].split(";")[0]
        code = f"code-{team_id}"
        slack.add_oauth_code(
            code,
            team_id=team_id,
            team_name=f"Team {team_id}",
            bot_token=token,
            bot_user_id=f"UB{team_id}",
            scopes=",".join(BOT_SCOPES),
            authed_user_id=f"UA{team_id}",
            redirect_uri=redirect_uri,
        )
        return browser.get(
            "/slack/oauth_redirect",
            params={"code": code, "state": query["state"][0]},
            headers={"Cookie": cookie},
        )
