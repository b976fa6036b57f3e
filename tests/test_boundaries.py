"""The import rules that keep the shape: the core names no platform, and platforms reach the core only
through its contracts — never the database."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDKS = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp")
METRICS = ("prometheus_client",)
"""The core and the platforms count through `bot.metrics`; only the composition root knows Prometheus."""
RULES = {
    "bot": (*SDKS, *METRICS, "adapters", "huzzah"),
    "storage": (*SDKS, *METRICS, "adapters", "huzzah"),
    "adapters": ("storage", "huzzah", "sqlalchemy", *METRICS),
}
"""Top-level packages each package may not import."""


def imports_of(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def violations(package: Path, forbidden: tuple[str, ...]) -> list[str]:
    """Each import under `package` of a module in `forbidden` (or inside one of them)."""
    return [f"{path.relative_to(package.parent)} imports {name}"
            for path in sorted(package.rglob("*.py")) for name in imports_of(path)
            if any(name == f or name.startswith(f"{f}.") for f in forbidden)]


def test_every_package_keeps_its_import_rules() -> None:
    found = [v for package, forbidden in RULES.items() for v in violations(ROOT / package, forbidden)]
    assert found == []


def test_one_platform_imports_no_other_platform() -> None:
    platforms = [p for p in (ROOT / "adapters").iterdir() if (p / "__init__.py").exists()]
    assert {p.name for p in platforms} >= {"slack", "msteams", "console"}
    found = [v for p in platforms for v in violations(p, tuple(f"adapters.{o.name}" for o in platforms if o != p))]
    assert found == []


def test_the_rules_catch_an_adapter_reaching_into_storage_and_the_core_reaching_an_adapter(tmp_path: Path) -> None:
    adapter = tmp_path / "adapters" / "mattermost"
    adapter.mkdir(parents=True)
    (adapter / "app.py").write_text("from storage.delivery import claim_once\nimport storage.db\n")
    core = tmp_path / "bot"
    core.mkdir()
    (core / "app.py").write_text("from adapters.slack.app import SlackAdapter\nfrom bot.ports import Roster\n")
    assert violations(tmp_path / "adapters", RULES["adapters"]) == [
        "adapters/mattermost/app.py imports storage.delivery", "adapters/mattermost/app.py imports storage.db"]
    assert violations(core, RULES["bot"]) == ["bot/app.py imports adapters.slack.app"]
