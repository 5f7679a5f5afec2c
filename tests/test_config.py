"""Configuration: every problem listed at once, exit status 2, never a traceback or a secret."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from tests.helpers import child_env

GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-abc",
    "SLACK_SIGNING_SECRET": "s3cret-signing",
    "MATON_API_KEY": "maton-key-123456",
}


def test_defaults() -> None:
    settings = load_settings(GOOD)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.maton_gateway_url == "https://gateway.maton.ai"
    assert settings.maton_ctrl_url == "https://ctrl.maton.ai"
    assert settings.database_path == "./calbot.db"
    assert settings.port == 3000
    assert not settings.socket_mode and not settings.oauth
    assert settings.public_url is None


def test_every_problem_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"PORT": "eighty", "SLACK_API_URL": "slack.com", "SLACK_APP_TOKEN": "xoxb-x"})
    problems = "\n".join(caught.value.problems)
    for name in (
        "SLACK_SIGNING_SECRET",
        "MATON_API_KEY",
        "SLACK_BOT_TOKEN",
        "PORT",
        "SLACK_API_URL",
    ):
        assert name in problems
    assert "SLACK_APP_TOKEN must start with xapp-" in problems


def test_oauth_mode_needs_both_halves() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({**GOOD, "SLACK_CLIENT_ID": "123.456"})
    assert "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together" in str(caught.value)
    both = load_settings({**GOOD, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "x"})
    assert both.oauth


def test_repr_hides_secrets() -> None:
    text = repr(load_settings(GOOD))
    assert "s3cret" not in text and "maton-key" not in text and "xoxb" not in text


def test_serve_without_environment_exits_2_with_the_list() -> None:
    env = child_env()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET is missing" in done.stderr
    assert "MATON_API_KEY is missing" in done.stderr
    assert "Traceback" not in done.stderr
