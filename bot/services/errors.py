"""Errors a service raises for a situation the user can act on; each carries its own message."""

from __future__ import annotations


class ServiceError(Exception):
    """A problem the user can fix; `user_message` is shown to them as it is."""

    user_message: str = "That didn't work."
    offer_connect: bool = False  # the reply carries a "Connect Cal.com" button

    def __init__(self, user_message: str | None = None):
        if user_message:
            self.user_message = user_message
        super().__init__(self.user_message)


class NotLinked(ServiceError):
    user_message = (
        "You haven't connected your Cal.com account yet. "
        "Run `/cal connect` (it takes a minute, once)."
    )
    offer_connect = True


class LinkPending(ServiceError):
    """The user started `/cal connect` but has not finished OAuth at Maton yet."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(
            "You haven't finished connecting Cal.com yet: open the link from `/cal connect`, "
            "approve access, then try again."
        )
