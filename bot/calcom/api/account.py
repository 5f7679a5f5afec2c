"""The connected user's profile and account lookups: calendars, conferencing, teams, emails.

These endpoints have no ``cal-api-version``: the spec documents none for them.
"""

from __future__ import annotations

from bot.calcom.api.base import ApiBase, data_of, many_of, map_fields
from bot.calcom.errors import NotFound
from bot.calcom.models import (
    Calendars,
    ConferencingApp,
    DefaultConferencing,
    Me,
    Team,
    VerifiedEmail,
)

_ME_FIELDS = {
    "name": "name",
    "bio": "bio",
    "time_zone": "timeZone",
    "email": "email",
    "time_format": "timeFormat",
    "week_start": "weekStart",
    "default_schedule_id": "defaultScheduleId",
    "locale": "locale",
    "avatar_url": "avatarUrl",
}


class AccountApi(ApiBase):
    async def me(self, conn: str) -> Me:
        """``GET /v2/me``."""
        return await self._one(Me.from_api, conn, "GET", "/v2/me")

    async def update_me(
        self,
        conn: str,
        *,
        name: str | None = None,
        bio: str | None = None,
        time_zone: str | None = None,
        email: str | None = None,
        time_format: int | None = None,
        week_start: str | None = None,
        default_schedule_id: int | None = None,
        locale: str | None = None,
        avatar_url: str | None = None,
    ) -> Me:
        """``PATCH /v2/me`` with the fields given (None leaves a field as it is)."""
        body = map_fields(
            {
                "name": name,
                "bio": bio,
                "time_zone": time_zone,
                "email": email,
                "time_format": time_format,
                "week_start": week_start,
                "default_schedule_id": default_schedule_id,
                "locale": locale,
                "avatar_url": avatar_url,
            },
            _ME_FIELDS,
            "update_me",
        )
        return await self._one(Me.from_api, conn, "PATCH", "/v2/me", json=body)

    async def calendars(self, conn: str) -> Calendars:
        """``GET /v2/calendars``."""
        data = data_of(await self._call(conn, "GET", "/v2/calendars"))
        return Calendars.from_api(data if isinstance(data, dict) else {})

    async def conferencing_apps(self, conn: str) -> list[ConferencingApp]:
        """``GET /v2/conferencing``: installed conferencing apps."""
        return await self._many(ConferencingApp.from_api, conn, "/v2/conferencing")

    async def default_conferencing(self, conn: str) -> DefaultConferencing | None:
        """``GET /v2/conferencing/default``; None when none is set."""
        try:
            data = data_of(await self._call(conn, "GET", "/v2/conferencing/default"))
        except NotFound:
            return None
        if not isinstance(data, dict) or not (data.get("appSlug") or data.get("appLink")):
            return None
        return DefaultConferencing.from_api(data)

    async def teams(self, conn: str) -> list[Team]:
        """``GET /v2/teams``."""
        return await self._many(Team.from_api, conn, "/v2/teams", "teams")

    async def verified_emails(self, conn: str) -> list[VerifiedEmail]:
        """``GET /v2/verified-resources/emails``."""
        data = data_of(await self._call(conn, "GET", "/v2/verified-resources/emails"))
        if isinstance(data, dict) and "email" in data:
            data = [data]
        return [VerifiedEmail.from_api(e) for e in many_of(data, "emails", "verifiedEmails")]
