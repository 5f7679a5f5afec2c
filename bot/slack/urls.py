"""Which URLs calbot may POST an answer to: Slack's response URLs, and nothing else.

A response URL arrives inside a request body (or comes back in a modal's
private_metadata, which the body also carries), so whoever can get a body to us can name
any address. calbot only answers through it when it is on Slack's host: `hooks.slack.com`
over HTTPS (or `hooks.` of `SLACK_API_URL`'s host, for GovSlack's `slack-gov.com`), or
the host `SLACK_API_URL` names (the Slack emulator in tests; Slack's own `slack.com` in
production, which hosts no response URLs but is Slack's all the same).
No new setting: the API URL already says where Slack is.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SLACK_HOOKS_HOST = "hooks.slack.com"


def _origin(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username:
        return None
    return parts.scheme, f"{parts.hostname.lower()}:{port or ''}"


def is_slack_response_url(url: object, slack_api_url: str | None) -> bool:
    """Whether `url` is a response URL calbot may POST to (see the module's docstring)."""
    if not isinstance(url, str) or not url or len(url) > 2048:
        return False
    origin = _origin(url)
    if origin is None:
        return False
    if origin == ("https", f"{SLACK_HOOKS_HOST}:"):
        return True
    api = _origin(slack_api_url or "")
    if api is None:
        return False
    hooks_of_api = ("https", "hooks." + api[1])  # GovSlack: slack-gov.com → hooks.slack-gov.com
    return origin in (api, hooks_of_api)
