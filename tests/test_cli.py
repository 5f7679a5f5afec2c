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
