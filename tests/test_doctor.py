"""`calbot doctor` against the emulators: all good, then each piece broken on its own."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import doctor
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, child_env, make_env
from tests.installing import install

CALBOT = Path(sys.executable).parent / "calbot"


def run_doctor(env: dict[str, str]) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = doctor.run(env, out)
    return status, out.getvalue().splitlines()


def status_of(lines: list[str], check: str) -> str:
    """The status word of `check`'s line (the first, when a check prints several)."""
    found = [line.split()[0] for line in lines if line.split("  ", 1)[-1].strip().startswith(check)]
    assert found, f"no {check!r} line in:\n" + "\n".join(lines)
    return found[0]


@pytest.fixture
def good_env(bot: Bot, tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator) -> dict:
    """The running bot's own environment: its database, its public URL."""
    return make_env(
        tmp_path, calcom, slack, PUBLIC_URL=bot.url, DATABASE_PATH=bot.rt.settings.database_path
    )


def test_a_good_configuration_passes_every_check(good_env: dict, slack: SlackEmulator) -> None:
    slack.add_app_token("xapp-1-good")
    status, lines = run_doctor({**good_env, "SLACK_APP_TOKEN": "xapp-1-good"})
    assert status == 0, "\n".join(lines)
    for check in (
        "configuration",
        "database",
        "slack:",
        "slack socket mode",
        "maton",
        "public url",
    ):
        assert status_of(lines, check) == "ok", "\n".join(lines)
    assert "Socket Mode" in lines[0]
    assert lines[-1] == "All checks passed."


def _narrow_token(slack: SlackEmulator) -> None:
    slack.add_team("T444", "xoxb-narrow", scopes="commands,chat:write")


def _no_usergroups(slack: SlackEmulator) -> None:
    """Installed before `/cal find` needed usergroups:read."""
    scopes = "commands,chat:write,users:read,users:read.email,channels:read,groups:read"
    slack.add_team("T445", "xoxb-before-find", scopes=f"{scopes},channels:join")


BROKEN: list[tuple[str, dict[str, str], Callable[[SlackEmulator], None] | None, str, str]] = [
    (
        "user groups scope missing",
        {"SLACK_BOT_TOKEN": "xoxb-before-find"},
        _no_usergroups,
        "slack:",
        "lacks scopes usergroups:read",
    ),
    ("bad bot token", {"SLACK_BOT_TOKEN": "xoxb-wrong"}, None, "slack:", "invalid_auth"),
    (
        "scopes missing",
        {"SLACK_BOT_TOKEN": "xoxb-narrow"},
        _narrow_token,
        "slack:",
        "lacks scopes users:read, users:read.email",
    ),
    (
        "bad app token",
        {"SLACK_APP_TOKEN": "xapp-1-wrong"},
        None,
        "slack socket mode",
        "invalid_auth",
    ),
    ("bad Maton key", {"MATON_API_KEY": "not-the-key"}, None, "maton", "MATON_API_KEY was refused"),
    (
        "nothing at PUBLIC_URL",
        {"PUBLIC_URL": "http://127.0.0.1:9"},
        None,
        "public url",
        "nothing answers http://127.0.0.1:9/healthz: 127.0.0.1 refused the connection",
    ),
]


@pytest.mark.parametrize(
    ("case", "override", "prepare", "check", "says"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_each_broken_piece_is_named_with_what_to_do(
    good_env: dict,
    slack: SlackEmulator,
    case: str,
    override: dict[str, str],
    prepare: Callable[[SlackEmulator], None] | None,
    check: str,
    says: str,
) -> None:
    if prepare is not None:
        prepare(slack)
    status, lines = run_doctor({**good_env, **override})
    assert status == 1
    assert status_of(lines, check) == "FAIL", "\n".join(lines)
    [line] = [x for x in lines if x.startswith("FAIL")]  # only the broken piece fails
    assert says in line
    assert lines[-1].startswith("1 check(s) failed")


def test_public_url_answered_by_something_else(good_env: dict, slack: SlackEmulator) -> None:
    status, lines = run_doctor({**good_env, "PUBLIC_URL": slack.base_url or ""})
    assert status == 1
    assert "answered 404, not calbot's health check" in next(x for x in lines if "public url" in x)


def test_a_missing_database_fails_with_what_to_do_and_is_not_created(
    good_env: dict, tmp_path: Path
) -> None:
    missing = tmp_path / "calbot-new.db"
    status, lines = run_doctor({**good_env, "DATABASE_PATH": str(missing)})
    assert status == 1 and status_of(lines, "database") == "FAIL"
    line = next(x for x in lines if "database" in x)
    assert "does not exist" in line and "calbot migrate" in line
    assert not missing.exists()  # a check creates nothing

    in_no_dir = tmp_path / "no" / "such" / "dir" / "calbot.db"
    status, lines = run_doctor({**good_env, "DATABASE_PATH": str(in_no_dir)})
    line = next(x for x in lines if "database" in x)
    assert status == 1 and "directory" in line and "does not exist" in line
    assert not (tmp_path / "no").exists()


def test_a_database_not_migrated_is_reported_and_left_as_it_was(
    good_env: dict, tmp_path: Path
) -> None:
    # A file some other tool made, in SQLite's default rollback-journal mode.
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table notes (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()

    status, lines = run_doctor({**good_env, "DATABASE_PATH": str(other)})
    assert status == 1
    line = next(x for x in lines if "database" in x)
    assert "migration(s) are pending" in line and "calbot migrate" in line
    assert other.read_bytes() == before  # not switched to WAL, nothing migrated
    conn = sqlite3.connect(other)
    try:
        assert conn.execute("pragma journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()

    (tmp_path / "junk.db").write_text("not a database " * 100)
    status, lines = run_doctor({**good_env, "DATABASE_PATH": str(tmp_path / "junk.db")})
    assert status == 1 and "cannot read" in next(x for x in lines if "database" in x)


def test_a_configuration_error_lists_every_problem(good_env: dict) -> None:
    env = {k: v for k, v in good_env.items() if k not in ("SLACK_SIGNING_SECRET", "MATON_API_KEY")}
    status, lines = run_doctor({**env, "PORT": "nope"})
    assert status == 1
    failing = [x for x in lines if x.startswith("FAIL")]
    assert len(failing) == 3 and all(x.startswith("FAIL  configuration: ") for x in failing)
    assert len(lines) == 4  # the three, the summary: nothing else was tried


def test_multi_workspace_checks_the_client_and_every_installation(
    good_env: dict, slack: SlackEmulator, bot: Bot
) -> None:
    env = {
        **good_env,
        "SLACK_BOT_TOKEN": "",
        "SLACK_CLIENT_ID": slack.client_id,
        "SLACK_CLIENT_SECRET": slack.client_secret,
    }
    status, lines = run_doctor(env)
    assert status == 0, "\n".join(lines)
    assert status_of(lines, "slack oauth") == "ok"
    assert status_of(lines, "slack installs") == "warn"  # nobody installed yet: not a failure
    assert "/slack/install" in next(x for x in lines if "slack installs" in x)

    status, lines = run_doctor({**env, "SLACK_CLIENT_SECRET": "wrong"})
    assert status == 1 and "bad_client_secret" in next(x for x in lines if "slack oauth" in x)


def test_multi_workspace_checks_each_installed_workspace(
    oauth_bot: Bot,
    tmp_path: Path,
    calcom: CalcomEmulator,
    slack: SlackEmulator,
) -> None:
    install(oauth_bot, slack, "T222", "xoxb-beta")
    install(oauth_bot, slack, "T333", "xoxb-gamma")
    slack.revoke_token("xoxb-gamma")
    env = make_env(
        tmp_path,
        calcom,
        slack,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID=slack.client_id,
        SLACK_CLIENT_SECRET=slack.client_secret,
        PUBLIC_URL=oauth_bot.url,
        DATABASE_PATH=oauth_bot.rt.settings.database_path,
    )
    status, lines = run_doctor(env)
    assert status == 1
    assert status_of(lines, "slack T222") == "ok"
    gamma = next(x for x in lines if "slack T333" in x)
    assert gamma.startswith("FAIL") and "token_revoked" in gamma and "/slack/install" in gamma


def test_calbot_doctor_command_exits_non_zero_on_failure(good_env: dict) -> None:
    env = child_env(**{**good_env, "MATON_API_KEY": "not-the-key"})
    done = subprocess.run(
        [str(CALBOT), "doctor"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL  maton: MATON_API_KEY was refused" in done.stdout
    assert "ok    slack: " in done.stdout


OFFLINE_DNS = Path(__file__).resolve().parent / "offline_dns"


def test_slack_unreachable_says_what_to_check_without_a_library_dump(good_env: dict) -> None:
    """A Slack URL whose name does not resolve, and one where nothing listens: each check
    that talks to Slack says so in words and names what to check."""
    for url, says in (
        ("http://slack.calbot-test.invalid/api/", "does not resolve"),
        ("http://127.0.0.1:9/api/", "refused the connection"),
    ):
        env = child_env(**{**good_env, "SLACK_API_URL": url, "SLACK_APP_TOKEN": "xapp-1-x"})
        env["PYTHONPATH"] = f"{OFFLINE_DNS}:{env['PYTHONPATH']}"
        done = subprocess.run(
            [str(CALBOT), "doctor"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 1, done.stdout + done.stderr
        slack = [x for x in done.stdout.splitlines() if x.startswith("FAIL  slack")]
        assert len(slack) == 2, done.stdout  # the bot token and the Socket Mode token
        for line in slack:
            assert f"cannot reach Slack at {url}: " in line and says in line, line
            assert "unset SLACK_API_URL" in line
        assert "Error(" not in done.stdout and "Traceback" not in done.stderr
        assert "ClientConnector" not in done.stdout + done.stderr
        assert "ok    maton" in done.stdout  # only Slack is named


def test_maton_unreachable_says_what_to_check(good_env: dict) -> None:
    status, lines = run_doctor({**good_env, "MATON_CTRL_URL": "http://127.0.0.1:9"})
    assert status == 1
    line = next(x for x in lines if x.split()[1] == "maton:")
    assert line.startswith("FAIL  maton: cannot reach Maton at http://127.0.0.1:9: ")
    assert "refused the connection" in line and "Error(" not in line
