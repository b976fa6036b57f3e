"""`huzzah teams-package`: a zip Teams admin accepts — manifest at the root, both icons at the sizes Teams wants."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from PIL import Image

from adapters.msteams.package import GIVE_ACTION, PackageInfo, manifest
from bot.features.kudos.giving import GIVE_SHORTCUT
from huzzah.cli import main

APP_ID = "c9e8c047-2a74-40a2-b28a-b162d5f5327c"
SCHEMA = Path(__file__).parent / "data" / "msteams" / "MicrosoftTeams.schema.v1.17.json"
"""Microsoft's manifest schema v1.17 (MIT licence, tests/data/msteams/LICENSE), from
github.com/OfficeDev/microsoft-teams-app-schema at the commit that added it (510341c)."""


def test_the_manifest_validates_against_the_schema_it_declares() -> None:
    body = manifest(PackageInfo(APP_ID, "https://intranet.example.com/huzzah"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert body["manifestVersion"] == schema["properties"]["manifestVersion"]["const"]
    assert body["$schema"].endswith(f"/v{body['manifestVersion']}/MicrosoftTeams.schema.json")
    errors = Draft4Validator(schema).iter_errors(body)
    problems = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
    assert problems == []


def test_the_message_action_gives_a_huzzah_to_the_messages_author() -> None:
    [extension] = manifest(PackageInfo(APP_ID, "https://intranet.example.com/huzzah"))["composeExtensions"]
    [action] = extension["commands"]
    assert extension["botId"] == APP_ID and action["title"] == "Give a huzzah"
    assert action["id"] == GIVE_ACTION == GIVE_SHORTCUT, "Teams' command id is the kudos feature's shortcut"
    assert action["type"] == "action" and action["context"] == ["message"] and action["fetchTask"] is True


def test_the_package_holds_a_manifest_and_both_icons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "teams.zip"
    code = main(["teams-package", "--app-id", APP_ID, "--website", "https://intranet.example.com/huzzah",
                 "--output", str(out)])

    assert code == 0 and "Upload it in the Teams admin center" in capsys.readouterr().out
    archive = zipfile.ZipFile(out)
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    assert manifest["developer"]["privacyUrl"].startswith("https://")
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["name"]["short"]) <= 30
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}

    color = Image.open(io.BytesIO(archive.read("color.png")))
    outline = Image.open(io.BytesIO(archive.read("outline.png"))).convert("RGBA")
    assert color.size == (192, 192) and outline.size == (32, 32)
    pixels = {outline.getpixel((x, y)) for x in range(32) for y in range(32)}
    assert all(a == 0 or (r, g, b) == (255, 255, 255) for r, g, b, a in pixels), "outline: white on transparent"
    assert any(a for *_, a in pixels)


@pytest.mark.parametrize(("args", "says"), [
    (["--website", "https://x.example"], "Microsoft App ID"),
    (["--app-id", "not-a-guid", "--website", "https://x.example"], "GUID"),
    (["--app-id", APP_ID], "--website"),
    (["--app-id", APP_ID, "--website", "http://x.example"], "https://"),
])
def test_missing_or_wrong_settings_say_what_to_pass(args: list[str], says: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["teams-package", *args]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "huzzah-msteams.zip").exists()
