"""The Teams app package: manifest.json and two icons in a zip, ready to upload in Teams admin.

Icons are drawn here with Pillow so the package needs no binary files in the repository: a 192×192 colour
icon and the 32×32 outline icon Teams requires (white on transparent only).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

MANIFEST_VERSION = "1.17"
SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = "#E8590C"
COLOR_SIZE, OUTLINE_SIZE = 192, 32
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")

COMMANDS = (
    ("help", "What Huzzah understands, with examples"),
    ("kudos", "Thank someone: kudos @name for … #value"),
    ("stats", "Kudos you gave and received"),
)


class PackageError(Exception):
    """A setting the package cannot be built without; the message says what to pass."""


@dataclass(frozen=True)
class PackageInfo:
    app_id: str
    website: str
    privacy_url: str = ""
    terms_url: str = ""
    developer: str = "Huzzah"
    name: str = "Huzzah"
    version: str = "1.0.0"

    def check(self) -> None:
        if not _GUID.match(self.app_id):
            raise PackageError("the app id must be your Azure bot's Microsoft App ID, a GUID such as "
                               "c9e8c047-2a74-40a2-b28a-b162d5f5327c (pass --app-id or set MICROSOFT_APP_ID)")
        for label, url in (("--website", self.website), ("--privacy-url", self.privacy_url),
                           ("--terms-url", self.terms_url)):
            if url and not url.startswith("https://"):
                raise PackageError(f"{label} must be an https:// address, got {url!r}")
        if not self.website:
            raise PackageError("pass --website https://… (Teams shows it as the developer's site)")
        if not _VERSION.match(self.version):
            raise PackageError(f"--version must look like 1.0.0, got {self.version!r}")
        if not 1 <= len(self.name) <= 30:
            raise PackageError("--name must be 1 to 30 characters (Teams' limit for a short name)")


def manifest(info: PackageInfo) -> dict[str, Any]:
    info.check()
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": info.version,
        "id": info.app_id,
        "developer": {
            "name": info.developer, "websiteUrl": info.website,
            "privacyUrl": info.privacy_url or info.website, "termsOfUseUrl": info.terms_url or info.website,
        },
        "name": {"short": info.name, "full": f"{info.name} — kudos, check-ins and polls for support teams"},
        "description": {
            "short": "Kudos, anonymous check-ins, micro-polls and a weekly digest for support teams.",
            "full": (
                "Thank colleagues in public with kudos tagged with your company values, answer a private weekly "
                "mood check-in that no one can trace back to you, decide things quickly with micro-polls, and "
                "give managers a weekly digest of the human side of support."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [{
            "botId": info.app_id,
            "scopes": ["personal", "team", "groupChat"],
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [{
                "scopes": ["personal", "team", "groupChat"],
                "commands": [{"title": title, "description": text} for title, text in COMMANDS],
            }],
        }],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def _draw_h(draw: ImageDraw.ImageDraw, size: int, fill: Any, margin: float) -> None:
    """A bold "H" from three bars, so no font needs to be installed."""
    left, right = size * margin, size * (1 - margin)
    top, bottom = size * margin, size * (1 - margin)
    bar = (right - left) * 0.28
    draw.rectangle((left, top, left + bar, bottom), fill=fill)
    draw.rectangle((right - bar, top, right, bottom), fill=fill)
    middle = (top + bottom) / 2
    draw.rectangle((left, middle - bar / 2, right, middle + bar / 2), fill=fill)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def color_icon() -> bytes:
    image = Image.new("RGBA", (COLOR_SIZE, COLOR_SIZE), ACCENT)
    draw = ImageDraw.Draw(image)
    _draw_h(draw, COLOR_SIZE, "white", 0.27)
    for x, y, colour in ((30, 34, "#FFD43B"), (160, 40, "#74C0FC"), (36, 156, "#B2F2BB"), (152, 150, "#FFD43B")):
        draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill=colour)
    return _png(image)


def outline_icon() -> bytes:
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (255, 255, 255, 0))
    _draw_h(ImageDraw.Draw(image), OUTLINE_SIZE, (255, 255, 255, 255), 0.19)
    return _png(image)


def write_package(path: Path, info: PackageInfo) -> Path:
    """Write the zip (manifest.json, color.png, outline.png at its root, as Teams expects)."""
    body = json.dumps(manifest(info), indent=2, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", body)
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return path
