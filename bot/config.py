"""Every environment variable calbot reads, parsed once into a frozen settings object.

Parsing collects every problem before failing, so an operator fixes a broken
environment in one pass instead of one restart per missing variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse


@dataclass(frozen=True)
class Variable:
    name: str
    purpose: str
    default: str | None = None


VARIABLES: tuple[Variable, ...] = (
    Variable("SLACK_BOT_TOKEN", "bot token, xoxb-… (single-workspace mode)"),
    Variable("SLACK_SIGNING_SECRET", "verifies every request from Slack (Basic Information page)"),
    Variable(
        "SLACK_APP_TOKEN", "app-level token, xapp-…; when set, `calbot serve` uses Socket Mode"
    ),
    Variable(
        "SLACK_CLIENT_ID", "OAuth client id; with SLACK_CLIENT_SECRET, multi-workspace install"
    ),
    Variable("SLACK_CLIENT_SECRET", "OAuth client secret; with SLACK_CLIENT_ID"),
    Variable("SLACK_API_URL", "Slack Web API base URL", "https://slack.com/api/"),
    Variable("MATON_API_KEY", "the workspace's Maton API key (maton.ai/settings)"),
    Variable("MATON_GATEWAY_URL", "Maton gateway base URL", "https://gateway.maton.ai"),
    Variable("MATON_CTRL_URL", "Maton control-plane base URL", "https://ctrl.maton.ai"),
    Variable("PUBLIC_URL", "external https base URL of this server (booking notifications)"),
    Variable("DATABASE_PATH", "SQLite database file", "./calbot.db"),
    Variable("PORT", "HTTP port", "3000"),
    Variable("LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR", "INFO"),
    Variable("LOG_FORMAT", "text, or json for one JSON object a line", "text"),
)

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class Settings:
    """The parsed configuration. Secrets are excluded from repr so they never reach a log."""

    slack_signing_secret: str = ""
    maton_api_key: str = ""
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    maton_gateway_url: str = "https://gateway.maton.ai"
    maton_ctrl_url: str = "https://ctrl.maton.ai"
    public_url: str | None = None
    database_path: str = "./calbot.db"
    port: int = 3000
    log_level: str = "INFO"
    log_format: str = "text"

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def oauth(self) -> bool:
        """Multi-workspace mode: tokens come from installations, not SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def __repr__(self) -> str:
        return (
            f"Settings(mode={'socket' if self.socket_mode else 'http'}, oauth={self.oauth}, "
            f"slack_api_url={self.slack_api_url!r}, "
            f"maton_gateway_url={self.maton_gateway_url!r}, "
            f"public_url={self.public_url!r}, database_path={self.database_path!r}, "
            f"port={self.port})"
        )


class ConfigError(Exception):
    """Raised with every problem at once; `str()` is the message an operator reads."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = ["calbot cannot start; fix these environment variables:"]
        lines += [f"  - {p}" for p in problems]
        lines.append("See README.md, section 'Configuration'.")
        super().__init__("\n".join(lines))


def _purpose(name: str) -> str:
    return next(v.purpose for v in VARIABLES if v.name == name)


def _url(env: Mapping[str, str], name: str, problems: list[str], default: str | None) -> str | None:
    value = (env.get(name) or "").strip() or default
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(f"{name} is not an http(s) URL ({_purpose(name)})")
    return value


def load_settings(env: Mapping[str, str]) -> Settings:
    """Parse `env` (usually os.environ); raise ConfigError listing every problem."""
    problems: list[str] = []

    def get(name: str) -> str | None:
        return (env.get(name) or "").strip() or None

    def required(name: str) -> str:
        value = get(name)
        if value is None:
            problems.append(f"{name} is missing: {_purpose(name)}")
        return value or ""

    signing_secret = required("SLACK_SIGNING_SECRET")
    api_key = required("MATON_API_KEY")
    bot_token = get("SLACK_BOT_TOKEN")
    client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
    app_token = get("SLACK_APP_TOKEN")

    if bool(client_id) != bool(client_secret):
        problems.append("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together: set both or neither")
    if not bot_token and not (client_id and client_secret):
        problems.append(
            "SLACK_BOT_TOKEN is missing: bot token, xoxb-… "
            "(or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for multi-workspace install)"
        )
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must start with xoxb- (the Bot User OAuth Token)")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must start with xapp- (an app-level token)")

    slack_api_url = _url(env, "SLACK_API_URL", problems, "https://slack.com/api/") or ""
    if not slack_api_url.endswith("/"):
        slack_api_url += "/"
    gateway = _url(env, "MATON_GATEWAY_URL", problems, "https://gateway.maton.ai") or ""
    ctrl = _url(env, "MATON_CTRL_URL", problems, "https://ctrl.maton.ai") or ""
    public_url = _url(env, "PUBLIC_URL", problems, None)

    port_text = get("PORT") or "3000"
    port = 3000
    if port_text.isdigit() and 0 < int(port_text) < 65536:
        port = int(port_text)
    else:
        problems.append(f"PORT must be a number from 1 to 65535, not {port_text!r}")

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}")
    log_format = (get("LOG_FORMAT") or "text").lower()
    if log_format not in ("text", "json"):
        problems.append("LOG_FORMAT must be text or json")

    if problems:
        raise ConfigError(problems)
    return Settings(
        slack_signing_secret=signing_secret,
        maton_api_key=api_key,
        slack_bot_token=bot_token,
        slack_app_token=app_token,
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        slack_api_url=slack_api_url,
        maton_gateway_url=gateway.rstrip("/"),
        maton_ctrl_url=ctrl.rstrip("/"),
        public_url=public_url.rstrip("/") if public_url else None,
        database_path=get("DATABASE_PATH") or "./calbot.db",
        port=port,
        log_level=log_level,
        log_format=log_format,
    )
