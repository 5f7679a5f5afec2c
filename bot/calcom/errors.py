"""One exception family for everything that can go wrong talking to Cal.com through Maton.

Each error carries a technical message (``str(exc)``, for logs; Cal.com's own reason for
``Invalid`` and ``Conflict``), scrubbed of the Maton API key and any token when the error
is built. What a user reads for each is in ``bot/blocks/errors.py``: the gateway knows
nothing of Slack or of calbot's commands.

Which class is raised (see ``transport.error_for``):

| status | Cal.com body (envelope or bare ``statusCode``) | Maton body (anything else) |
|---|---|---|
| 400 | ``Invalid`` (Cal.com's message) | ``NotConnected`` |
| 401 | ``ConnectionExpired`` (Cal.com refused the token) | ``BadApiKey`` |
| 403 | ``Forbidden`` | ``Forbidden`` |
| 404 | ``NotFound`` | ``NotFound`` |
| 409 | ``Conflict`` | ``Conflict`` |
| 429 | ``RateLimited`` | ``RateLimited`` |
| 500 | ``UpstreamFailure`` | ``ConnectionExpired`` (OAuth token expired) |
| 502-504, timeouts, connection errors | ``UpstreamFailure`` | ``UpstreamFailure`` |
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Things that look like credentials, scrubbed from every message whatever its source.
_SECRET_PATTERNS = (
    re.compile(r"(?i)\bbearer\s+[^\s\"',;]+"),
    re.compile(
        r"(?i)\b((?:session_|access_|refresh_)?token|api_?key|secret)(=|\"\s*:\s*\")[^\s\"'&,;]+"
    ),
    re.compile(r"\bcal_(?:live_|test_)?[A-Za-z0-9]{8,}"),
)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secrets and anything token-like replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _SECRET_PATTERNS[0].sub("Bearer ***", text)
    text = _SECRET_PATTERNS[1].sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    return _SECRET_PATTERNS[2].sub("cal_***", text)


class CalcomError(Exception):
    """Base of every gateway error."""

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        code: str | None = None,
        details: Any = None,
        from_maton: bool = False,
    ):
        self.message = scrub(message or self.__class__.__name__)
        self.status = status
        self.code = code
        self.details = details
        self.from_maton = from_maton  # True when the gateway itself, not Cal.com, answered
        super().__init__(self.message)

    def __repr__(self) -> str:
        status = f", status={self.status}" if self.status is not None else ""
        return f"{self.__class__.__name__}({self.message!r}{status})"


class NotConnected(CalcomError):
    """Maton has no usable Cal.com connection for the id we sent (a Maton 400)."""


class ConnectionExpired(CalcomError):
    """The connection's OAuth token no longer works (Maton's 500, or Cal.com's 401)."""


class BadApiKey(CalcomError):
    """Maton refused the workspace's API key: an operator problem, not the user's."""


class Forbidden(CalcomError):
    """Cal.com says the connected account may not do this (403)."""


class NotFound(CalcomError):
    """Cal.com (or Maton) has no such thing (404)."""


class Conflict(CalcomError):
    """Cal.com refused a change that clashes with what exists (409)."""


class Invalid(CalcomError):
    """Cal.com rejected the request (400 and other 4xx); ``message`` is Cal.com's reason."""


class RateLimited(CalcomError):
    """Too many requests; ``retry_after`` is how many seconds to wait before trying again."""

    def __init__(self, retry_after: float, message: str = "", **kwargs: Any):
        self.retry_after = max(0.0, float(retry_after))
        super().__init__(message or f"rate limited, retry after {self.retry_after:g} s", **kwargs)


class UpstreamFailure(CalcomError):
    """Cal.com or the gateway failed (5xx, timeout, connection error).

    ``maybe_applied`` is True when a change (POST, PATCH) failed after it may have reached
    Cal.com: it might have happened, so the user should look before trying again.
    """

    def __init__(self, message: str = "", *, maybe_applied: bool = False, **kwargs: Any):
        self.maybe_applied = maybe_applied
        super().__init__(message, **kwargs)


class OutOfTime(UpstreamFailure):
    """The user action's time budget (bot/budget.py) ran out before Cal.com answered;
    `maybe_applied` says whether a change may have reached Cal.com all the same."""
