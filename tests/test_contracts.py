"""Extending Huzzah through its contracts alone: a toy feature and a toy platform, plugged in the way a
new engineer would add birthdays or Mattermost, driven end to end over a real web server on loopback."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.console.render import render
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features import FEATURES
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, plain
from bot.incoming import MessageRef, Pressed, Said
from bot.messages import Button, Buttons, Message, message, say, text
from bot.outbox import send_later
from bot.outgoing import Post, Response, reply
from bot.people import Channel, Person
from bot.platform import Connector, Core, Platform, Receiving, Route
from bot.registry import ClashError
from huzzah.platforms import configured, connect
from huzzah.server import build_web_app, listening
from storage.db import Database

TOY = "toy"
PARTY = Channel(TOY, "w1", "party", name="party")


# ---- a toy feature: `cake <flavour>` posts a cake in #party with an "Eat" button; a ticker counts ticks ------

@dataclass(frozen=True)
class BakeCake:
    flavour: str


def parse_cake(parts: Parts) -> BakeCake:
    return BakeCake(plain(parts).strip() or "plain")


@dataclass
class Bakery:
    ctx: Context
    ticks: int = 0

    async def bake(self, said: Said, cmd: BakeCake) -> Response:
        async with self.ctx.db.transaction() as conn:
            post = Post(PARTY, message(text(f"🎂 A {cmd.flavour} cake from ", said.sender),
                                       Buttons((Button("Eat", "cake.eat", cmd.flavour),))))
            await send_later(conn, post, self.ctx.clock.now(), key=f"cake:{cmd.flavour}")
        return reply(say(f"Baked a {cmd.flavour} cake for #party."))

    async def eat(self, pressed: Pressed) -> Response:
        return reply(say(f"Yum, {pressed.value}."))

    async def tick(self) -> None:
        self.ticks += 1


BAKERIES: list[Bakery] = []


def build_cakes(ctx: Context) -> Handlers:
    bakery = Bakery(ctx)
    BAKERIES.append(bakery)
    return Handlers(commands={BakeCake: bakery.bake}, actions={"cake.eat": bakery.eat}, tickers=(bakery.tick,))


CAKES = Feature("cakes", build_cakes, verbs={"cake": parse_cake},
                help=(HelpEntry("cake <flavour>", "Bake a cake for the party", "cake lemon"),))


# ---- a toy platform: JSON over one route in, a recording messenger out ------------------------------------

@dataclass
class ToyMessenger:
    platform: str = TOY
    posted: list[tuple[str, Message]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def post(self, channel: Channel, msg: Message, thread: MessageRef | None, *, key: str = "") -> MessageRef:
        self.posted.append((channel.id, msg))
        return MessageRef(TOY, channel.workspace, channel.id, str(next(self._ids)))

    async def direct(self, person: Person, msg: Message, *, key: str = "") -> MessageRef:
        return await self.post(Channel(TOY, person.workspace, f"dm:{person.user_id}", is_direct=True), msg, None)

    async def update(self, ref: MessageRef, msg: Message) -> None:
        self.posted.append((ref.channel, msg))


def toy_platform(core: Core, token: str) -> Platform:
    messenger = ToyMessenger()

    async def said(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"error": "unauthorized"}, status=401)
        body = await request.json()
        sender = Person(TOY, "w1", body["user"], body["user"])
        channel = Channel(TOY, "w1", body.get("channel", "party"))
        if "press" in body:
            incoming: Any = Pressed(sender, channel, body["press"]["action"], body["press"]["value"])
        else:
            incoming = Said(sender, channel, (body["text"],))
        response = await core.handle(incoming)
        await core.drain()
        return web.json_response({"replies": [render(m) for m in response.replies]})

    return Platform(TOY, messenger, routes=(Route("POST", "/toy/events", said),))


def toy_configure(env: dict[str, str], receiving: Receiving) -> str | None:
    return env.get("TOY_TOKEN") or None


TOY_CONNECTOR = Connector(TOY, toy_configure, toy_platform)  # type: ignore[arg-type]


# ---- the tests --------------------------------------------------------------------------------------------

async def test_a_toy_feature_and_a_toy_platform_work_end_to_end_through_the_contracts(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    core = Huzzah(settings, db, clock, features=(*FEATURES, CAKES))
    assert configured({}, "http", [TOY_CONNECTOR]) == [], "not configured: off"
    [toy] = connect(core, configured({"TOY_TOKEN": "t0k"}, "http", [TOY_CONNECTOR]))
    messenger: ToyMessenger = toy.messenger  # type: ignore[assignment]
    bakery = BAKERIES[-1]

    async with listening(build_web_app(core), "127.0.0.1", 0) as port, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}/toy/events"
        async with http.post(url, json={"user": "ann", "text": "cake lemon"}) as refused:
            assert refused.status == 401
        headers = {"Authorization": "Bearer t0k"}
        async with http.post(url, json={"user": "ann", "text": "cake lemon"}, headers=headers) as baked:
            assert (await baked.json())["replies"] == ["Baked a lemon cake for #party."]
        [(channel, cake)] = messenger.posted
        assert channel == "party" and "lemon cake from" in str(cake.blocks[0])
        [eat] = cake.blocks[1].buttons  # type: ignore[union-attr]
        async with http.post(url, json={"user": "bo", "press": {"action": eat.action, "value": eat.value}},
                             headers=headers) as eaten:
            assert (await eaten.json())["replies"] == ["Yum, lemon."]
        async with http.post(url, json={"user": "bo", "text": "help"}, headers=headers) as helped:
            help_text = str(await helped.json())
        assert "cake <flavour>" in help_text and "poll" in help_text, "the toy's help line beside the others'"

    before = bakery.ticks
    await core.tick()
    assert bakery.ticks == before + 1, "the toy's ticker runs with every other feature's"


def test_a_second_feature_claiming_the_same_verb_stops_start_up_naming_both(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    copycat = Feature("pastries", build_cakes, verbs={"Cake": parse_cake})
    with pytest.raises(ClashError, match="'cakes' and feature 'pastries' both claim the verb 'cake'"):
        Huzzah(settings, db, clock, features=(*FEATURES, CAKES, copycat))


def test_a_feature_claiming_a_core_verb_or_another_features_button_is_refused(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    polls_too = Feature("survey", lambda ctx: Handlers(), verbs={"poll": parse_cake})
    with pytest.raises(ClashError, match="'polls' and feature 'survey' both claim the verb 'poll'"):
        Huzzah(settings, db, clock, features=(*FEATURES, polls_too))
    helpful = Feature("helper", lambda ctx: Handlers(), verbs={"help": parse_cake})
    with pytest.raises(ClashError, match="the core and feature 'helper' both claim the verb 'help'"):
        Huzzah(settings, db, clock, features=(*FEATURES, helpful))
    eater = Feature("eater", lambda ctx: Handlers(actions={"cake.eat": Bakery(ctx).eat}))
    with pytest.raises(ClashError, match=r"'cakes' and feature 'eater' both claim the action 'cake\.eat'"):
        Huzzah(settings, db, clock, features=(*FEATURES, CAKES, eater))


def test_two_platforms_of_one_name_are_refused(settings: Settings, db: Database, clock: FakeClock) -> None:
    core = Huzzah(settings, db, clock)
    core.plug(toy_platform(core, "a"))
    with pytest.raises(ClashError, match="'toy'"):
        core.plug(toy_platform(core, "b"))
