"""The request context handlers get, the ``@route`` table and small validators."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .model import Account, ApiError, Connection, bad

BOOKINGS_V = "2024-08-13"
EVENT_TYPES_V = "2024-06-14"
SCHEDULES_V = "2024-06-11"
SLOTS_V = "2024-09-04"
LEGACY_V = "2024-04-15"

Handler = Callable[..., tuple[int, Any]]


def route(method: str, template: str, *, version: str | None = None) -> Callable:
    """Mark a method as the handler of ``method template`` (template relative to /cal-com).

    ``version``: the route exists only when ``cal-api-version`` equals it (as NestJS's
    version-specific controllers do); without it Cal.com answers 404 "Cannot GET ...".
    """

    def mark(fn: Callable) -> Callable:
        fn._calcom_route = (method, template, version)  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass
class CompiledRoute:
    method: str
    template: str
    regex: re.Pattern[str]
    literal: int
    version: str | None
    attr: str


def compile_routes(cls: type) -> list[CompiledRoute]:
    routes = []
    for klass in cls.__mro__:
        for attr, fn in vars(klass).items():
            spec = getattr(fn, "_calcom_route", None)
            if spec is None:
                continue
            method, template, version = spec
            segments = template.strip("/").split("/")
            pattern = "^/" + "/".join(
                f"(?P<{s[1:-1]}>[^/]+)" if s.startswith("{") else re.escape(s) for s in segments
            )
            literal = sum(1 for s in segments if not s.startswith("{"))
            routes.append(
                CompiledRoute(method, template, re.compile(pattern + "/?$"), literal, version, attr)
            )
    routes.sort(key=lambda r: (-r.literal, -len(r.template)))
    return routes


@dataclass
class Ctx:
    """One authenticated gateway request, as a handler sees it."""

    method: str
    path: str  # "/v2/..."
    params: dict[str, str]
    query: dict[str, Any]
    headers: dict[str, str]
    body: Any
    user: Account
    connection: Connection
    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    @property
    def version(self) -> str | None:
        return self.headers.get("cal-api-version")

    def q(self, name: str, default: str | None = None) -> str | None:
        value = self.query.get(name, default)
        if isinstance(value, list):
            return value[-1] if value else default
        return value

    def q_list(self, name: str) -> list[str]:
        value = self.query.get(name)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        return [part.strip() for v in values for part in str(v).split(",") if part.strip()]

    def q_int(self, name: str, default: int) -> int:
        value = self.q(name)
        if value is None or value == "":
            return default
        try:
            number = float(value)
        except ValueError as exc:
            raise bad(f"{name} must be a number conforming to the specified constraints") from exc
        return int(number)

    def obj(self) -> dict[str, Any]:
        """The JSON body as an object (400 otherwise)."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise bad("Request body must be a JSON object")
        return self.body

    def emit(self, trigger: str, uid: str, **extra: Any) -> None:
        """Queue a webhook trigger, delivered after the response is sent."""
        self.events.append((trigger, uid, extra))


def ok(data: Any, status: int = 200) -> tuple[int, dict[str, Any]]:
    return status, {"status": "success", "data": data}


def need(body: dict[str, Any], name: str, kind: type | tuple[type, ...], what: str) -> Any:
    """A required body field of a given JSON type, else Cal.com's validation 400."""
    value = body.get(name)
    if value is None:
        raise bad(f"{name} must be {what}")
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise bad(f"{name} must be {what}")
    if not isinstance(value, kind):
        raise bad(f"{name} must be {what}")
    return value


def maybe(body: dict[str, Any], name: str, kind: type | tuple[type, ...], what: str) -> Any:
    if name not in body or body[name] is None:
        return None
    return need(body, name, kind, what)


def int_param(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ApiError(400, f"Validation failed (numeric string is expected) for {name}") from exc
