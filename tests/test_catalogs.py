"""The catalogs: every message in every language, the same placeholders, and nothing too long for a platform.

The messages are found in the source by Babel's extractor (the same one `python -m bot.i18n.sources` uses to
update the `.po` files), so a message added in English only fails here until each language has it.
"""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from adapters.msteams.limits import MAX_TEXT_CHARS as TEAMS_MAX_TEXT_CHARS
from adapters.slack.render import MAX_LABEL_CHARS, MAX_SECTION_CHARS, MAX_TITLE_CHARS
from bot.config import Settings
from bot.features import FEATURES
from bot.features.checkins.views import mood_buttons, question, vent_form
from bot.features.kudos.views import give_form
from bot.features.polls.builder import builder_form
from bot.features.polls.settings import PollSettings
from bot.forms import Checkboxes, Form, Select, TextInput
from bot.help import HELP
from bot.i18n import LANGUAGES, SOURCE, speaking, tr
from bot.i18n.catalogs import DOMAIN, po_path
from bot.i18n.sources import KEYWORDS, PACKAGES, ROOT, singular, source_catalog, untranslated
from bot.messages import Buttons
from bot.people import Channel, Person

TRANSLATED = [code for code in LANGUAGES if code != SOURCE]


def translations(code: str) -> Catalog:
    with po_path(code).open("rb") as po:
        return read_po(po, locale=code, domain=DOMAIN)


def gaps(template: Catalog, catalog: Catalog) -> list[str]:
    """Messages of the source that the catalog lacks, or has without a translation for every plural form."""
    missing = [singular(m.id) for m in template if m.id and catalog.get(m.id) is None]
    return missing + untranslated(catalog)


def fields(words: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(words) if name is not None}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return source_catalog()


def test_the_source_has_the_messages_people_read(template: Catalog) -> None:
    ids = {singular(m.id) for m in template if m.id}
    assert len(ids) > 250
    assert {"👋 How was your week?", "Huzzah help", "🙌 Me too", "Close poll"} <= ids


def test_the_extractor_sees_every_message_given_to_the_layer(template: Catalog) -> None:
    """Babel's extractor skips a marked message nested in another marked call's arguments; none may hide so."""
    ids = {singular(m.id) for m in template if m.id}
    given = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS):
                    continue
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    given.append((path.relative_to(ROOT).as_posix(), first.value))
    assert len(given) > 250
    assert [(where, words) for where, words in given if words not in ids] == []


def test_every_help_line_is_a_message(template: Catalog) -> None:
    """Help summaries are data, translated where help is drawn: each must be marked (`N_`) to reach the catalogs."""
    ids = {singular(m.id) for m in template if m.id}
    summaries = [entry.summary for feature in FEATURES for entry in feature.help] + [HELP.summary]
    assert [s for s in summaries if s not in ids] == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalog_translates_every_message(template: Catalog, code: str) -> None:
    assert gaps(template, translations(code)) == []


def test_a_message_added_in_english_only_is_caught(tmp_path: Path) -> None:
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "new_feature.py").write_text(
        "from bot.i18n import N_, tr, tr_plural\n"
        "HELLO = N_('A brand new greeting')\n"
        "def shown(n: int) -> str:\n"
        "    return tr('Welcome, {name}!', name='x') + tr_plural('{n} new thing', '{n} new things', n)\n",
        encoding="utf-8",
    )
    grown = source_catalog(tmp_path, ("bot",))
    for code in TRANSLATED:
        assert gaps(grown, translations(code)) == ["A brand new greeting", "Welcome, {name}!", "{n} new thing"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_match_the_source_in_every_form(code: str) -> None:
    """Every `{name}` of the source in every translation and plural form, and no other."""
    wrong = []
    for message in translations(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(fields(i) for i in ids))
        # a plural form may leave the count unsaid ("in the last week"), never anything else
        wrong += [(ids[0], s) for s in strings if fields(s) != wanted and fields(s) | {"n"} != wanted]
    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_mrkdwn_code_spans_and_emoji_survive_translation(code: str) -> None:
    """A command shown as `code` stays typeable: the same backticked commands, the same leading emoji."""
    wrong = []
    for message in translations(code):
        if not message.id or isinstance(message.id, tuple):
            continue
        if message.id.count("`") != message.string.count("`"):
            wrong.append(message.id)
        lead = message.id.split(" ", 1)[0]
        if lead and unicodedata.category(lead[0]) == "So" and not message.string.startswith(lead):
            wrong.append(message.id)
    assert wrong == []


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_no_message_overflows_slack_or_teams(code: str) -> None:
    """Whole messages fit a Slack section and a Teams text; what Slack shows in tighter places — modal titles
    and buttons, field labels, check-box choices — fits there, so nothing is cut off with an ellipsis."""
    every = [s for m in translations(code if code != SOURCE else TRANSLATED[0]) if m.id
             for s in ((m.id if isinstance(m.id, tuple) else (m.id,)) if code == SOURCE else
                       (m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert max(len(s) for s in every) < min(MAX_SECTION_CHARS, TEAMS_MAX_TEXT_CHARS) // 2

    settings = Settings.model_validate({"values": [{"name": "ownership", "emoji": "🦉"}]})
    someone = Person("slack", "T1", "U1", "alice")
    with speaking(code):
        forms: list[Form] = [
            give_form(settings, someone, "https://example.invalid/m", "{}"),
            vent_form(settings, "r1"),
            builder_form(Channel("slack", "T1", "C1", name="support"), PollSettings()),
        ]
        tight = [tr("Cancel"), tr("Close"), *(f.title for f in forms), *(f.submit for f in forms)]
        labels = [f.label for form in forms for f in form.fields if isinstance(f, TextInput | Select | Checkboxes)]
        labels += [label for form in forms for f in form.fields if isinstance(f, Checkboxes) for label, _ in f.options]
        asked = question(settings, "r1", "Fri 4 Dec")
        labels += [b.label for block in (*asked.blocks, mood_buttons("r1")) if isinstance(block, Buttons)
                   for b in block.buttons]
        labels += [tr("🙌 Me too"), tr("Close poll")]
    assert [t for t in tight if len(t) > MAX_TITLE_CHARS] == []
    assert [label for label in labels if len(label) > MAX_LABEL_CHARS] == []
