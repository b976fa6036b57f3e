"""`huzzah demo` as a newcomer runs it: the installed script, from a folder that is not the repository.

It must run on its own pretend team whatever the folder's app.yaml or $HUZZAH_CONFIG say (and on the given
file with --config), stay short, show each part of Huzzah once, and date everything by the one clock the
core runs on: the kudos printed under a day's heading are the ones the digest counts on that day.
"""

from __future__ import annotations

import os
import re
import subprocess
import sysconfig
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

SCRIPT = Path(sysconfig.get_path("scripts")) / ("huzzah.exe" if os.name == "nt" else "huzzah")
HOSTILE = """\
timezone: Pacific/Kiritimati
values: []
kudos: {channels: ["slack:#elsewhere"], daily_allowance: 1}
anonymity: {min_group_size: 50, min_free_text_group: 50}
teams: [{name: Nobody, channels: ["slack:#nowhere"]}]
checkins: {enabled: false}
digest: {enabled: false, day: sat}
"""
HEADING = re.compile(r"^demo │ —— (\w+) (\d+) (\w+) ——$")


def demo(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("HUZZAH_CONFIG", "DATABASE_URL")}
    return subprocess.run([str(SCRIPT), *args, "demo"], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**environment, **(env or {})})


def transcript(run: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines after `Demo database: …` (the one line that names a temporary path)."""
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", run.stderr
    first, *rest = run.stdout.splitlines()
    assert first.startswith("Demo database: ")
    return rest


@pytest.fixture(scope="module")
def empty_folder_run(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return transcript(demo(tmp_path_factory.mktemp("anywhere")))


def test_the_installed_demo_runs_from_an_empty_folder_and_shows_each_part_once(empty_folder_run: list[str]) -> None:
    text = "\n".join(empty_folder_run)
    assert len(empty_folder_run) < 150
    # a kudos in full, someone joining it with Me too, and the post showing them
    assert "#kudos │ 🎉 Huzzah for @dave!" in text
    assert "erin presses │ [🙌 Me too]" in text and "only @erin │ 🙌 You've joined the thanks" in text
    assert "(edited) #kudos │ 🛠️ craft  —  from @carol with @erin" in text
    assert "can't give yourself a huzzah" in text
    # a poll, asked, voted on, closed by the scheduler at its deadline
    assert "#support │ 📊 Which macro should we fix first?" in text
    assert "Closed at its deadline" in text and "#support (thread) │ 🏁 The poll has closed" in text
    # a check-in round: asked once on screen for everyone, an anonymous answer, a reminder
    assert text.count("👋 How was your week?") == 1
    assert "(the same, word for word, to @bob, @carol, @dave, @erin, @frank, @grace and @heidi)" in text
    assert "only @alice │ 💛 Thank you for sharing. It's kept anonymously" in text
    assert "DM @heidi │ Still time to check in" in text
    # and it ends with the managers' digest: the round's figures, the vents without names, the poll
    digest = text[text.index("#support-leads │ 📰 Support — weekly digest"):]
    assert "Participation: 8 of 8 answered" in digest and "Mood: 3.5 / 5" in digest
    assert "> Busy week but the team had my back on the outage." in digest
    assert "alice" not in digest.split("Vents, in random order:")[1].split("———")[0]
    assert "from @carol (+1 joined)" in digest and "📊 Which macro should we fix first?" in digest
    assert "Kudos per day:" in empty_folder_run[-2]


def test_day_headings_agree_with_the_digest(empty_folder_run: list[str]) -> None:
    sent: Counter[str] = Counter()
    headings: list[date] = []
    for line in empty_folder_run:
        if match := HEADING.match(line):
            weekday, day, month = match.groups()
            headings.append(date(2026, 11, int(day)))
            assert month == "Nov" and headings[-1].strftime("%A") == weekday, line
        elif "│ Sent! " in line:
            sent[headings[-1].strftime("%a")] += 1
        elif "🏁 The poll has closed" in line:
            closed = headings[-1]
    text = "\n".join(empty_folder_run)
    per_day = re.search(r"Kudos per day: (.*?)\.\]", text)
    assert per_day is not None
    assert {d: int(n) for d, n in (p.split() for p in per_day[1].split(", "))} == {
        d: sent[d] for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    }
    assert sum(sent.values()) == 7 and f"Kudos given: {sum(sent.values())} " in text
    assert headings == sorted(headings) and len(set(headings)) == len(headings)
    assert "2026-W47 · 16–22 Nov 2026" in text and all(16 <= d.day <= 22 for d in headings[:-1])
    assert headings[-1] == date(2026, 11, 24), "the digest comes on the Tuesday after"
    assert f"closed {closed:%a} {closed.day} Nov" in text, "the poll closed on the day it is shown"


def test_a_hostile_app_yaml_or_huzzah_config_changes_nothing(tmp_path: Path, empty_folder_run: list[str]) -> None:
    (tmp_path / "app.yaml").write_text(HOSTILE, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(HOSTILE, encoding="utf-8")
    beside = transcript(demo(tmp_path))
    pointed = transcript(demo(tmp_path, env={"HUZZAH_CONFIG": str(elsewhere)}))
    # The digest shows vents in random order; everything else is the same line for line.
    assert sorted(beside) == sorted(pointed) == sorted(empty_folder_run)


def test_an_explicit_config_is_the_one_used_and_a_thin_one_is_explained(tmp_path: Path) -> None:
    (tmp_path / "thin.yaml").write_text(HOSTILE, encoding="utf-8")
    text = "\n".join(transcript(demo(tmp_path, "--config", "thin.yaml")))
    assert "in Pacific/Kiritimati time" in text
    assert "posted in #support." in text and "#kudos" not in text  # no console kudos channel: where it was given
    assert "(No one was asked to check in: checkins are off" in text
    assert "(No digest is shown here" in text


def test_the_readmes_excerpt_is_what_the_demo_prints(empty_folder_run: list[str]) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("What the demo prints", 1)[1].split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    start = empty_folder_run.index(excerpt[0])
    assert empty_folder_run[start:start + len(excerpt)] == excerpt
