"""`huzzah init`: a pip user's first app.yaml, written from the template shipped inside the package — and
that package-data: what a wheel holds is enough for `init` and `demo`, with no repository beside it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from bot.settings import load_settings
from huzzah.init_command import TEMPLATE

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sysconfig.get_path("scripts")) / ("huzzah.exe" if os.name == "nt" else "huzzah")


def init(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HUZZAH_CONFIG"}
    return subprocess.run([str(SCRIPT), "init", *args], capture_output=True, text=True, cwd=cwd, timeout=300, env=env)


def test_init_writes_the_commented_app_yaml_here_and_it_loads(tmp_path: Path) -> None:
    run = init(tmp_path)
    assert run.returncode == 0, run.stderr
    written = tmp_path / "app.yaml"
    assert written.read_bytes() == TEMPLATE.read_bytes()
    assert written.read_text(encoding="utf-8").startswith("# Huzzah's own configuration")
    settings = load_settings(written)
    assert settings.teams and settings.values
    assert "Wrote app.yaml" in run.stdout and "HUZZAH_CONFIG" not in run.stdout  # ./app.yaml is read as it is


def test_init_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    mine = tmp_path / "app.yaml"
    mine.write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    run = init(tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "already exists" in run.stderr and "--force" in run.stderr
    assert mine.read_text(encoding="utf-8") == "timezone: Asia/Tokyo\n"


def test_init_force_replaces_even_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "app.yaml"
    broken.write_text("values: [\n", encoding="utf-8")  # the app.yaml that init is about to replace is not read
    run = init(tmp_path, "--force")
    assert run.returncode == 0, run.stderr
    assert load_settings(broken).teams


def test_init_output_elsewhere_says_how_to_use_it(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    run = init(tmp_path, "--output", "conf/huzzah.yaml")
    assert run.returncode == 0, run.stderr
    assert load_settings(tmp_path / "conf" / "huzzah.yaml").teams
    assert "HUZZAH_CONFIG=conf/huzzah.yaml" in run.stdout
    missing = init(tmp_path, "--output", "nowhere/app.yaml")
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1 and "cannot write" in missing.stderr


@pytest.mark.skipif(importlib.util.find_spec("setuptools") is None, reason="setuptools is not installed")
def test_the_built_package_ships_the_template_and_runs_the_demo_alone(tmp_path: Path) -> None:
    """What a wheel would hold, without a wheel build's network or time: setuptools' build_py, the step that
    collects each package's files (package-data included) for bdist_wheel, run on a copy of the project."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("bot", "adapters", "storage", "migrations", "huzzah"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    built = tmp_path / "lib"
    run = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
                          "--build-lib", str(built)], capture_output=True, text=True, cwd=source, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (built / "huzzah" / "templates" / "app.yaml").read_bytes() == TEMPLATE.read_bytes()
    assert load_settings(built / "huzzah" / "demo_team.yaml").teams

    # and what was built is enough on its own: the demo runs from it, in a folder with nothing else
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**{k: v for k, v in os.environ.items() if k != "HUZZAH_CONFIG"}, "PYTHONPATH": str(built)}
    code = "import huzzah, runpy; print(huzzah.__file__); runpy.run_module('huzzah.cli', run_name='__main__')"
    demo = subprocess.run([sys.executable, "-c", code, "demo"], capture_output=True, text=True, cwd=elsewhere,
                          env=env, timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith(str(built / "huzzah"))
    assert "#support-leads │ 📰 Support — weekly digest" in demo.stdout
