"""Maton's control plane: the Cal.com connections (one per linked Slack user).

``POST {ctrl}/connections {"app": "cal-com"}`` answers ``{connection: {connection_id,
status: "PENDING", url, ...}}``; the user opens ``url`` to approve access, after which the
status is ``ACTIVE`` and the id works as the gateway's ``Maton-Connection`` header.

Errors are the ``bot.calcom.errors`` family (401 ``BadApiKey``, 404 ``NotFound``, 5xx
``UpstreamFailure``...); retries as in ``bot.calcom.transport`` (creating is a POST and is
never repeated once it may have reached Maton).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import quote

import httpx

from bot.calcom.models import Connection
from bot.calcom.transport import Monotonic, Sleep, Transport

APP = "cal-com"


def _connection(body: Any) -> Connection:
    data = body.get("connection", body) if isinstance(body, dict) else {}
    return Connection.from_api(data if isinstance(data, dict) else {})


class MatonConnections:
    """The Maton control plane, for the ``cal-com`` app."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        ctrl_url: str,
        api_key: str,
        sleep: Sleep = asyncio.sleep,
        clock: Monotonic = time.monotonic,
        timeout: httpx.Timeout | None = None,
    ):
        self._t = Transport(
            http,
            base_url=ctrl_url,
            api_key=api_key,
            plane="ctrl",
            sleep=sleep,
            clock=clock,
            timeout=timeout,
        )

    def __repr__(self) -> str:
        return f"MatonConnections({self._t!r})"

    async def list(self, app: str = APP, status: str | None = None) -> list[Connection]:
        """``GET /connections?app=&status=`` (status: PENDING, ACTIVE, FAILED)."""
        body = await self._t.request("GET", "/connections", params={"app": app, "status": status})
        items = body.get("connections", []) if isinstance(body, dict) else body
        if not isinstance(items, list):
            return []
        return [Connection.from_api(c) for c in items if isinstance(c, dict)]

    async def create(self, app: str = APP) -> Connection:
        """``POST /connections``: a PENDING connection whose ``url`` the user must open."""
        return _connection(await self._t.request("POST", "/connections", json={"app": app}))

    async def get(self, connection_id: str) -> Connection:
        """``GET /connections/{id}``; ``NotFound`` when Maton does not know it."""
        return _connection(
            await self._t.request("GET", f"/connections/{quote(connection_id, safe='')}")
        )

    async def delete(self, connection_id: str) -> None:
        """``DELETE /connections/{id}``."""
        await self._t.request("DELETE", f"/connections/{quote(connection_id, safe='')}")
