"""The shared core of the gateway and control-plane clients: one request with retries, and
the mapping of failures to the ``CalcomError`` family.

Retry policy (at most ``MAX_TRIES`` attempts and ``MAX_WAIT`` seconds of sleeping in all):

- 429, any method: the request was refused before it did anything, so it is always safe
  to repeat. Wait what the server says (``Retry-After``, or Cal.com's
  ``X-RateLimit-Reset-*``, read as seconds to wait, or as an epoch if it is one), else back
  off exponentially (1 s, 2 s). When the wait would exceed the budget, or the tries are
  used up, raise ``RateLimited(retry_after)`` at once.
- The connection could not be made (``ConnectError``, ``ConnectTimeout``, pool timeout),
  any method: nothing reached the server, so repeating cannot duplicate anything.
- 502/503/504, read/write timeouts, dropped connections: retried only for idempotent
  methods (GET, HEAD, OPTIONS, PUT, DELETE), backing off 0.5 s, 1 s. POST and PATCH are
  never repeated after the request may have reached Cal.com: a booking is never created
  twice blindly. A DELETE whose retry answers 404 is taken as done (the first attempt
  deleted it).
- Anything else (400, 401, 404, 409, 500...) is final and raised at once.

A POST or PATCH that fails after it may have reached Cal.com (read timeout, 502-504) raises
``UpstreamFailure`` with ``maybe_applied=True``: the user is told to check before retrying.

Inside a user action (``bot.budget``) every try and every wait fits in what is left of the
action's budget: a try's timeouts are cut to it, a back-off that would outlast it is not
taken, and when nothing is left ``OutOfTime`` is raised. Background work has no budget
and keeps the full policy above.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

import httpx

from bot import budget
from bot.calcom.errors import (
    BadApiKey,
    CalcomError,
    Conflict,
    ConnectionExpired,
    Forbidden,
    Invalid,
    NotConnected,
    NotFound,
    OutOfTime,
    RateLimited,
    UpstreamFailure,
    scrub,
)
from bot.calcom.pool import CONNECT_TIMEOUT, READ_TIMEOUT
from bot.calcom.pool import make_http_client as make_http_client  # re-exported

log = logging.getLogger("calbot.calcom")

MAX_TRIES = 3
MAX_WAIT = 10.0  # seconds of sleeping between tries, in all
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
MIN_TRY = 0.25  # seconds of budget below which another try is not worth starting

Plane = Literal["gateway", "ctrl"]
Sleep = Callable[[float], Awaitable[Any]]
Monotonic = Callable[[], float]

# Errors raised before a byte of the request left: safe to retry for any method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _within_budget(timeout: httpx.Timeout | None, left: float) -> httpx.Timeout:
    """`timeout` (or the client's defaults) with every phase cut to `left` seconds."""
    base = timeout or httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT, pool=CONNECT_TIMEOUT)

    def cut(value: float | None) -> float:
        return left if value is None else min(value, left)

    return httpx.Timeout(
        connect=cut(base.connect), read=cut(base.read), write=cut(base.write), pool=cut(base.pool)
    )


def _backoff(attempt: int, base: float) -> float:
    return base * (2 ** (attempt - 1))


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """How long a 429 asks us to wait, from its headers; None when it does not say.

    Cal.com sends ``X-RateLimit-Reset-Default`` (its throttler's seconds until the window
    resets) and no ``Retry-After``. A value that looks like an epoch (seconds or
    milliseconds) is turned into a delay from ``now``.
    """
    lowered = {str(k).lower(): v for k, v in headers.items()}
    names = ["retry-after", "x-ratelimit-reset-default"]
    names += sorted(k for k in lowered if k.startswith("x-ratelimit-reset") and k not in names)
    for name in names:
        value = lowered.get(name)
        if value is None:
            continue
        try:
            seconds = float(str(value).strip())
        except ValueError:
            continue
        if seconds != seconds or seconds < 0:  # NaN or negative
            continue
        wall = time.time() if now is None else now
        if seconds > 1e12:  # epoch milliseconds
            seconds = seconds / 1000 - wall
        elif seconds > 1e9:  # epoch seconds
            seconds = seconds - wall
        return max(0.0, seconds)
    return None


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _is_calcom_body(body: Any) -> bool:
    """Cal.com's error envelope, or the bare NestJS body of an unhandled error."""
    if not isinstance(body, dict):
        return False
    if body.get("status") == "error" and isinstance(body.get("error"), dict):
        return True
    return "statusCode" in body and "message" in body


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if v is not None)
    if isinstance(value, dict):
        for key in ("message", "error", "detail", "details", "description"):
            if key in value:
                return _text(value[key])
        return ""
    return str(value)


def _details_text(details: Any) -> str:
    """Validation messages from Cal.com's ``error.details`` (shapes vary)."""
    if not details:
        return ""
    if isinstance(details, dict):
        for key in ("message", "errors", "details"):
            if key in details:
                return _text(details[key])
        return ""
    return _text(details)


def error_for(
    status: int, body: Any, headers: Mapping[str, str], *, plane: Plane, secrets: tuple[str, ...]
) -> CalcomError:
    """The exception for an error response."""
    calcom = plane == "gateway" and _is_calcom_body(body)
    code: str | None = None
    details: Any = None
    if calcom:
        if isinstance(body.get("error"), dict):
            err = body["error"]
            code = _text(err.get("code")) or None
            details = err.get("details")
            message = _text(err.get("message"))
            extra = _details_text(details)
            if extra and extra not in message:
                message = f"{message}: {extra}" if message else extra
        else:
            message = _text(body.get("message"))
            code = _text(body.get("error")) or None
    else:
        message = _text(body) if isinstance(body, dict | list) else (body or "")
        if isinstance(body, str) and body.lstrip().startswith("<"):
            message = ""  # an HTML error page says nothing useful
    message = scrub(message.strip(), secrets)[:500]
    source = "Cal.com" if calcom else "Maton"
    tech = f"{source} {status}" + (f": {message}" if message else "")
    kw: dict[str, Any] = {
        "status": status,
        "code": code,
        "details": details,
        "from_maton": not calcom,
    }

    if status == 429:
        retry = retry_after_seconds(headers)
        return RateLimited(retry if retry is not None else 1.0, tech, **kw)
    if status == 401:
        if calcom:  # Cal.com refused the OAuth token the gateway injected
            return ConnectionExpired(tech, **kw)
        return BadApiKey(tech, **kw)
    if status == 400:
        if calcom or plane == "ctrl":
            return Invalid(message or tech, **kw)
        return NotConnected(tech, **kw)
    if status == 403:
        return Forbidden(tech, **kw)
    if status == 404:
        return NotFound(tech, **kw)
    if status == 409:
        return Conflict(message or tech, **kw)
    if status == 500 and plane == "gateway" and not calcom:
        return ConnectionExpired(tech, **kw)  # Maton's 500: the OAuth token expired
    if status >= 500:
        return UpstreamFailure(tech, **kw)
    return Invalid(message or tech, **kw)


class Transport:
    """Sends one logical request to Maton, with the retry policy above."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str,
        plane: Plane,
        sleep: Sleep = asyncio.sleep,
        clock: Monotonic = time.monotonic,
        timeout: httpx.Timeout | None = None,
    ):
        self._http = http
        self._base = base_url.rstrip("/")
        self._api_key = api_key
        self._plane = plane
        self._sleep = sleep
        self._clock = clock
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"Transport({self._plane}, {self._base!r})"

    @staticmethod
    def _may_wait(waited: float, delay: float) -> bool:
        """Whether a back-off of `delay` fits the policy's total and the action's budget."""
        if waited + delay > MAX_WAIT:
            return False
        left = budget.remaining()
        return left is None or delay + MIN_TRY <= left

    @staticmethod
    def _out_of_time() -> bool:
        left = budget.remaining()
        return left is not None and left < MIN_TRY

    def _error(self, response: httpx.Response) -> CalcomError:
        """The exception an error answer means, with our key scrubbed from its text."""
        return error_for(
            response.status_code,
            _body(response),
            response.headers,
            plane=self._plane,
            secrets=(self._api_key,),
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """The decoded JSON body of a successful answer (None when empty); raises CalcomError."""
        method = method.upper()
        url = self._base + path
        sent_headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        sent_headers.update(headers or {})
        kwargs: dict[str, Any] = {"params": _clean_params(params), "headers": sent_headers}
        if json is not None:
            kwargs["json"] = json
        if self._timeout is not None:
            kwargs["timeout"] = self._timeout

        attempt = 0
        waited = 0.0
        ambiguous = False  # an earlier try may have reached the server
        changes = method not in IDEMPOTENT
        while True:
            attempt += 1
            left = budget.remaining()
            if left is not None:
                if left < MIN_TRY:
                    raise OutOfTime(
                        f"{method} {path}: the action's time budget ran out",
                        maybe_applied=changes and ambiguous,
                    )
                kwargs["timeout"] = _within_budget(self._timeout, left)
            if changes:
                budget.note_change()
            started = self._clock()
            try:
                response = await self._http.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                ms = (self._clock() - started) * 1000
                log.debug("%s %s -> %s in %.0f ms", method, path, type(exc).__name__, ms)
                not_sent = isinstance(exc, _NOT_SENT)
                ambiguous = ambiguous or not not_sent
                if (not_sent or method in IDEMPOTENT) and attempt < MAX_TRIES:
                    delay = _backoff(attempt, 0.5)
                    if self._may_wait(waited, delay):
                        waited += delay
                        await self._sleep(delay)
                        continue
                what = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
                failure = OutOfTime if self._out_of_time() else UpstreamFailure
                raise failure(
                    f"{method} {path} {what}: {type(exc).__name__}",
                    maybe_applied=changes and ambiguous,
                ) from exc

            ms = (self._clock() - started) * 1000
            log.debug("%s %s -> %s in %.0f ms", method, path, response.status_code, ms)
            status = response.status_code
            if status < 400:
                return _body(response)

            if status == 429:
                hinted = retry_after_seconds(response.headers)
                delay = hinted if hinted is not None else _backoff(attempt, 1.0)
                if attempt < MAX_TRIES and self._may_wait(waited, delay):
                    waited += delay
                    await self._sleep(delay)
                    continue
                err = self._error(response)
                raise RateLimited(delay, err.message, status=429, from_maton=err.from_maton)

            if status in RETRY_STATUSES and method in IDEMPOTENT and attempt < MAX_TRIES:
                delay = _backoff(attempt, 0.5)
                if self._may_wait(waited, delay):
                    ambiguous = True
                    waited += delay
                    await self._sleep(delay)
                    continue

            if status == 404 and method == "DELETE" and ambiguous:
                return None  # the earlier, unanswered try did the delete

            err = self._error(response)
            if isinstance(err, UpstreamFailure) and status in RETRY_STATUSES:
                err.maybe_applied = method not in IDEMPOTENT
            raise err


def _clean_params(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Query parameters without Nones; booleans as true/false; sequences repeated."""
    if not params:
        return None
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            out[key] = [str(v) for v in value]
        else:
            out[key] = str(value)
    return out or None
