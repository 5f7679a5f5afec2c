"""Records, errors and time helpers shared by the Cal.com emulator's parts."""

from __future__ import annotations

import json
import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from .core import CalcomEmulator

UTC_NAMES = {"UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DEFAULT_HOURS = [{"days": WEEKDAYS[:5], "startTime": "09:00", "endTime": "17:00"}]
DEFAULT_EVENT_TYPES = [
    {"title": "30 min meeting", "slug": "30min", "length": 30},
    {"title": "60 min meeting", "slug": "60min", "length": 60},
]

# NestJS exception class names, which Cal.com puts in error.code
ERROR_CODES = {
    400: ("BadRequestException", "Bad Request"),
    401: ("UnauthorizedException", "Unauthorized"),
    403: ("ForbiddenException", "Forbidden"),
    404: ("NotFoundException", "Not Found"),
    409: ("ConflictException", "Conflict"),
    422: ("UnprocessableEntityException", "Unprocessable Entity"),
    429: ("ThrottlerException", "Too Many Requests"),
    500: ("InternalServerErrorException", "Internal Server Error"),
}


class ApiError(Exception):
    """A Cal.com error, answered with the error envelope."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def cal_error_body(status: int, message: str, path: str, now: datetime) -> dict[str, Any]:
    code, name = ERROR_CODES.get(status, ("HttpException", "Error"))
    return {
        "status": "error",
        "timestamp": iso_ms(now),
        "path": path,
        "error": {
            "code": code,
            "message": message,
            "details": {"message": message, "error": name, "statusCode": status},
        },
    }


def maton_error(code: str, message: str) -> dict[str, Any]:
    """Maton's own errors (gateway and control plane): ``{"error": {code, message}}``."""
    return {"error": {"code": code, "message": message}}


# ---------------------------------------------------------------- time


def iso_ms(dt: datetime) -> str:
    """``2026-11-26T14:00:00.000Z`` (JavaScript's toISOString)."""
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def iso_s(dt: datetime) -> str:
    """``2026-11-26T14:00:00Z`` (webhook payload times)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_zone(dt: datetime, tz: str | None) -> str:
    """luxon's ``toISO()`` in ``tz``: ``Z`` for UTC, else ``2026-11-26T09:00:00.000-05:00``."""
    if not tz or tz in UTC_NAMES:
        return iso_ms(dt)
    local = dt.astimezone(zone(tz))
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    stamp = local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}"
    return f"{stamp}{sign}{hh:02d}:{mm:02d}"


def zone(tz: str) -> ZoneInfo:
    if tz in UTC_NAMES:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise bad(f"Invalid time zone: {tz}") from exc


def parse_instant(value: Any, *, field_name: str = "start") -> datetime:
    """An ISO 8601 instant; naive values and bare dates are UTC."""
    if not isinstance(value, str) or not value:
        raise bad(f"{field_name} must be a valid ISO 8601 date string")
    text = value.strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:
            parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise bad(f"{field_name} must be a valid ISO 8601 date string") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def utc_offset_minutes(tz: str, at: datetime) -> int:
    offset = at.astimezone(zone(tz)).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def new_uid(length: int = 22) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


# ---------------------------------------------------------------- records


@dataclass
class RecordedRequest:
    """One request the emulator received (gateway, control plane or OAuth page)."""

    method: str
    path: str  # full path, e.g. "/cal-com/v2/bookings" or "/connections"
    query: dict[str, Any]  # a value is a list when the parameter was repeated
    headers: dict[str, str]  # lower-case names
    json: Any  # parsed body, or None
    body: bytes
    connection_id: str | None  # the connection the gateway used (resolved), if any
    time: datetime
    status: int | None = None  # the status answered

    @property
    def api_path(self) -> str:
        """The path after ``/cal-com`` (``/v2/...``), or the path itself."""
        return self.path[len("/cal-com") :] if self.path.startswith("/cal-com/") else self.path


@dataclass
class Delivery:
    """One webhook delivery attempt."""

    url: str
    headers: dict[str, str]
    body: bytes
    status: int | None  # None when the receiver could not be reached
    trigger: str
    webhook_id: str
    booking_uid: str
    time: datetime
    error: str | None = None

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Fault:
    kind: str
    path: str | None
    times: int
    seconds: float
    group: int = 1  # "together": how many requests must be in flight at once
    released: threading.Event | None = None  # "hold": set by the test to answer


@dataclass
class Connection:
    connection_id: str
    status: str
    creation_time: datetime
    last_updated_time: datetime
    url: str
    app: str = "cal-com"
    metadata: dict[str, Any] = field(default_factory=dict)
    account_id: int | None = None
    expired: bool = False

    def to_json(self) -> dict[str, Any]:
        def stamp(dt: datetime) -> str:
            return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

        return {
            "connection_id": self.connection_id,
            "status": self.status,
            "creation_time": stamp(self.creation_time),
            "last_updated_time": stamp(self.last_updated_time),
            "url": self.url,
            "app": self.app,
            "metadata": dict(self.metadata),
        }


class Account:
    """A Cal.com user. Event types and schedules live in the emulator's stores."""

    def __init__(
        self, emu: CalcomEmulator, *, id: int, username: str, name: str, email: str, time_zone: str
    ) -> None:
        self._emu = emu
        self.id = id
        self.username = username
        self.name = name
        self.email = email
        self.time_zone = time_zone
        self.bio = ""
        self.avatar_url: str | None = None
        self.time_format = 12
        self.week_start = "Sunday"
        self.locale = "en"
        self.metadata: dict[str, Any] = {}
        self.default_schedule_id: int | None = None
        self.teams: list[dict[str, Any]] = []
        self.verified_emails: list[str] = [email]
        self.conferencing_apps: list[dict[str, Any]] = [
            {"id": emu.next_id("credential"), "type": "daily_video", "appId": "daily-video"}
        ]
        self.default_conferencing: dict[str, Any] = {
            "appSlug": "daily-video",
            "appLink": "https://app.cal.com/video",
        }
        self.calendars: list[dict[str, Any]] = [
            {
                "integration": "google_calendar",
                "credentialId": emu.next_id("credential"),
                "externalId": email,
                "name": email,
                "email": email,
            }
        ]

    @property
    def event_types(self) -> list[dict[str, Any]]:
        """This user's event types (the live internal records, ids included)."""
        return [et for et in self._emu.event_types.values() if et["ownerId"] == self.id]

    @property
    def schedules(self) -> list[dict[str, Any]]:
        return [s for s in self._emu.schedules.values() if s["ownerId"] == self.id]

    @property
    def schedule(self) -> dict[str, Any] | None:
        """The default schedule (internal record), or None."""
        if self.default_schedule_id is None:
            return None
        return self._emu.schedules.get(self.default_schedule_id)

    def event_type(self, slug: str) -> dict[str, Any]:
        for et in self.event_types:
            if et["slug"] == slug:
                return et
        raise KeyError(slug)

    def __repr__(self) -> str:
        return f"Account(id={self.id}, username={self.username!r})"
