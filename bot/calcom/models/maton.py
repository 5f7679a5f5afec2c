"""Maton's control plane: a connection, not a Cal.com resource."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.calcom.models.fields import opt_str, parse_datetime


@dataclass(frozen=True)
class Connection:
    """A Maton connection. ``url`` carries a session token, so it is kept out of repr."""

    connection_id: str
    status: str  # PENDING, ACTIVE, FAILED
    url: str | None = field(default=None, repr=False)
    app: str = "cal-com"
    created: datetime | None = None
    updated: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Connection:
        return cls(
            connection_id=str(data.get("connection_id") or data.get("id") or ""),
            status=str(data.get("status") or "").upper(),
            url=opt_str(data.get("url")),
            app=str(data.get("app") or "cal-com"),
            created=parse_datetime(data.get("creation_time") or data.get("created")),
            updated=parse_datetime(data.get("last_updated_time") or data.get("updated")),
            metadata=data.get("metadata") if isinstance(data.get("metadata"), dict) else {},
        )

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"
