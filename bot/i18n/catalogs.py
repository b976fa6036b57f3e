"""The gettext catalogs, read from the `.po` files the translators edit and compiled in memory once.

Compiling at load (Babel's `read_po`, then `write_mo` into memory) needs no build step and keeps no binary
`.mo` files in the repository: the `.po` text is the only thing anyone edits or reviews.
"""

from __future__ import annotations

import functools
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SOURCE = "en"
"""The language the messages are written in: it needs no catalog."""
DOMAIN = "huzzah"
LOCALES = Path(__file__).resolve().parent.parent / "locales"


def po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalog(code: str) -> NullTranslations:
    """The compiled catalog for a language; the source language (or one without a file) says the source."""
    path = po_path(code)
    if code == SOURCE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        messages = read_po(po, locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
