"""The admin commands: `calbot link`, `calbot links`, `calbot migrate`, each run with only
the variables it needs, against the Cal.com emulator and the bot's own database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import VARIABLES
from bot.store import Store
from tests.emulators.calcom import CalcomEmulator
from tests.helpers import MATON_KEY, Bot, child_env
from tests.slackdriver import text_of

CALBOT = Path(sys.executable).parent / "calbot"


def calbot(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`calbot ARGS` with nothing in its environment but PATH and `env`."""
    return subprocess.run(
        [str(CALBOT), *args],
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_link_then_links_and_migrate_need_only_their_own_variables(
    bot: Bot, calcom: CalcomEmulator
) -> None:
    calcom.add_account(
        username="sam", name="Sam Jones", email="sam@acme.test", time_zone="Europe/Paris"
    )
    connection = calcom.add_connection("sam").connection_id
    database = bot.rt.settings.database_path

    done = calbot(
        "link",
        "--team",
        "T111",
        "U1",
        connection,
        MATON_API_KEY=MATON_KEY,
        MATON_GATEWAY_URL=calcom.base_url or "",
        DATABASE_PATH=database,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("linked T111/U1 to Cal.com user sam (Sam Jones, ")
    [me] = [r for r in calcom.gateway_requests() if r.path == "/cal-com/v2/me"]
    assert me.headers["maton-connection"] == connection

    listed = calbot("links", DATABASE_PATH=database)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == f"T111\tU1\tACTIVE\tsam\tsam@acme.test\t{connection}\n"
    migrated = calbot("migrate", DATABASE_PATH=database)
    assert (migrated.returncode, migrated.stdout) == (0, "already up to date\n")

    # The running bot uses the link at once: no /cal connect for U1.
    status = text_of(bot.slack.reply(bot.slack.command("status")))
    assert "Sam Jones" in status and "Europe/Paris" in status


@pytest.fixture
def admin_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, calcom: CalcomEmulator) -> Path:
    """An environment with the three variables `calbot link` reads, and nothing else."""
    for variable in VARIABLES:
        monkeypatch.delenv(variable.name, raising=False)
    database = tmp_path / "admin.db"
    monkeypatch.setenv("MATON_API_KEY", MATON_KEY)
    monkeypatch.setenv("MATON_GATEWAY_URL", calcom.base_url or "")
    monkeypatch.setenv("DATABASE_PATH", str(database))
    return database


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def links_in(database: Path) -> list[tuple[str, str, str]]:
    store = Store(database)
    try:
        return [(x.user_id, x.connection_id, x.status) for x in store.links()]
    finally:
        store.close()


def test_link_refuses_a_connection_that_is_not_active(
    admin_env: Path, calcom: CalcomEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    pending = calcom.add_connection().connection_id  # OAuth not completed at Maton
    status, _, err = run(["link", "--team", "T111", "U1", pending], capsys)
    assert status == 1
    assert f"connection {pending} is not ACTIVE at Maton" in err and "finish OAuth" in err

    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    expired = calcom.add_connection("sam").connection_id
    calcom.expire_connection(expired)
    status, _, err = run(["link", "--team", "T111", "U1", expired], capsys)
    assert status == 1 and "has expired" in err
    assert links_in(admin_env) == []


def test_link_takes_the_only_workspace_known_and_refuses_a_connection_in_use(
    admin_env: Path, calcom: CalcomEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("sam", "alice"):
        calcom.add_account(username=name, name=name.title(), email=f"{name}@acme.test")
    sams, alices = (calcom.add_connection(n).connection_id for n in ("sam", "alice"))

    status, _, err = run(["link", "U1", sams], capsys)  # an empty database names no team
    assert status == 1 and "give --team" in err
    assert run(["link", "--team", "T111", "U1", sams], capsys)[0] == 0
    status, out, _ = run(["link", "U2", alices], capsys)  # T111, the one it knows now
    assert status == 0 and out.startswith("linked T111/U2 to Cal.com user alice")

    status, _, err = run(["link", "U3", sams], capsys)
    assert status == 1 and "already linked to T111/U1" in err
    status, out, _ = run(["link", "U1", alices + "-x"], capsys)  # Maton does not know it
    assert status == 1
    assert links_in(admin_env) == [("U1", sams, "ACTIVE"), ("U2", alices, "ACTIVE")]


def test_link_without_the_maton_key_lists_what_is_missing(
    admin_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MATON_API_KEY")
    status, _, err = run(["link", "--team", "T111", "U1", "conn-1"], capsys)
    assert status == 2 and "MATON_API_KEY is missing" in err
    assert not admin_env.exists()


# ------------------------------------------------------------ mistakes an operator makes


def test_version_is_the_installed_package_version() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    done = calbot("--version")
    assert (done.returncode, done.stdout) == (0, f"calbot {pyproject['project']['version']}\n")


@pytest.mark.parametrize("command", ["migrate", "serve", "link"])
def test_a_database_in_a_missing_directory_is_a_clear_error(
    command: str, tmp_path: Path, calcom: CalcomEmulator
) -> None:
    missing = tmp_path / "no" / "such" / "calbot.db"
    env = {
        "DATABASE_PATH": str(missing),
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s" * 32,
        "MATON_API_KEY": MATON_KEY,
        "MATON_GATEWAY_URL": calcom.base_url or "",
    }
    args = ["link", "--team", "T1", "U1", "conn-1"] if command == "link" else [command]
    done = calbot(*args, **env)
    assert done.returncode == 2, done.stderr
    assert f"directory {missing.parent} does not exist" in done.stderr
    assert "create the directory" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "no").exists()


def test_links_with_a_mistyped_database_path_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "calbto.db"
    done = calbot("links", DATABASE_PATH=str(typo))
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"there is no database at {typo}: check DATABASE_PATH" in done.stderr
    assert not typo.exists()
    assert list(tmp_path.iterdir()) == []  # no -wal, no -shm either


def test_links_says_when_nobody_is_linked(tmp_path: Path) -> None:
    database = tmp_path / "calbot.db"
    assert calbot("migrate", DATABASE_PATH=str(database)).returncode == 0
    done = calbot("links", DATABASE_PATH=str(database))
    assert done.returncode == 0
    assert done.stdout == ""  # stdout stays one line per link, for scripts
    assert "nobody is linked" in done.stderr and "/cal connect" in done.stderr


def test_a_test_run_prints_no_deprecation_warning_from_slack_sdk() -> None:
    """slack_sdk's OAuth call warns on aiohttp 3.14 (BasicAuth); pyproject filters exactly
    that warning. A child pytest runs a test that makes the call and prints its summary."""
    repo = Path(__file__).resolve().parents[1]
    oauth = "tests/test_doctor.py::test_multi_workspace_checks_the_client_and_every_installation"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", oauth],
        cwd=repo,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert "Warning" not in done.stdout + done.stderr
