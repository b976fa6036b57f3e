"""Where the catalogs come from: every message the source marks, found by Babel's extractor, and the `.po` files
brought up to date with them (`python -m bot.i18n.sources`, after adding or changing a message).

A new message lands in every catalog untranslated, which the catalog test refuses until each language has it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import LANGUAGES
from bot.i18n.catalogs import DOMAIN, SOURCE, po_path

KEYWORDS = {"tr": None, "tr_parts": None, "N_": None, "tr_plural": (1, 2), "tr_plural_parts": (1, 2)}
"""The layer's functions (`bot.i18n`) and which of their arguments are messages."""
PACKAGES = ("bot", "adapters")
"""The code whose words people read (the CLI and logs speak to operators, in English)."""
ROOT = Path(__file__).resolve().parents[2]

EPOCH = datetime(2026, 12, 1, tzinfo=UTC)
"""A fixed creation date, so regenerating the catalogs changes them only where messages changed."""
Message = str | tuple[str, ...]
"""A message, or a (singular, plural) pair."""


def messages(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> Iterator[tuple[Message, str]]:
    """Each marked message and where it is (`bot/app.py:45`), in source order."""
    for package in packages:
        for filename, line, message, _, _ in extract_from_dir(
            root / package, method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True,
        ):
            if message:
                yield message, f"{package}/{filename}:{line}"


def source_catalog(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> Catalog:
    catalog = Catalog(domain=DOMAIN, locale=SOURCE, project="Huzzah", creation_date=EPOCH)
    for message, where in messages(root, packages):
        file, _, line = where.rpartition(":")
        catalog.add(message, locations=[(file, int(line))])
    return catalog


def update(code: str, template: Catalog) -> Catalog:
    """The language's catalog with every message of `template`: translations kept, new ones empty, gone ones
    dropped (Babel's own update, without fuzzy guesses: a guess would pass for a translation)."""
    path = po_path(code)
    if path.is_file():
        with path.open("rb") as po:
            catalog = read_po(po, locale=code, domain=DOMAIN)
    else:
        catalog = Catalog(domain=DOMAIN, locale=code, project="Huzzah", copyright_holder="Huzzah contributors")
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    """The messages (singular form) a catalog has no translation for, or not for every plural form."""
    return [singular(message.id) for message in catalog if message.id and not all(
        message.string if isinstance(message.string, tuple | list) else (message.string,))]


def singular(message: object) -> str:
    """A message's key: itself, or its singular form."""
    return str(message[0] if isinstance(message, tuple | list) else message)


def main() -> None:
    template = source_catalog()
    for code in LANGUAGES:
        if code == SOURCE:
            continue
        catalog = update(code, template)
        po_path(code).parent.mkdir(parents=True, exist_ok=True)
        with po_path(code).open("wb") as po:
            write_po(po, catalog, width=120, include_lineno=False, include_previous=False)
        print(f"{code}: {len(catalog)} messages, {len(untranslated(catalog))} to translate")


if __name__ == "__main__":
    main()
