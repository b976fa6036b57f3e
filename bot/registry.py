"""Every feature's grammar and handlers in one table, built once at start; a key two features claim stops
start-up with a message naming both."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.context import Context
from bot.feature import (
    ActionHandler,
    CommandHandler,
    Feature,
    FormHandler,
    HomeSection,
    Parser,
    ReactionHandler,
    ShortcutHandler,
    Ticker,
)
from bot.grammar import CORE_VERBS, Grammar
from bot.grammar.help import HelpEntry
from bot.outbox import View

CORE = "the core"
KEYED = ("commands", "actions", "forms", "shortcuts", "reactions", "views")
"""The `Handlers` tables whose keys must each have one owner."""


class ClashError(Exception):
    """Two features (or a feature and the core) claim the same verb, button, form, shortcut, reaction or view."""


def grammar_of(features: Iterable[Feature]) -> Grammar:
    """The features' verbs and leading-mention rule as one grammar; raises ClashError on a shared verb."""
    owners: dict[tuple[str, Any], str] = {("verb", verb): CORE for verb in CORE_VERBS}
    verbs: dict[str, Parser] = {}
    mention: Parser | None = None
    sections: dict[str, str] = {}
    for feature in _unique(features):
        for verb, parser in feature.verbs.items():
            _claim(owners, "verb", verb.casefold(), feature.name)
            verbs[verb.casefold()] = parser
        if feature.mention is not None:
            _claim(owners, "mention", "", feature.name)
            mention = feature.mention
        for key in feature.settings:
            if sections.setdefault(key, feature.name) != feature.name:
                raise ClashError(f"features {sections[key]!r} and {feature.name!r} both claim the app.yaml "
                                 f"section {key!r}; rename one of them")
    return Grammar(verbs, mention)


@dataclass(frozen=True)
class Registry:
    grammar: Grammar
    help: tuple[HelpEntry, ...]
    commands: Mapping[type, CommandHandler]
    actions: Mapping[str, ActionHandler]
    forms: Mapping[str, FormHandler]
    shortcuts: Mapping[str, ShortcutHandler]
    reactions: Mapping[str, ReactionHandler]
    views: Mapping[str, View]
    home: tuple[HomeSection, ...]
    tickers: tuple[Ticker, ...]
    owners: Mapping[tuple[str, Any], str] = field(default_factory=dict)
    """(table, key) → the feature that answers it: `("actions", "poll.vote")` → "polls" (for logs)."""
    ticker_owners: Mapping[Ticker, str] = field(default_factory=dict)

    def owner(self, kind: str, key: Any) -> str:
        """The feature behind a command type, action, form, shortcut or reaction; "" when none is."""
        return self.owners.get((kind, key), "")
    confidential: frozenset[type | str] = frozenset()

    @classmethod
    def of(cls, features: Iterable[Feature], ctx: Context) -> Registry:
        """Build every feature against `ctx`; raises ClashError naming both claimants of a key."""
        features = tuple(features)
        grammar = grammar_of(features)
        built = [(feature.name, feature.build(ctx)) for feature in features]
        owners: dict[tuple[str, Any], str] = {}
        tables: dict[str, dict[Any, Any]] = {kind: {} for kind in KEYED}
        for name, handlers in built:
            for kind, table in tables.items():
                for key, handler in getattr(handlers, kind).items():
                    _claim(owners, kind, key, name)
                    table[key] = handler
        return cls(
            grammar=grammar,
            help=tuple(entry for feature in features for entry in feature.help),
            commands=tables["commands"], actions=tables["actions"], forms=tables["forms"],
            shortcuts=tables["shortcuts"], reactions=tables["reactions"], views=tables["views"],
            home=tuple(section for _, h in built for section in h.home),
            tickers=tuple(ticker for _, h in built for ticker in h.tickers),
            owners=owners, ticker_owners={ticker: name for name, h in built for ticker in h.tickers},
            confidential=frozenset(key for _, h in built for key in h.confidential),
        )


def _unique(features: Iterable[Feature]) -> Iterable[Feature]:
    seen: set[str] = set()
    for feature in features:
        if feature.name in seen:
            raise ClashError(f"two features are both called {feature.name!r}")
        seen.add(feature.name)
        yield feature


def _claim(owners: dict[tuple[str, Any], str], kind: str, key: Any, feature: str) -> None:
    owner = owners.setdefault((kind, key), feature)
    if owner != feature:
        what = "what a leading mention means" if kind == "mention" else f"the {kind.removesuffix('s')} {_shown(key)!r}"
        first = CORE if owner == CORE else f"feature {owner!r}"
        raise ClashError(f"{first} and feature {feature!r} both claim {what}; rename one of them")


def _shown(key: Any) -> str:
    return key.__name__ if isinstance(key, type) else str(key)
