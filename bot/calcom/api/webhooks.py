"""Webhooks: the user's own (``/v2/webhooks``) and an event type's
(``/v2/event-types/{id}/webhooks``). No ``cal-api-version``.

Both families take the same fields and answer the same shape, so each operation is written
once against a base path, and the public methods only name the family.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Required, TypedDict, Unpack

from bot.calcom.api.base import ApiBase, seg
from bot.calcom.models import WEBHOOK_TRIGGERS, Webhook

_USER_HOOKS = "/v2/webhooks"


class NewWebhook(TypedDict, total=False):
    """The keywords of ``create_webhook`` and ``create_event_type_webhook``."""

    subscriber_url: Required[str]
    triggers: Required[Iterable[str]]
    secret: Required[str | None]
    active: bool  # True when not given
    payload_template: str | None


class WebhookChanges(TypedDict, total=False):
    """The keywords of ``update_webhook`` and ``update_event_type_webhook``; None skips."""

    subscriber_url: str | None
    triggers: Iterable[str] | None
    secret: str | None
    active: bool | None
    payload_template: str | None


class WebhooksApi(ApiBase):
    # ---------------------------------------------------------------- user webhooks

    async def webhooks(self, conn: str) -> list[Webhook]:
        """``GET /v2/webhooks``."""
        return await self._many(Webhook.from_api, conn, _USER_HOOKS, "webhooks")

    async def webhook(self, conn: str, wh_id: str) -> Webhook:
        """``GET /v2/webhooks/{id}``."""
        return await self._hook(conn, "GET", _USER_HOOKS, wh_id)

    async def create_webhook(self, conn: str, **spec: Unpack[NewWebhook]) -> Webhook:
        """``POST /v2/webhooks``. A second webhook with the same URL is a ``Conflict``."""
        return await self._hook(conn, "POST", _USER_HOOKS, json=_webhook_body(**spec))

    async def update_webhook(
        self, conn: str, wh_id: str, **changes: Unpack[WebhookChanges]
    ) -> Webhook:
        """``PATCH /v2/webhooks/{id}`` with the fields given."""
        return await self._hook(conn, "PATCH", _USER_HOOKS, wh_id, json=_webhook_patch(**changes))

    async def delete_webhook(self, conn: str, wh_id: str) -> None:
        """``DELETE /v2/webhooks/{id}``."""
        await self._call(conn, "DELETE", _hook_path(_USER_HOOKS, wh_id))

    # ---------------------------------------------------------- event-type webhooks

    async def event_type_webhooks(self, conn: str, et_id: int) -> list[Webhook]:
        """``GET /v2/event-types/{id}/webhooks``."""
        return await self._many(Webhook.from_api, conn, _et_hooks(et_id), "webhooks")

    async def event_type_webhook(self, conn: str, et_id: int, wh_id: str) -> Webhook:
        """``GET /v2/event-types/{id}/webhooks/{webhookId}``."""
        return await self._hook(conn, "GET", _et_hooks(et_id), wh_id)

    async def create_event_type_webhook(
        self, conn: str, et_id: int, **spec: Unpack[NewWebhook]
    ) -> Webhook:
        """``POST /v2/event-types/{id}/webhooks``. A second webhook with the same URL is a
        ``Conflict``."""
        return await self._hook(conn, "POST", _et_hooks(et_id), json=_webhook_body(**spec))

    async def update_event_type_webhook(
        self, conn: str, et_id: int, wh_id: str, **changes: Unpack[WebhookChanges]
    ) -> Webhook:
        """``PATCH /v2/event-types/{id}/webhooks/{webhookId}`` with the fields given."""
        body = _webhook_patch(**changes)
        return await self._hook(conn, "PATCH", _et_hooks(et_id), wh_id, json=body)

    async def delete_event_type_webhook(self, conn: str, et_id: int, wh_id: str) -> None:
        """``DELETE /v2/event-types/{id}/webhooks/{webhookId}``."""
        await self._call(conn, "DELETE", _hook_path(_et_hooks(et_id), wh_id))

    # ----------------------------------------------------------------------- shared

    async def _hook(
        self, conn: str, method: str, base: str, wh_id: str | None = None, *, json: Any = None
    ) -> Webhook:
        """One webhook of the family at ``base``: read, made or changed."""
        return await self._one(Webhook.from_api, conn, method, _hook_path(base, wh_id), json=json)


def _et_hooks(et_id: int) -> str:
    return f"/v2/event-types/{seg(et_id)}/webhooks"


def _hook_path(base: str, wh_id: str | None) -> str:
    return base if wh_id is None else f"{base}/{seg(wh_id)}"


def _triggers(triggers: Iterable[str]) -> list[str]:
    out = [str(t).upper() for t in triggers]
    if not out:
        raise ValueError("a webhook needs at least one trigger")
    bad = [t for t in out if t not in WEBHOOK_TRIGGERS]
    if bad:
        raise ValueError(f"not Cal.com webhook triggers: {', '.join(bad)}")
    return out


def _webhook_body(
    *,
    subscriber_url: str,
    triggers: Iterable[str],
    secret: str | None,
    active: bool = True,
    payload_template: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subscriberUrl": subscriber_url,
        "triggers": _triggers(triggers),
        "active": bool(active),
    }
    if secret:
        body["secret"] = secret
    if payload_template is not None:
        body["payloadTemplate"] = payload_template
    return body


def _webhook_patch(
    *,
    subscriber_url: str | None = None,
    triggers: Iterable[str] | None = None,
    secret: str | None = None,
    active: bool | None = None,
    payload_template: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if subscriber_url is not None:
        body["subscriberUrl"] = subscriber_url
    if triggers is not None:
        body["triggers"] = _triggers(triggers)
    if secret is not None:
        body["secret"] = secret
    if active is not None:
        body["active"] = bool(active)
    if payload_template is not None:
        body["payloadTemplate"] = payload_template
    if not body:
        raise ValueError("nothing to change")
    return body
