"""An installation as the CLI finds it: an app.yaml in $HUZZAH_CONFIG and a SQLite file in $DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

import pytest


def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str) -> tuple[Path, str]:
    """(the app.yaml written, the database URL), with the current folder moved to `tmp_path`."""
    path = tmp_path / "app.yaml"
    path.write_text(config, encoding="utf-8")
    url = f"sqlite+aiosqlite:///{tmp_path}/huzzah.db"
    monkeypatch.setenv("HUZZAH_CONFIG", str(path))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return path, url
