"""The Teams app package: manifest.json and two icons in a zip, ready to upload in Teams admin.

Icons are drawn here with Pillow so the package needs no binary files in the repository: a 192×192 colour
icon and the 32×32 outline icon Teams requires (white on transparent only).

The manifest is checked against the limits of the schema version it declares (`RULES`, from Microsoft's
MicrosoftTeams.schema.json v1.17) before anything is written: Teams admin refuses a package that breaks one
with a message far from the option that caused it, and a zip that looks written but cannot be uploaded is
worse than none.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

MANIFEST_VERSION = "1.17"
SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = "#E8590C"
COLOR_SIZE, OUTLINE_SIZE = 192, 32
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
"""Semantic version without leading zeros, as the schema's `semver` definition and the Teams store want."""
_HTTPS = re.compile(r"^https://[^\s/?#]+\.[^\s]*$", re.IGNORECASE)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Rule:
    """One field of the manifest as the schema limits it, and the option a person changes to fix it."""

    path: str
    """Dotted, `*` for every item of a list: `bots.*.botId`."""
    option: str
    min_length: int = 0
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    shape: str = ""
    """What the pattern asks for, in words."""
    max_items: int | None = None


RULES: tuple[Rule, ...] = (
    Rule("version", "--version", 1, 256, _VERSION, "a version such as 1.0.0 (three numbers, no leading zeros)"),
    Rule("id", "--app-id", pattern=_GUID, shape="a GUID such as c9e8c047-2a74-40a2-b28a-b162d5f5327c"),
    Rule("developer.name", "--developer", 1, 32),
    Rule("developer.websiteUrl", "--website", 1, 2048, _HTTPS, "an https:// address"),
    Rule("developer.privacyUrl", "--privacy-url", 1, 2048, _HTTPS, "an https:// address"),
    Rule("developer.termsOfUseUrl", "--terms-url", 1, 2048, _HTTPS, "an https:// address"),
    Rule("name.short", "--name", 1, 30),
    Rule("name.full", "--name", 1, 100),
    Rule("description.short", "the short description", 1, 80),
    Rule("description.full", "the full description", 1, 4000),
    Rule("accentColor", "the accent colour", pattern=_HEX, shape="#RRGGBB"),
    Rule("icons.color", "the colour icon", 1, 2048),
    Rule("icons.outline", "the outline icon", 1, 2048),
    Rule("bots", "the bot", max_items=1),
    Rule("bots.*.botId", "--app-id", pattern=_GUID, shape="a GUID such as c9e8c047-2a74-40a2-b28a-b162d5f5327c"),
    Rule("bots.*.commandLists", "the command lists", max_items=3),
    Rule("bots.*.commandLists.*.commands", "the commands", max_items=10),
    Rule("bots.*.commandLists.*.commands.*.title", "a command's title", 1, 32),
    Rule("bots.*.commandLists.*.commands.*.description", "a command's description", 1, 128),
    Rule("composeExtensions", "the message extension", max_items=1),
    Rule("composeExtensions.*.commands.*.title", "a message action's title", 1, 32),
    Rule("composeExtensions.*.commands.*.description", "a message action's description", 1, 128),
    Rule("permissions", "the permissions", max_items=2),
    Rule("validDomains", "the valid domains", max_items=16),
)

COMMANDS = (
    ("help", "What Huzzah understands, with examples"),
    ("kudos", "Thank someone: kudos @name for … #value"),
    ("stats", "Kudos you gave and received"),
    ("home", "Your huzzahs this week and all time, and our values"),
    ("undo", "Take back the huzzah you just gave"),
)
GIVE_ACTION = "kudos.give"
"""The message action's command id: the kudos feature's "Give a huzzah" shortcut, as on Slack."""


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
        """The options people pass, with the messages that name them; `check_manifest` then checks the rest."""
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


def _at(node: Any, parts: list[str], where: str) -> Iterator[tuple[str, Any]]:
    """Every value at a dotted path (`*` fans out over a list), with its concrete path."""
    if not parts:
        yield where, node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        for i, item in enumerate(node if isinstance(node, list) else []):
            yield from _at(item, rest, f"{where}.{i}")
    elif isinstance(node, dict) and head in node:
        yield from _at(node[head], rest, f"{where}.{head}" if where else head)


def check_manifest(body: dict[str, Any]) -> None:
    """Raise PackageError, in one line naming the option to change, for the first field outside `RULES`."""
    if body.get("manifestVersion") != MANIFEST_VERSION:
        raise PackageError(f"the manifest declares version {body.get('manifestVersion')}, but these limits are "
                           f"those of {MANIFEST_VERSION}")
    for rule in RULES:
        for path, value in _at(body, rule.path.split("."), ""):
            if rule.max_items is not None:
                if len(value) > rule.max_items:
                    raise PackageError(f"{path} has {len(value)} entries; Teams manifest v{MANIFEST_VERSION} allows "
                                       f"at most {rule.max_items}")
                continue
            if not isinstance(value, str):
                raise PackageError(f"{path} must be text in Teams manifest v{MANIFEST_VERSION}")
            if rule.max_length is not None and len(value) > rule.max_length:
                raise PackageError(f"{rule.option} {value!r} is {len(value)} characters; Teams manifest "
                                   f"v{MANIFEST_VERSION} allows at most {rule.max_length} for {path} — shorten it")
            if len(value) < rule.min_length:
                raise PackageError(f"{rule.option} is empty; Teams manifest v{MANIFEST_VERSION} requires {path}")
            if rule.pattern is not None and not rule.pattern.match(value):
                raise PackageError(f"{rule.option} must be {rule.shape} (Teams manifest v{MANIFEST_VERSION}, "
                                   f"{path}), got {value!r}")


def manifest(info: PackageInfo) -> dict[str, Any]:
    """The manifest for these options, checked against the schema version it declares."""
    info.check()
    body = _manifest(info)
    check_manifest(body)
    return body


def _manifest(info: PackageInfo) -> dict[str, Any]:
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
        "composeExtensions": [{
            "botId": info.app_id,
            "commands": [{
                "id": GIVE_ACTION, "type": "action", "context": ["message"], "fetchTask": True,
                "title": "Give a huzzah", "description": "Thank the author of this message, with a value",
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
    """Write the zip (manifest.json, color.png, outline.png at its root, as Teams expects) — only once the
    manifest passed its checks, and built in memory first so a failed write leaves no half a zip behind."""
    body = json.dumps(manifest(info), indent=2, ensure_ascii=False)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", body)
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(zipped.getvalue())
    except OSError as exc:
        raise PackageError(f"cannot write {path} ({exc.strerror or exc}) — pass --output with a folder you may "
                           "write to") from None
    return path
