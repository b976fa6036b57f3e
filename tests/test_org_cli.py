"""`huzzah import-metrics` and `huzzah export`: business figures in beside the roll-up, kudos and figures out for
HR — round-tripping every kudos of the period, and one clear line for a bad CSV."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.features.digest.period import Period
from bot.features.digest.rollup import gather_rollup
from bot.features.digest.rollup_view import CORRELATION, rollup_message
from bot.features.digest.week import Week
from bot.messages import plain_text
from bot.settings import load_settings
from huzzah.cli import main
from storage.db import Database
from tests.cli_support import install
from tests.conftest import TEAM
from tests.org_support import a_round

CONFIG = """
timezone: UTC
values: [{name: ownership, emoji: "🦉"}, {name: teamwork, emoji: "🤝"}]
teams:
  - {name: Support, channels: ["console:#support"], digest_channels: ["console:#support-leads"]}
  - {name: Billing, channels: ["console:#billing"], digest_channels: ["console:#billing-leads"]}
digest: {rollup: {enabled: true, channels: ["console:#exec"]}}
"""
W46 = Week(2026, 46)
SAID = [  # (day of November 2026, who, words, channel)
    (2, "alice", "@bob thanks for the early shift #ownership", "#support"),
    (10, "carol", "@dave and @erin for the refund macro #teamwork #ownership", "#support"),
    (11, "frank", "@grace for the invoice fix", "#billing"),
    (12, "heidi", "@frank for the weekend cover, with a comma, and \"quotes\"", "#billing"),
]


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    config, url = install(tmp_path, monkeypatch, CONFIG)

    async def seed() -> None:
        db = Database(url)
        await db.migrate()
        clock = FakeClock(datetime(2026, 11, 2, 10, tzinfo=UTC))
        console = ConsoleSession(Huzzah(load_settings(config), db, clock), ConsoleDirectory(TEAM))
        for day, who, words, channel in SAID:
            clock.set(datetime(2026, 11, day, 10, tzinfo=UTC))
            await console.say(who, words, channel)
        for team in ("Support", "Billing"):
            await a_round(db, team, W46, 8, [4, 4, 3, 5, 4, 2])
        await db.close()

    asyncio.run(seed())
    return url


def test_exported_kudos_round_trip_as_csv_and_json(installed: str, tmp_path: Path) -> None:
    assert main(["export", "kudos", "--since", "2026-11-09", "--format", "csv", "--output", "kudos.csv"]) == 0
    assert main(["export", "kudos", "--since", "2026-11-09", "--format", "json", "--output", "kudos.json"]) == 0
    with (tmp_path / "kudos.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["giver"], r["team"]) for r in rows] == [("@carol", "Support"), ("@frank", "Billing"),
                                                       ("@heidi", "Billing")]  # every kudos since 9 Nov, oldest first
    assert rows[0]["recipients"] == "@dave; @erin" and rows[0]["values"] == "ownership; teamwork"
    assert rows[2]["reason"] == "for the weekend cover, with a comma, and \"quotes\""
    assert rows[0]["time"] == "2026-11-10T10:00:00+00:00" and rows[1]["channel"] == "#billing"
    as_json = json.loads((tmp_path / "kudos.json").read_text(encoding="utf-8"))
    assert [{k: str(v) for k, v in r.items()} for r in as_json] == rows
    assert not any(key in text for text in (json.dumps(as_json),) for key in ("mood", "vent", "answer"))


def test_imported_metrics_appear_in_the_rollup_and_the_figures_export(
    installed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "metrics.csv").write_text(
        "team,week,CSAT,handle time\nSupport,2026-W46,4.6,312\nBilling,2026-11-10,4.1,\n"
        "Support,2026-W45,4.4,330\n", encoding="utf-8")
    assert main(["import-metrics", "metrics.csv"]) == 0
    assert "Imported 5 figure(s) (CSAT, handle time) for 2 team(s)" in capsys.readouterr().out

    assert main(["export", "figures", "--week", "2026-W46", "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    by_team = {r["team"]: r for r in rows}
    assert set(by_team) == {"Support", "Billing", "Whole organisation"}
    assert by_team["Support"]["metric:CSAT"] == "4.6" and by_team["Billing"]["metric:CSAT"] == "4.1"
    assert by_team["Support"]["mood"] == "3.7" and by_team["Support"]["people"] == "8"

    async def page() -> str:
        db = Database(installed)
        core = Huzzah(load_settings(), db, FakeClock(datetime(2026, 11, 23, tzinfo=UTC)))
        text = plain_text(rollup_message(core.settings, await gather_rollup(core.ctx, Period((W46,), False)), None))
        await db.close()
        return text

    text = asyncio.run(page())
    assert "CSAT 4.6 (↗ 13w 4.50)" in text and "handle time 312" in text
    assert CORRELATION in text and "correlation, not" in text


@pytest.mark.parametrize(("body", "says"), [
    ("team,week,csat\nSupport,2026-W46,4.6\nSupport,2026-W47,great\n",
     "metrics.csv: row 3, column csat: 'great' is not a number"),
    ("team,week,csat\nSales,2026-W46,4.6\n", "metrics.csv: row 2, column team: 'Sales' is not a team in app.yaml"),
    ("team,week,csat\nSupport,last week,4.6\n", "metrics.csv: row 2, column week: 'last week' is not a week"),
    ("team,csat\nSupport,4.6\n", "metrics.csv: row 1: no 'week' column"),
])
def test_a_bad_metrics_csv_gets_one_line_naming_the_row_and_column(
    installed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, says: str
) -> None:
    (tmp_path / "metrics.csv").write_text(body, encoding="utf-8")
    assert main(["import-metrics", "metrics.csv"]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_the_rollup_can_be_previewed_with_its_chart(installed: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "--rollup", "--week", "2026-W46"]) == 0
    out = capsys.readouterr().out
    assert "📈 Across the teams  2026-W46 · 9–15 Nov 2026" in out and "Whole organisation" in out
    assert (tmp_path / "digest-rollup-2026-W46.png").read_bytes().startswith(b"\x89PNG")
