"""The OAuth routes (`GET /slack/install`, `GET /slack/oauth_redirect`) are reachable by
anyone, before any signature or state is checked. A GET carries no body a browser would
send, so the bot must answer without reading one: Bolt's Starlette adapter read the whole
body first, however long the declared Content-Length, holding it all in memory (and not
answering until the last byte). Raw sockets over loopback to the app as served."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot

DECLARED = 1024 * 1024 * 1024  # a gigabyte announced, a kilobyte sent


def _get_with_endless_body(bot: Bot, target: str) -> bytes:
    """GET `target` declaring a huge body and sending only its first kilobyte: the status
    line the bot answers with (a bot waiting for the rest times out)."""
    url = urlsplit(bot.url)
    head = (
        f"GET {target} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {DECLARED}\r\n\r\n"
    )
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode() + b"x" * 1024)
        answer = b""
        while b"\r\n" not in answer:
            try:
                received = sock.recv(4096)
            except TimeoutError:
                break
            if not received:
                break
            answer += received
    return answer.partition(b"\r\n")[0]


def test_the_install_page_answers_without_reading_a_body(oauth_bot: Bot) -> None:
    status_line = _get_with_endless_body(oauth_bot, "/slack/install")
    assert status_line.startswith(b"HTTP/1.1 200"), status_line  # the "Add to Slack" page


def test_the_redirect_answers_without_reading_a_body(oauth_bot: Bot, slack: SlackEmulator) -> None:
    status_line = _get_with_endless_body(oauth_bot, "/slack/oauth_redirect?code=x&state=forged")
    assert status_line.split()[1:2] == [b"400"], status_line  # no browser state: refused
    assert slack.calls_to("oauth.v2.access") == []
