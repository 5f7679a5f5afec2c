"""Slack Web API clients: one HTTP session per workspace, and Slack's 429 retried as asked.

A new aiohttp session (and TCP connection) per reply cost ~1.1 ms and capped the
notification worker near 350 posts/s (issue 15), so the runtime keeps one session per
workspace, made on first use inside the event loop, shared by that workspace's Web API
client, response-URL posts and the worker, and closed at shutdown.

Interactive calls (views.open, chat.postMessage, views.publish from a listener) that Slack
answers with 429 are retried after its `Retry-After`, as slack_sdk's
`AsyncRateLimitErrorRetryHandler` does, but only while the wait fits in the user action's
time budget (bot/budget.py), or (Bolt's client, outside a budget: the Home published when
it opens) a few seconds. The runtime's clients outside a budget get the 429 back: the
notification worker keeps its own, longer schedule.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot import budget

RATE_LIMIT_RETRIES = 2
INTERACTIVE_WAIT = 5.0  # seconds Bolt's client may wait for Slack outside an action's budget


def retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return float(values[0])
            except ValueError:
                break
    return 1.0


class BudgetedRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Slack's 429 inside a user action: wait `Retry-After` and try again, within budget.

    Outside a budget, waits of at most `wait_without_budget` seconds are taken (Bolt's
    client: everything it calls answers someone, e.g. the Home published when it opens);
    0 for the runtime's clients, whose background callers keep their own schedule.
    """

    def __init__(self, *, max_retry_count: int, wait_without_budget: float = 0.0):
        super().__init__(max_retry_count=max_retry_count)
        self.wait_without_budget = wait_without_budget

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        left = budget.remaining(self.wait_without_budget)
        # slack_sdk waits Retry-After plus up to a second of jitter
        return left is not None and retry_after(response) + 1.5 <= left


def retry_handlers(*, interactive: bool) -> list[AsyncRetryHandler]:
    wait = INTERACTIVE_WAIT if interactive else 0.0
    return [
        AsyncConnectionErrorRetryHandler(),
        BudgetedRateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES, wait_without_budget=wait),
    ]


def web_client(
    base_url: str, token: str | None, session: Any = None, *, interactive: bool = False
) -> AsyncWebClient:
    """A Web API client with calbot's retry handlers, on `session` when given."""
    handlers = retry_handlers(interactive=interactive)
    return AsyncWebClient(base_url=base_url, token=token, session=session, retry_handlers=handlers)
