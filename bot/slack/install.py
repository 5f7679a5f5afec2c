"""How calbot is installed in Slack: the bot scopes it asks for, and the OAuth flow.

`BOT_SCOPES` is the one list of scopes in code: the OAuth install URL asks for exactly
these, `calbot doctor` checks a token was granted them, and tests hold `manifest.yml`'s
`oauth_config.scopes.bot` equal to it (and each Web API method the code calls to it).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime import Runtime
from bot.store.installations import state_store

BOT_SCOPES: tuple[str, ...] = (
    "commands",  # the /cal command and the shortcuts
    "chat:write",  # messages: notifications, and DMs (posted to the user's id)
    "users:read",  # users.info: a person's name and time zone
    "users:read.email",  # users.info: the email used as a booking's attendee
    "channels:read",  # conversations.info: a public notification channel
    "groups:read",  # conversations.info: a private notification channel
    "channels:join",  # conversations.join: post notifications to a public channel
    "usergroups:read",  # usergroups.users.list: `/cal find @design-team` expands the group
)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"

log = logging.getLogger("calbot.slack.install")


def bolt_options(rt: Runtime, client: AsyncWebClient) -> dict[str, Any]:
    """Keyword arguments for AsyncApp: none in single-workspace mode; else the OAuth flow.

    Tokens come from the installation store (the same SQLite file). auth.test results are
    cached per token, so a request costs one indexed read, not a round trip to Slack.
    """
    settings = rt.settings
    if not settings.oauth or rt.installations is None:
        return {}
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=f"{settings.public_url}{REDIRECT_PATH}" if settings.public_url else None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=rt.installations,
        installation_store_bot_only=True,
        state_store=state_store(settings.database_path),
        logger=log,
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=rt.installations,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return {"oauth_settings": oauth, "authorize": authorize, "installation_store_bot_only": True}
