"""The map in README "How it is built", enforced from the imports.

listeners (bot/slack) → services (bot/services) → gateway (bot/calcom) and store
(bot/store). Block Kit builders (bot/blocks) import no I/O; services import no Slack;
every table is written by the one store module that owns it. A new import that breaks
a rule fails here with the module and the import named.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import REPO, child_env

BOT = REPO / "bot"


@dataclass(frozen=True)
class Rule:
    """Modules under `layer` may not import anything under `forbidden`, but `allowed`."""

    layer: str
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...] = ()
    why: str = ""


IO = ("httpx", "sqlite3", "sqlite_utils", "slack_sdk", "slack_bolt", "aiohttp", "starlette")
GATEWAY_IO = (
    "bot.calcom.client",
    "bot.calcom.transport",
    "bot.calcom.connections",
    "bot.calcom.api",
)

RULES = (
    Rule(
        "bot.slack",
        ("bot.store", "sqlite3", "sqlite_utils", "httpx", *GATEWAY_IO, "bot.notify.worker"),
        allowed=("bot.slack.install -> bot.store.installations",),
        why="listeners reach the gateway and the store only through services "
        "(bot.slack.install hands slack_sdk's installation stores to Bolt)",
    ),
    Rule(
        "bot.services",
        ("slack_sdk", "slack_bolt", "bot.slack", "bot.blocks"),
        allowed=("bot.services -> bot.blocks.limits",),
        why="services import no Slack (Slack's limits are constants, bot/blocks/limits.py)",
    ),
    Rule(
        "bot.blocks",
        (*IO, *GATEWAY_IO, "bot.services", "bot.store", "bot.slack", "bot.notify", "bot.runtime"),
        allowed=("bot.blocks -> bot.services.errors",),
        why="Block Kit builders are pure (they may name the service error types, "
        "a module that imports nothing)",
    ),
    Rule(
        "bot.store",
        ("bot.services", "bot.slack", "bot.blocks", "bot.calcom", "bot.notify", "bot.runtime"),
        why="the store keeps rows; it knows no use case, no Slack and no gateway",
    ),
    Rule(
        "bot.calcom",
        ("bot.services", "bot.slack", "bot.blocks", "bot.store", "bot.notify", "bot.runtime"),
        why="the gateway knows Cal.com and Maton only",
    ),
    Rule(
        "bot.services.errors",
        ("bot", *IO),
        why="error types carry facts; blocks word them, so they import nothing",
    ),
    Rule(
        "bot.models",
        ("bot.services", "bot.store", "bot.slack", "bot.blocks", "bot.notify", *IO),
        allowed=("bot.models -> bot.calcom.models",),
        why="value types import no layer",
    ),
)

# tables and the modules that write them (README, "How it is built")
TABLE_OWNERS = {
    "links": "bot/store/links.py",
    "intents": "bot/store/intents.py",
    "subscriptions": "bot/store/notifications.py",
    "outbox": "bot/store/notifications.py",
    "routines": "bot/store/routines.py",
    "jobs": "bot/store/routines.py",
}
SCHEMA = {"bot/store/schema.py"}  # migrations create and reshape every table


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, root: Path) -> set[str]:
    """Every module `path` imports, at any depth (function-level imports too). `from a
    import b` is `a.b` when that is a module of ours, else `a`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if _is_module(root, sub) else base)
    return found


def _is_module(root: Path, name: str) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path, rules: tuple[Rule, ...] = RULES) -> list[str]:
    """`module -> import (rule)` for every import a rule forbids, under `root` (the repo)."""
    broken = []
    for path in sorted((root / "bot").rglob("*.py")):
        name = module_name(path, root)
        for imported in sorted(imports_of(path, name, root)):
            for rule in rules:
                if not _under(name, rule.layer) or not any(
                    _under(imported, f) for f in rule.forbidden
                ):
                    continue
                if _excused(name, imported, rule) or _under(imported, name):
                    continue
                broken.append(f"{name} -> {imported} ({rule.why})")
    return broken


def _excused(name: str, imported: str, rule: Rule) -> bool:
    for allowed in rule.allowed:
        source, _, target = allowed.partition(" -> ")
        if _under(name, source) and _under(imported, target):
            return True
    return False


def store_reached_from_listeners(root: Path) -> list[str]:
    """Listeners that touch `rt.store`, `rt.calcom` or `rt.connections` directly."""
    found = []
    for path in sorted((root / "bot" / "slack").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("store", "calcom", "connections"):
                found.append(f"{path.relative_to(root)}:{node.lineno} .{node.attr}")
    return found


_WRITE = r"(?:insert\s+into|update|delete\s+from|replace\s+into)\s+\[?{t}\b"
_TABLE_CALL = r"\[\s*[\"']{t}[\"']\s*\]\s*\.\s*(?:insert|upsert|update|delete|insert_all)"


def table_writers(root: Path) -> list[str]:
    """Modules other than a table's owner (and the schema) that write it."""
    found = []
    for path in sorted((root / "bot").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text()
        for table, owner in TABLE_OWNERS.items():
            if rel in (owner, *SCHEMA):
                continue
            pattern = "|".join(p.format(t=table) for p in (_WRITE, _TABLE_CALL))
            if re.search(pattern, text, re.IGNORECASE):
                found.append(f"{rel} writes {table} (owner: {owner})")
    return found


def test_every_import_follows_the_map() -> None:
    assert violations(REPO) == []


def test_listeners_never_touch_the_store_or_the_gateway_objects() -> None:
    assert store_reached_from_listeners(REPO) == []


def test_every_table_is_written_by_its_one_module() -> None:
    assert table_writers(REPO) == []


def test_importing_every_block_builder_loads_no_io_library() -> None:
    """bot.blocks and what it imports (value types, ids, limits) stay free of httpx,
    SQLite and the Slack SDK, so rendering can be tested and reused anywhere."""
    modules = sorted(module_name(p, REPO) for p in (BOT / "blocks").glob("*.py"))
    script = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in {IO!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=child_env(), capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_checker_catches_a_broken_rule(tmp_path: Path) -> None:
    """The rules bite: a listener importing the store, a block builder importing httpx,
    a service importing Bolt, and a listener writing a table are each named."""
    files = {
        "bot/slack/rogue.py": "from bot.store import links\n",
        "bot/blocks/rogue.py": "def f():\n    import httpx\n",
        "bot/services/rogue.py": "from slack_bolt import App\n",
        "bot/slack/writer.py": "def f(db):\n    db.execute('delete from outbox where id = 1')\n",
        "bot/slack/peek.py": "def f(rt):\n    return rt.store.db\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    found = violations(tmp_path)
    assert any(v.startswith("bot.slack.rogue -> bot.store") for v in found)
    assert any(v.startswith("bot.blocks.rogue -> httpx") for v in found)
    assert any(v.startswith("bot.services.rogue -> slack_bolt") for v in found)
    assert table_writers(tmp_path) == [
        "bot/slack/writer.py writes outbox (owner: bot/store/notifications.py)"
    ]
    assert store_reached_from_listeners(tmp_path) == ["bot/slack/peek.py:2 .store"]


def test_code_cites_only_what_a_clone_has() -> None:
    """A clone has no design notes and no shared/ folder beside it: comments point to the README's
    sections (its "How it is built" is the map) and to tests/reference/."""
    outside = re.compile(r"DESIGN\.md|(?<!tests/)\bshared[/]reference")
    found = [
        f"{path.relative_to(REPO).as_posix()}:{n}"
        for folder in ("bot", "tests", "bench")
        for path in sorted((REPO / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if outside.search(line)
    ]
    assert found == []
