"""`huzzah digest`: a readable preview with the chart saved, a post that happens once, and clear errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.settings import load_settings
from huzzah.cli import main
from storage.db import Database
from storage.tables.delivery import outbox
from tests.cli_support import install
from tests.conftest import TEAM

CONFIG = """
timezone: UTC
values: [{name: ownership, emoji: "🦉"}]
teams: [{name: Support, channels: ["console:#support"]}]
digest: {channels: ["console:#leads"], managers: ["console:carol"]}
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An app.yaml and a SQLite database holding one kudos in 2026-W46, as the CLI would find them."""
    config, url = install(tmp_path, monkeypatch, CONFIG)

    async def seed() -> None:
        db = Database(url)
        await db.migrate()
        core = Huzzah(load_settings(config), db, FakeClock(datetime(2026, 11, 11, 10, tzinfo=UTC)))
        await ConsoleSession(core, ConsoleDirectory(TEAM)).say("alice", "@bob thanks for the outage call #ownership",
                                                         "#support")
        await db.close()

    asyncio.run(seed())
    return url


def digest_keys(url: str) -> list[str]:
    async def read() -> list[str]:
        db = Database(url)
        async with db.transaction() as conn:
            keys = (await conn.execute(select(outbox.c.key).where(outbox.c.key.like("digest:%")))).scalars().all()
        await db.close()
        return sorted(keys)

    return asyncio.run(read())


def test_print_shows_the_digest_and_saves_the_chart(
    installed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "--week", "2026-W46", "--print", "--chart-dir", "charts/new"]) == 0
    out = capsys.readouterr().out
    assert "📰 Support — weekly digest  2026-W46 · 9–15 Nov 2026" in out
    assert "Kudos given: 1" in out and "🌟 @bob, from @alice · 🦉 ownership" in out
    chart = tmp_path / "charts" / "new" / "digest-support-2026-W46.png"
    assert "(chart saved to charts/new/digest-support-2026-W46.png)" in out
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert digest_keys(installed) == []  # a preview posts nothing


def test_without_a_flag_it_only_previews(installed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "--week", "2026-W46"]) == 0
    assert "📰 Support — weekly digest" in capsys.readouterr().out
    assert digest_keys(installed) == []


def test_post_queues_once_and_a_second_post_says_it_already_went(
    installed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "--team", "support", "--week", "2026-W46", "--post"]) == 0
    assert "Support 2026-W46: queued for 2 recipient(s)" in capsys.readouterr().out
    assert main(["digest", "--week", "2026-W46", "--post"]) == 0
    assert "Support 2026-W46: already posted on" in capsys.readouterr().out
    assert digest_keys(installed) == [
        "digest:Support:2026-W46:dm:console:carol", "digest:Support:2026-W46:post:console:#leads",
    ]


@pytest.mark.parametrize(("args", "says"), [
    (["--week", "2026-47"], "'2026-47' is not an ISO week — write it like 2026-W47"),
    (["--week", "2026-W54"], "is not an ISO week"),
    (["--team", "Billing"], "no team called 'Billing'; teams in app.yaml: Support"),
    (["--week", "2099-W01", "--post"], "2099-W01 has not ended yet — preview it with --print"),
])
def test_mistakes_get_one_clear_line_and_exit_code_2(
    installed: str, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(["digest", *args]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert digest_keys(installed) == []


def test_print_and_post_cannot_be_combined(installed: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["digest", "--print", "--post"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
