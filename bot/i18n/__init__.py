"""The one translation layer: every word Huzzah says goes through here, in the language of whoever reads it.

Messages are written in English in the source, marked with `tr` (or `tr_plural`, `tr_parts`, `N_`), and
looked up in the gettext catalogs under `bot/locales/`. Which language is "current" is a context variable:
the core sets it to the sender's language for the whole of a request, and a feature wraps what it writes to
someone else (a DM, a channel post) in `speaking(...)` for that reader. Placeholders are named (`{name}`),
so a translation may put them in any order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from datetime import datetime
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from bot.i18n.catalogs import SOURCE as SOURCE
from bot.i18n.catalogs import catalog
from bot.messages import Inline, Link, Strong
from bot.people import Person

LANGUAGES: dict[str, str] = {
    "en": "English", "zh_Hans": "简体中文", "zh_Hant": "繁體中文", "vi": "Tiếng Việt", "es": "Español",
}
"""Every language Huzzah speaks (Babel identifiers) → its own name for itself."""
TAGS: dict[str, str] = {"en": "en", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "vi": "vi", "es": "es"}
"""How people type each language (`language zh-TW`)."""
_FORMATS = {"en": "en_GB"}
"""English dates as Huzzah always wrote them: day before month, 24-hour clock."""

_current: ContextVar[str | None] = ContextVar("huzzah_language", default=None)
_workspace = [SOURCE]


def language_of(tag: str | None) -> str | None:
    """A platform's or person's locale (`vi-VN`, `zh_TW`, `zh-Hant`, `Español`) → one of LANGUAGES, or None."""
    if not tag:
        return None
    wanted = tag.strip()
    for code, name in LANGUAGES.items():
        if wanted.casefold() in (code.casefold(), name.casefold(), TAGS[code].casefold()):
            return code
    try:
        locale = Locale.parse(wanted.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if locale.language == "zh":
        return "zh_Hant" if locale.script == "Hant" else "zh_Hans"
    return locale.language if locale.language in LANGUAGES else None


def set_workspace_language(code: str) -> None:
    """The language of channel posts and of anyone whose own is unknown (app.yaml `language:`)."""
    _workspace[0] = code


def workspace_language() -> str:
    return _workspace[0]


def current() -> str:
    return _current.get() or _workspace[0]


@contextlib.contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """Everything built inside is in `code` (None: the workspace's language)."""
    token = _current.set(code or _workspace[0])
    try:
        yield current()
    finally:
        _current.reset(token)


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is defined; it is translated (`tr`) where it is shown."""
    return message


def _shown(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return value


def _filled(message: str, values: dict[str, object]) -> str:
    return message.format_map({k: _shown(v) for k, v in values.items()}) if values else message


def tr(message: str, /, **values: object) -> str:
    """`message` in the current language, its `{placeholders}` filled (whole numbers formatted for the locale)."""
    return _filled(catalog(current()).gettext(message), values)


def tr_plural(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The form the current language uses for `n` (`{n}` is filled too)."""
    return _filled(catalog(current()).ngettext(singular, plural, n), {"n": n, **values})


def _split(message: str, values: dict[str, object]) -> tuple[Inline, ...]:
    """A translated message as parts: mentions, strong text and links stay parts, never flattened to words."""
    out: list[Inline] = []
    rest = message
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        out.append(before)
        value = values[name]
        if isinstance(value, Person | Strong | Link):
            out.append(value)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            out.extend(value)
        else:
            out.append(str(_shown(value)))
    out.append(rest)
    return tuple(p for p in out if p != "")


def tr_parts(message: str, /, **values: object) -> tuple[Inline, ...]:
    """Like `tr`, for a paragraph whose placeholders are people, strong text, links or lists of those."""
    return _split(catalog(current()).gettext(message), values)


def tr_plural_parts(singular: str, plural: str, n: int, /, **values: object) -> tuple[Inline, ...]:
    return _split(catalog(current()).ngettext(singular, plural, n), {"n": n, **values})


def number_locale() -> str:
    """The Babel locale dates and numbers are written in for the current language."""
    code = current()
    return _FORMATS.get(code, code)


def number(value: float) -> str:
    return format_decimal(value, locale=number_locale())


def decimal(value: float, pattern: str = "0.0") -> str:
    """One decimal place, with this language's decimal mark (`3,8` in Spanish and Vietnamese)."""
    return format_decimal(value, format=pattern, locale=number_locale())


def percent(share: float) -> str:
    return format_percent(share, locale=number_locale())


def when(moment: datetime, skeleton: str = "MMMEd") -> str:
    """A date or time as this language writes it: a CLDR skeleton (`MMMEd` Fri 4 Dec, `Hm` 17:00, `yMMMd`)."""
    return format_skeleton(skeleton, moment, locale=number_locale())


def weekday(index: int, width: Literal["abbreviated", "wide"] = "wide") -> str:
    """Monday is 0, as in `datetime.weekday()`."""
    return str(get_day_names(width, locale=number_locale())[index])


def listing(items: Sequence[Inline]) -> tuple[Inline, ...]:
    """`@a`, `@a and @b`, `@a, @b and @c` the way this language lists things (people stay mentions)."""
    if not items:
        return ()
    pattern = format_list([f"{{{i}}}" for i in range(len(items))], locale=number_locale())
    return _split(pattern, {str(i): item for i, item in enumerate(items)})
