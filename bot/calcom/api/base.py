"""What every Cal.com resource mixin shares: the call, Cal.com's envelope, field names.

``ApiBase._call`` is the one place that adds the ``Maton-Connection`` and
``cal-api-version`` headers; the resource mixins only say which path, which version and
which model. The readers (``data_of``, ``one_of``, ``many_of``) accept the shapes of both
the versioned handlers and the legacy ones, because which of them answers depends on the
header reaching Cal.com.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from bot.calcom.transport import Transport

V_BOOKINGS = "2024-08-13"
V_EVENT_TYPES = "2024-06-14"
V_SCHEDULES = "2024-06-11"
V_SLOTS = "2024-09-04"

T = TypeVar("T")
Build = Callable[[dict[str, Any]], T]


def seg(value: Any) -> str:
    """A value as one URL path segment."""
    return quote(str(value), safe="")


def data_of(body: Any) -> Any:
    """The ``data`` of Cal.com's ``{status, data}`` envelope (the body itself if bare)."""
    if (
        isinstance(body, dict)
        and "data" in body
        and ("status" in body or "pagination" in body or len(body) == 1)
    ):
        return body["data"]
    return body


def one_of(data: Any) -> dict[str, Any]:
    """A single object; recurring answers come as a list of occurrences: take the first."""
    if isinstance(data, list):
        data = data[0] if data else {}
    return data if isinstance(data, dict) else {}


def many_of(data: Any, *keys: str) -> list[dict[str, Any]]:
    """A list of objects, also when wrapped in a dict under one of ``keys``."""
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, dict)]


def map_fields(fields: Mapping[str, Any], names: Mapping[str, str], what: str) -> dict[str, Any]:
    """Python-spelled fields as the spec's names, None dropped; a change of nothing is refused.

    Unknown names are a TypeError, as an unexpected keyword argument would be.
    """
    unknown = sorted(set(fields) - set(names))
    if unknown:
        raise TypeError(f"{what}: unknown field(s) {', '.join(unknown)}")
    body = {names[k]: v for k, v in fields.items() if v is not None}
    if not body:
        raise ValueError(f"{what}: nothing to change")
    return body


class ApiBase:
    """The transport and the helpers the resource mixins build on; CalcomClient sets ``_t``."""

    _t: Transport

    async def _call(
        self,
        conn: str,
        method: str,
        path: str,
        *,
        version: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        if not conn:
            raise ValueError("a Maton connection id is required")
        headers = {"Maton-Connection": conn}
        if version:
            headers["cal-api-version"] = version
        return await self._t.request(method, path, params=params, json=json, headers=headers)

    async def _one(
        self,
        build: Build[T],
        conn: str,
        method: str,
        path: str,
        *,
        version: str | None = None,
        json: Any = None,
    ) -> T:
        """One object of the answer, as the model ``build`` makes it."""
        body = await self._call(conn, method, path, version=version, json=json)
        return build(one_of(data_of(body)))

    async def _many(
        self, build: Build[T], conn: str, path: str, *keys: str, version: str | None = None
    ) -> list[T]:
        """``GET path``: a list of the answer's objects (found under ``keys`` if wrapped)."""
        body = await self._call(conn, "GET", path, version=version)
        return [build(item) for item in many_of(data_of(body), *keys)]
