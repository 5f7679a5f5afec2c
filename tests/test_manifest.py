"""`manifest.yml` against Slack's schema, and against the code both ways.

What the code registers is read from the real Bolt app's listeners (the closures Bolt's
built-in matchers keep), so a surface someone adds without a manifest entry, or a manifest
entry whose listener is gone, fails here with a message naming it and the side it is
missing from. The Web API methods the code calls are found by scanning `bot/` and mapped
to scopes with `METHOD_SCOPES` below.
"""

from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import load_settings
from bot.runtime import Runtime
from bot.slack.app import build_app
from bot.slack.install import BOT_SCOPES
from tests.reference import REFERENCE

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "manifest.yml"
SCHEMA = REFERENCE / "slack-manifest-schema" / "manifest.schema.1.0.0.json"
PLACEHOLDER = "https://calbot.example.com"

# Every Web API method calbot may call, and the bot scopes it needs for the way calbot
# uses it (Slack's method pages list them). A method the scan finds that is not here fails
# the test: add it with its scopes.
METHOD_SCOPES: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),
    "apps.connections.open": frozenset(),  # app-level token (connections:write), not a bot scope
    "oauth.v2.access": frozenset(),
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "chat.update": frozenset({"chat:write"}),
    "chat.delete": frozenset({"chat:write"}),
    "chat.scheduleMessage": frozenset({"chat:write"}),
    "chat.getPermalink": frozenset(),
    "conversations.open": frozenset({"im:write"}),
    # notification targets may be public or private channels
    "conversations.info": frozenset({"channels:read", "groups:read"}),
    "conversations.members": frozenset({"channels:read", "groups:read"}),
    "conversations.join": frozenset({"channels:join"}),
    # name and zone, and the email a booking's attendee needs
    "users.info": frozenset({"users:read", "users:read.email"}),
    "users.lookupByEmail": frozenset({"users:read.email"}),
    "usergroups.users.list": frozenset({"usergroups:read"}),  # `/cal find @design-team`
    "users.profile.get": frozenset({"users.profile:read"}),
    "team.info": frozenset({"team:read"}),
    "reactions.add": frozenset({"reactions:write"}),
    "views.open": frozenset(),
    "views.push": frozenset(),
    "views.update": frozenset(),
    "views.publish": frozenset(),
    # optional: bot/notify/once.py reads history only to avoid a double post, and works on
    # (Slack answers missing_scope) where a workspace did not grant it; never asked for
    "conversations.history": frozenset(),
    "chat.unfurl": frozenset({"links:write"}),
}
# Events need scopes too (Slack's event pages list them).
EVENT_SCOPES: dict[str, frozenset[str]] = {
    "link_shared": frozenset({"links:read"}),
    "user_change": frozenset({"users:read"}),
}
# Listeners of these kinds arrive through interactivity; `options` needs an options URL.
INTERACTIVE_KINDS = {
    "action",
    "block_action",
    "attachment_action",
    "view",
    "view_submission",
    "view_closed",
    "options",
    "block_suggestion",
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


# --------------------------------------------------------------------- the code's side


@dataclass
class Registered:
    """What the Bolt app listens for, by surface."""

    commands: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    global_shortcuts: set[str] = field(default_factory=set)
    message_shortcuts: set[str] = field(default_factory=set)
    shortcuts: set[str] = field(default_factory=set)  # app.shortcut(id): either type
    interactive: set[str] = field(default_factory=set)  # kinds seen
    unreadable: list[str] = field(default_factory=list)


def _innermost(func: Any) -> Any:
    """Bolt wraps each built-in matcher function once or twice; the constraint is inside."""
    while "func" in (nonlocals := inspect.getclosurevars(func).nonlocals):
        func = nonlocals["func"]
    return func


def _exact(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def registered_surfaces(app: Any) -> Registered:
    found = Registered()
    for listener in app._async_listeners:
        for matcher in listener.matchers:
            func = getattr(matcher, "func", None)
            if func is None:
                continue  # a custom matcher narrows a listener; it registers nothing new
            inner = _innermost(func)
            kind = inner.__qualname__.split(".<locals>")[0]
            values = inspect.getclosurevars(inner).nonlocals
            if kind == "command":
                name = _exact(values.get("command"))
                target = found.commands
            elif kind == "event":
                constraint = values.get("event_type") or (values.get("constraints") or {}).get(
                    "type"
                )
                name = _exact(constraint)
                target = found.events
            elif kind in ("global_shortcut", "message_shortcut", "shortcut"):
                name = _exact(values.get("callback_id"))
                target = {
                    "global_shortcut": found.global_shortcuts,
                    "message_shortcut": found.message_shortcuts,
                    "shortcut": found.shortcuts,
                }[kind]
            elif kind in INTERACTIVE_KINDS:
                found.interactive.add(kind)
                continue
            else:
                found.unreadable.append(f"{kind} listener {listener.ack_function.__name__}")
                continue
            if name is None:
                found.unreadable.append(f"{kind} listener matching a pattern: {values}")
            else:
                target.add(name)
    return found


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> Registered:
    path = tmp_path_factory.mktemp("manifest") / "calbot.db"
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-manifest",
            "SLACK_SIGNING_SECRET": "manifest-secret",
            "MATON_API_KEY": "manifest-key",
            "DATABASE_PATH": str(path),
        }
    )
    rt = Runtime.create(settings)
    try:
        return registered_surfaces(build_app(rt))
    finally:
        rt.store.close()


def test_the_listener_reader_understands_every_listener(registered: Registered) -> None:
    assert registered.unreadable == [], (
        "tests/test_manifest.py cannot tell what these listeners register, so it cannot "
        f"check them against manifest.yml: {registered.unreadable}; register exact ids, or "
        "teach registered_surfaces() the new kind"
    )
    assert "/cal" in registered.commands  # the reader works at all


# --------------------------------------------------------------------- schema and contracts


def test_manifest_validates_against_slacks_schema(manifest: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(manifest)
    ]
    assert errors == [], "manifest.yml breaks Slack's schema:\n" + "\n".join(errors)


def test_manifest_urls_are_the_placeholder_host_and_the_contract_routes(
    manifest: dict[str, Any],
) -> None:
    settings = manifest["settings"]
    events_url = f"{PLACEHOLDER}/slack/events"  # README, "HTTP routes": one URL for everything
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {events_url}
    assert settings["event_subscriptions"]["request_url"] == events_url
    assert settings["interactivity"]["request_url"] == events_url
    assert manifest["oauth_config"]["redirect_urls"] == [f"{PLACEHOLDER}/slack/oauth_redirect"]
    assert settings["socket_mode_enabled"] is False
    cal = next(c for c in manifest["features"]["slash_commands"] if c["command"] == "/cal")
    assert cal["should_escape"] is True  # the grammar expects <@U123|name> mentions
    assert cal["usage_hint"]


# --------------------------------------------------------------------- both ways


def _both_ways(what: str, in_code: set[str], in_manifest: set[str], where: str) -> list[str]:
    problems = []
    for name in sorted(in_code - in_manifest):
        problems.append(
            f"{what} {name!r} is registered in bot/ but missing from manifest.yml {where}"
        )
    for name in sorted(in_manifest - in_code):
        problems.append(
            f"{what} {name!r} is in manifest.yml {where} but no listener in bot/ handles it"
        )
    return problems


def test_commands_match(manifest: dict[str, Any], registered: Registered) -> None:
    listed = {c["command"] for c in manifest["features"].get("slash_commands", [])}
    problems = _both_ways("command", registered.commands, listed, "features.slash_commands")
    assert problems == [], "\n".join(problems)


def test_events_match(manifest: dict[str, Any], registered: Registered) -> None:
    listed = set(manifest["settings"].get("event_subscriptions", {}).get("bot_events", []))
    problems = _both_ways(
        "event", registered.events, listed, "settings.event_subscriptions.bot_events"
    )
    home = manifest["features"].get("app_home", {}).get("home_tab_enabled", False)
    if ("app_home_opened" in registered.events) != home:
        problems.append(
            "features.app_home.home_tab_enabled must be true exactly when the code handles "
            f"app_home_opened (enabled: {home}, handled: {'app_home_opened' in registered.events})"
        )
    assert problems == [], "\n".join(problems)


def test_shortcuts_match(manifest: dict[str, Any], registered: Registered) -> None:
    listed = manifest["features"].get("shortcuts", [])
    by_type = {
        kind: {s["callback_id"] for s in listed if s["type"] == kind}
        for kind in ("global", "message")
    }
    either = registered.shortcuts
    problems = _both_ways(
        "global shortcut",
        registered.global_shortcuts | (either & by_type["global"]),
        by_type["global"],
        "features.shortcuts (type: global)",
    )
    problems += _both_ways(
        "message shortcut",
        registered.message_shortcuts | (either & by_type["message"]),
        by_type["message"],
        "features.shortcuts (type: message)",
    )
    problems += [
        f"shortcut {name!r} is registered with app.shortcut() but missing from manifest.yml "
        "features.shortcuts"
        for name in sorted(either - by_type["global"] - by_type["message"])
    ]
    assert problems == [], "\n".join(problems)


def test_interactivity_matches(manifest: dict[str, Any], registered: Registered) -> None:
    interactivity = manifest["settings"].get("interactivity", {})
    uses = bool(
        registered.interactive
        or registered.global_shortcuts
        or registered.message_shortcuts
        or registered.shortcuts
    )
    assert interactivity.get("is_enabled", False) == uses, (
        f"settings.interactivity.is_enabled must be {uses}: the code registers "
        f"{sorted(registered.interactive) or 'no'} interactive listeners and "
        f"{'some' if uses else 'no'} shortcuts"
    )
    wants_options = bool(registered.interactive & {"options", "block_suggestion"})
    assert ("message_menu_options_url" in interactivity) == wants_options, (
        "settings.interactivity.message_menu_options_url is needed exactly when the code "
        "registers app.options()/block_suggestion listeners (external selects)"
    )


# --------------------------------------------------------------------- scopes


_CALL = re.compile(r"\.([a-z]+(?:_[A-Za-z0-9]+)+)\(")
_API_CALL = re.compile(r"api_call\(\s*[\"']([\w.]+)[\"']")
_SAY = re.compile(r"\bsay\(")


def _sdk_methods() -> set[str]:
    """Names of AsyncWebClient's Web API wrappers (`users_info`, `chat_postMessage`, ...)."""
    base = {name for cls in AsyncWebClient.__mro__[1:] for name in vars(cls)}
    return {n for n in vars(AsyncWebClient) if not n.startswith("_") and n not in base}


def called_methods() -> dict[str, set[str]]:
    """Web API method → the files under bot/ that call it."""
    sdk = _sdk_methods()
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        text = path.read_text()
        where = str(path.relative_to(ROOT))
        names = [n.replace("_", ".") for n in _CALL.findall(text) if n in sdk]
        names += _API_CALL.findall(text)
        if _SAY.search(text):
            names.append("chat.postMessage")  # Bolt's say() posts with the bot token
        for name in names:
            found.setdefault(name, set()).add(where)
    return found


def test_the_scan_finds_web_api_calls() -> None:
    calls = called_methods()
    assert "users.info" in calls  # bot/slack/people.py: a person's name, email and zone
    assert "oauth.v2.access" in calls  # bot/doctor.py checks the OAuth credentials


def test_every_called_method_is_covered_by_a_listed_scope(manifest: dict[str, Any]) -> None:
    listed = set(manifest["oauth_config"]["scopes"]["bot"])
    calls = called_methods()
    unknown = sorted(set(calls) - set(METHOD_SCOPES))
    assert unknown == [], "\n".join(
        f"{m} (called in {', '.join(sorted(calls[m]))}) is not in METHOD_SCOPES in "
        "tests/test_manifest.py: add it with the scopes Slack's method page lists"
        for m in unknown
    )
    missing = [
        f"{method} (called in {', '.join(sorted(files))}) needs {scope}: add it to "
        "manifest.yml oauth_config.scopes.bot and to BOT_SCOPES in bot/slack/install.py"
        for method, files in sorted(calls.items())
        for scope in sorted(METHOD_SCOPES[method] - listed)
    ]
    assert missing == [], "\n".join(missing)


def test_every_listed_scope_is_needed(manifest: dict[str, Any], registered: Registered) -> None:
    """The smallest set: each scope is needed by a call the code makes, or by `commands`."""
    listed = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = set().union(*(METHOD_SCOPES.get(m, frozenset()) for m in called_methods()))
    needed |= set().union(*(EVENT_SCOPES.get(e, frozenset()) for e in registered.events))
    shortcuts = registered.shortcuts | registered.global_shortcuts | registered.message_shortcuts
    if registered.commands or shortcuts:
        needed.add("commands")  # slash commands and shortcuts both need it
    unneeded = sorted(listed - needed)
    assert unneeded == [], (
        f"manifest.yml asks for scopes no code needs: {unneeded}; drop them (from "
        "BOT_SCOPES in bot/slack/install.py too), or map the method that needs them in "
        "METHOD_SCOPES"
    )


def test_bot_scopes_in_code_are_the_manifests(manifest: dict[str, Any]) -> None:
    """The OAuth install URL and `calbot doctor` use BOT_SCOPES; Slack uses the manifest."""
    listed = manifest["oauth_config"]["scopes"]["bot"]
    assert sorted(BOT_SCOPES) == sorted(listed), (
        f"BOT_SCOPES in bot/slack/install.py {sorted(BOT_SCOPES)} differs from manifest.yml "
        f"oauth_config.scopes.bot {sorted(listed)}"
    )


def test_events_have_their_scopes(manifest: dict[str, Any], registered: Registered) -> None:
    listed = set(manifest["oauth_config"]["scopes"]["bot"])
    missing = [
        f"event {event} needs scope {scope}"
        for event in sorted(registered.events)
        for scope in sorted(EVENT_SCOPES.get(event, frozenset()) - listed)
    ]
    assert missing == []


def test_unfurl_domains_are_the_codes(manifest: dict[str, Any], registered: Registered) -> None:
    """Slack sends link_shared only for the manifest's unfurl domains: the one the code
    reads (bot/services/unfurl.py) is there exactly when link_shared is handled."""
    from bot.services.unfurl import DOMAIN

    domains = manifest["features"].get("unfurl_domains", [])
    if "link_shared" in registered.events:
        assert domains == [DOMAIN]
    else:
        assert domains == []
