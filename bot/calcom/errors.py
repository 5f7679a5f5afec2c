"""One exception family for everything that can go wrong talking to Cal.com through Maton.

Each error carries a technical message (``str(exc)``, for logs) and a ``user_message``
(friendly, says what to do, safe to show in Slack). Neither ever contains the Maton API
key or any token: messages are scrubbed when the error is built.

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
    """Base of every gateway error. ``user_message`` is what to tell the user."""

    default_user_message = "Something went wrong talking to Cal.com. Please try again."

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

    @property
    def user_message(self) -> str:
        return self.default_user_message

    def __repr__(self) -> str:
        status = f", status={self.status}" if self.status is not None else ""
        return f"{self.__class__.__name__}({self.message!r}{status})"


class NotConnected(CalcomError):
    """Maton has no usable Cal.com connection for the id we sent (a Maton 400)."""

    default_user_message = (
        "Your Cal.com account isn't connected. Run `/cal connect` to link it (it takes a minute)."
    )


class ConnectionExpired(CalcomError):
    """The connection's OAuth token no longer works (Maton's 500, or Cal.com's 401)."""

    default_user_message = (
        "Your Cal.com connection has expired. Run `/cal connect` to reconnect your account, "
        "then try again."
    )


class BadApiKey(CalcomError):
    """Maton refused the workspace's API key: an operator problem, not the user's."""

    default_user_message = (
        "The bot can't reach Cal.com right now: its Maton API key was refused. "
        "Please tell your workspace admin (they can run `calbot doctor`)."
    )


class Forbidden(CalcomError):
    """Cal.com says the connected account may not do this (403)."""

    default_user_message = "Cal.com says your account isn't allowed to do that."


class NotFound(CalcomError):
    default_user_message = (
        "Cal.com couldn't find that. It may have been deleted or cancelled; check the id and "
        "try again."
    )


class Conflict(CalcomError):
    default_user_message = "That conflicts with something that already exists in Cal.com."

    @property
    def user_message(self) -> str:
        if self.message and self.message != "Conflict":
            return f"Cal.com reports a conflict: {self.message}"
        return self.default_user_message


class Invalid(CalcomError):
    """Cal.com rejected the request (400 and other 4xx); ``message`` is Cal.com's reason."""

    default_user_message = "Cal.com rejected that request."

    @property
    def user_message(self) -> str:
        if self.message and self.message != "Invalid":
            return f"Cal.com rejected that: {self.message}"
        return self.default_user_message


class RateLimited(CalcomError):
    """Too many requests; ``retry_after`` is how many seconds to wait before trying again."""

    def __init__(self, retry_after: float, message: str = "", **kwargs: Any):
        self.retry_after = max(0.0, float(retry_after))
        super().__init__(message or f"rate limited, retry after {self.retry_after:g} s", **kwargs)

    @property
    def user_message(self) -> str:
        seconds = max(1, round(self.retry_after))
        unit = "second" if seconds == 1 else "seconds"
        return f"Cal.com is busy right now. Please try again in {seconds} {unit}."


class UpstreamFailure(CalcomError):
    """Cal.com or the gateway failed (5xx, timeout, connection error).

    ``maybe_applied`` is True when a change (POST, PATCH) failed after it may have reached
    Cal.com: it might have happened, so the user should look before trying again.
    """

    default_user_message = "Cal.com didn't answer properly just now. Please try again in a minute."

    def __init__(self, message: str = "", *, maybe_applied: bool = False, **kwargs: Any):
        self.maybe_applied = maybe_applied
        super().__init__(message, **kwargs)

    @property
    def user_message(self) -> str:
        if self.maybe_applied:
            return (
                "Cal.com didn't answer in time, so that may or may not have gone through. "
                "Please check (for bookings, `/cal bookings`) before trying again."
            )
        return self.default_user_message
