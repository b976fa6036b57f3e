"""A mistake in app.yaml is one clear line — file, key, value, what is allowed — and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.features.kudos.settings import KudosSettings
from bot.settings import load_settings
from huzzah.platforms import PLATFORM_NAMES

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "app.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def error_for(tmp_path: Path, body: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, body))
    return str(caught.value)


def test_the_shipped_app_yaml_is_valid() -> None:
    settings = load_settings(ROOT / "huzzah" / "templates" / "app.yaml")
    assert settings.value_named("OWNERSHIP") is not None
    assert settings.section(KudosSettings).daily_allowance == 5


def test_defaults_when_there_is_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HUZZAH_CONFIG", raising=False)
    settings = load_settings()
    assert settings == Settings()
    assert settings.anonymity.min_group_size == 5 and settings.section(KudosSettings).daily_allowance == 5


def test_a_wrong_type_names_file_key_value_and_rule(tmp_path: Path) -> None:
    message = error_for(tmp_path, "kudos:\n  daily_allowance: lots\n")
    assert message.startswith(str(tmp_path / "app.yaml"))
    assert "kudos.daily_allowance" in message and "'lots'" in message and "integer" in message


def test_the_anonymity_floor_cannot_be_lowered(tmp_path: Path) -> None:
    message = error_for(tmp_path, "anonymity:\n  min_group_size: 2\n")
    assert "anonymity.min_group_size" in message and "greater than or equal to 3" in message


def test_unknown_keys_are_reported_as_typos(tmp_path: Path) -> None:
    assert "kudos.daily_alowance: unknown setting" in error_for(tmp_path, "kudos:\n  daily_alowance: 3\n")


def test_bad_time_zone_and_bad_time_say_what_is_allowed(tmp_path: Path) -> None:
    assert "IANA time zone" in error_for(tmp_path, "timezone: Mars/Olympus\n")
    assert "HH:MM" in error_for(tmp_path, "checkins:\n  time: '3pm'\n")


def test_channels_must_name_their_platform(tmp_path: Path) -> None:
    assert "platform:channel" in error_for(tmp_path, "kudos:\n  channels: ['#kudos']\n")


def test_broken_yaml_gives_the_line(tmp_path: Path) -> None:
    assert "not valid YAML at line 2" in error_for(tmp_path, "kudos:\n\tdaily_allowance: 3\n")


def test_a_missing_config_file_named_by_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUZZAH_CONFIG", str(tmp_path / "nope.yaml"))
    with pytest.raises(ConfigError, match="no such file"):
        load_settings()


def test_the_cli_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, "values:\n  - name: ownership\n  - name: Ownership\n")
    run = subprocess.run(
        [sys.executable, "-m", "huzzah.cli", "--config", str(bad), "db", "upgrade"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,  # a safety net for a busy machine
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "listed twice" in lines[0] and "app.yaml" in lines[0]


def test_the_old_teams_prefix_is_refused_with_the_new_spelling(tmp_path: Path) -> None:
    said = error_for(tmp_path, "teams:\n  - name: Support\n    channels: ['teams:19:abc@thread.tacv2']\n")
    assert "change teams:19:abc@thread.tacv2 to msteams:19:abc@thread.tacv2" in said
    said = error_for(tmp_path, "digest:\n  managers: ['teams:29:1dana']\n")
    assert "digest.managers" in said and "msteams:29:1dana" in said


def test_a_misspelt_platform_is_refused_when_the_platforms_are_known(tmp_path: Path) -> None:
    config = tmp_path / "app.yaml"
    config.write_text("kudos:\n  channels: ['slak:#kudos']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="platform one of slack, msteams, console"):
        load_settings(config, platforms=PLATFORM_NAMES)


def test_types_are_strict_a_yes_is_never_a_number(tmp_path: Path) -> None:
    """YAML reads `yes` as true, and pydantic would have made true the number 1: an allowance of one."""
    message = error_for(tmp_path, "kudos:\n  daily_allowance: yes\n")
    assert "kudos.daily_allowance" in message and "whole number" in message
    assert "kudos.daily_allowance" in error_for(tmp_path, "kudos:\n  daily_allowance: 2.5\n")
    assert "true or false" in error_for(tmp_path, "checkins:\n  enabled: 'yes'\n")
    assert "quote it" in error_for(tmp_path, "values:\n  - name: 2024\n")


def test_an_unquoted_time_is_explained_as_yaml_reads_it(tmp_path: Path) -> None:
    """`15:00` unquoted is the base-60 number 900 in YAML 1.1: say so, and show the quoted form."""
    message = error_for(tmp_path, "checkins:\n  time: 15:00\n")
    assert "checkins.time" in message and "15:00" in message and "900" in message and '"15:00"' in message
    assert '"09:30"' in error_for(tmp_path, "digest:\n  time: 9:30\n")


def test_an_empty_file_is_refused_and_braces_ask_for_the_defaults(tmp_path: Path) -> None:
    """An empty app.yaml is more likely a truncated copy or a failed mount than a choice; `{}` is a choice."""
    for body in ("", "# everything commented out\n", "\n\n"):
        message = error_for(tmp_path, body)
        assert "empty" in message and "{}" in message and "huzzah init" in message
    assert load_settings(write(tmp_path, "{}\n")) == Settings()


def test_a_file_that_is_not_utf8_or_not_a_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_bytes(b"timezone: UTC\nvalues:\n  - {name: caf\xe9}\n")
    with pytest.raises(ConfigError, match=r"not UTF-8 .*line 3"):
        load_settings(path)
    with pytest.raises(ConfigError, match="cannot be read"):
        load_settings(tmp_path)


def test_the_reaction_loses_its_colons_and_must_be_a_name(tmp_path: Path) -> None:
    from bot.features.kudos.settings import KudosSettings

    for written in ("':tada:'", "tada", "' :Tada: '"):
        assert load_settings(write(tmp_path, f"kudos:\n  reaction: {written}\n")).section(KudosSettings).reaction \
            == "tada"
    assert "Slack name" in error_for(tmp_path, "kudos:\n  reaction: '🎉'\n")
    assert "Slack name" in error_for(tmp_path, "kudos:\n  reaction: 'raised hands'\n")


def test_one_kudos_channel_per_platform(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'kudos:\n  channels: ["slack:#kudos", "msteams:19:k@thread.tacv2", "slack:#x"]\n')
    assert "slack:#kudos" in message and "slack:#x" in message and "one channel per platform" in message
    fine = load_settings(write(tmp_path, 'kudos:\n  channels: ["slack:#kudos", "console:#kudos"]\n'))
    assert fine.kudos.channels == ["slack:#kudos", "console:#kudos"]
