"""Logging set-up: text or JSON lines, with every token and secret redacted on the way out.

Redaction sits in a handler filter rather than at call sites, so a token inside an
exception message from a library is scrubbed too. Maton's connect links (a connection's
`url`, with its `session_token`) are capabilities like tokens and are redacted as well.
slack_sdk and slack_bolt log whole request bodies at DEBUG (response URLs, and the
connect button's link), so their loggers stay at INFO even when LOG_LEVEL=DEBUG.

Every line carries the reference of the request it belongs to (a Slack request, a webhook
delivery, or `-` outside one), kept in a context variable so the background task a
listener hands its work to inherits it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from contextvars import ContextVar
from typing import Any, TextIO

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

_TOKEN_PATTERNS = (
    re.compile(r"xox[abposre]-[A-Za-z0-9-]+"),
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)(v0=)[0-9a-f]{16,}"),
    re.compile(r"(?i)(sha256=)?[0-9a-f]{64}"),
    # response URLs post into a user's conversation for 30 minutes: capabilities too
    re.compile(r"(https://hooks\.slack\.com/(?:commands|actions|services)/)[^\s\"'<>]+"),
    # Maton's OAuth link lets whoever opens it attach their Cal.com account to the connection
    re.compile(r"(https://connect\.maton\.ai/)[^\s\"'<>]+"),
    re.compile(r"(?i)(session_token=)[^\s&\"'<>]+"),
    # a connection's `url` (and any url in a logged body), JSON or Python repr
    re.compile(r"""(["']url["']\s*:\s*["']|\burl=["'])[^\s"'<>]+"""),
    # the token in a webhook URL is a capability wherever it is written
    re.compile(r"(/calcom/webhooks/)[^/?\s\"'<>]+"),
)

# Loggers that write request bodies at DEBUG: kept at INFO whatever LOG_LEVEL says.
CHATTY_LOGGERS = ("slack_sdk", "slack_bolt", "calbot.bolt")


_REF: ContextVar[str | None] = ContextVar("calbot_request_ref", default=None)
# The token in a webhook URL is a capability: never write it down.
_PATH_SECRETS = re.compile(r"(/calcom/webhooks/)[^/?]+")


def current_ref() -> str | None:
    """The reference of the request being handled, if any."""
    return _REF.get()


@contextlib.contextmanager
def request_ref(ref: str | None = None) -> Iterator[str]:
    """Tag every log line inside (and tasks started inside) with `ref`, or a new one.

    A reference only tells one request's lines from another's, so it comes from `random`,
    not `secrets`: os.urandom is a system call on every request (~5 µs of the ack)."""
    value = ref or f"{random.getrandbits(32):08x}"
    token = _REF.set(value)
    try:
        yield value
    finally:
        _REF.reset(token)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(
            lambda m: (m.group(1) or "") + "[redacted]" if m.groups() else "[redacted]", text
        )
    return text


class RedactingFilter(logging.Filter):
    """Renders each record's message and traceback once, redacted, before any handler sees it."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info), self.secrets
            )
            record.exc_info = None
        return True


class QuietBoltFilter(logging.Filter):
    """Drops Bolt's one known-harmless start-up warning, and nothing else.

    AsyncApp reads SLACK_BOT_TOKEN from the environment itself even when given a client,
    then warns that the token "will be unused" at every start: calbot passes the client
    (built with that same token, or none in multi-workspace mode) on purpose.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def bolt_logger() -> logging.Logger:
    """The logger calbot hands Bolt (`calbot.bolt`), with `QuietBoltFilter` on it once."""
    logger = logging.getLogger("calbot.bolt")
    if not any(isinstance(f, QuietBoltFilter) for f in logger.filters):
        logger.addFilter(QuietBoltFilter())
    return logger


class RefFilter(logging.Filter):
    """Stamps each record with the current request reference (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.ref = _REF.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "ref": getattr(record, "ref", "-"),
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry)


def setup(settings: Any, stream: TextIO | None = None) -> None:
    """Configure logging from `Settings`: its level and format, its secrets redacted."""
    configure(
        settings.log_level,
        settings.log_format,
        secrets=[
            settings.slack_signing_secret,
            settings.maton_api_key,
            settings.slack_bot_token or "",
            settings.slack_app_token or "",
            settings.slack_client_secret or "",
        ],
        stream=stream,
    )


def make_handler(
    fmt: str = "text", secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """The one handler calbot logs through: redacted, stamped with the request reference."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RefFilter())
    handler.addFilter(RedactingFilter(secrets))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(ref)s] %(message)s")
        )
    return handler


def configure(
    level: str = "INFO",
    fmt: str = "text",
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> None:
    handler = make_handler(fmt, secrets, stream)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))


ASGIApp = Callable[[MutableMapping[str, Any], Any, Any], Awaitable[None]]
access_log = logging.getLogger("calbot.http")


def _quiet(path: str, status: int) -> bool:
    """Lines that only repeat another: health probes, and a Cal.com delivery answered 200,
    whose endpoint logs one line of its own (queued as outbox-N, or ignored and why)
    under the same reference. One line a delivery keeps the webhook route cheap."""
    return path == "/healthz" or (status == 200 and path.startswith("/calcom/webhooks/"))


class RequestRefMiddleware:
    """ASGI middleware: a reference per HTTP request, and one access line when it ends.

    The line has the method, the path (webhook tokens redacted, never the query string,
    which carries OAuth codes), the status and the time taken. Health checks log at DEBUG
    so a load balancer's probes do not drown the log. The webhook route, served ahead of
    this middleware (bot/notify/asgi.py), does the same with `request_ref` and `log_access`.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [500]

        async def send_status(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        started = time.perf_counter()
        with request_ref():
            try:
                await self.app(scope, receive, send_status)
            finally:
                log_access(scope.get("method", "-"), scope.get("path", ""), status[0], started)


def log_access(method: str, path: str, status: int, started: float) -> None:
    """The one access line of a request that began at `perf_counter()` `started`."""
    level = logging.DEBUG if _quiet(path, status) else logging.INFO
    if access_log.isEnabledFor(level):  # the redaction only for a line written
        access_log.log(
            level,
            "%s %s %d %.1f ms",
            method,
            _PATH_SECRETS.sub(r"\1[redacted]", path),
            status,
            (time.perf_counter() - started) * 1000,
        )
