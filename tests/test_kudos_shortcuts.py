"""The core's rules for the kudos that do not start as a typed command: a reaction, a message shortcut's
form, and the home page — platform-neutral, through `Huzzah.handle` and the console messenger."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from adapters.console.session import ConsoleSession
from bot.features.kudos.giving import GIVE_SHORTCUT
from bot.features.kudos.views import GIVE_FORM
from bot.forms import Note, Select, TextInput
from bot.incoming import MessageRef, Reacted, Shortcut, Submitted
from bot.messages import plain_text
from bot.outgoing import Response
from bot.people import Channel
from storage.tables.kudos import kudos

LINK = "https://example.test/archives/C1/p1"


async def rows(console: ConsoleSession) -> int:
    async with console.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(kudos))).scalar_one()


def support(console: ConsoleSession) -> Channel:
    return console.where("#support")


def reaction(console: ConsoleSession, who: str, author: str, emoji: str = "tada", msg: str = "1") -> Reacted:
    ref = MessageRef("console", "local", "#support", msg)
    return Reacted(console.person(who), support(console), emoji, console.person(author), ref, LINK)


async def handled(console: ConsoleSession, incoming) -> Response:  # type: ignore[no-untyped-def]
    response = await console.core.handle(incoming)
    await console.core.outbox.drain()
    return response


def silent(response: Response) -> bool:
    """Nothing said and no form opened (whatever language it would have been in)."""
    return not response.replies and response.form is None


async def test_a_reaction_thanks_the_author_with_a_link_once_per_reactor_and_message(console: ConsoleSession) -> None:
    first = await handled(console, reaction(console, "alice", "bob"))
    assert "Sent!" in plain_text(first.replies[0])
    [post] = [s for s in console.messenger.shown if s.where == "#kudos"]
    assert "Huzzah for @bob" in post.text and LINK in post.text and "from @alice" in post.text

    again = await handled(console, reaction(console, "alice", "bob"))
    assert silent(again) and await rows(console) == 1
    await handled(console, reaction(console, "carol", "bob"))  # someone else's thanks counts
    assert await rows(console) == 2


async def test_reactions_that_are_not_thanks_change_nothing(console: ConsoleSession) -> None:
    for ignored in (reaction(console, "alice", "alice"), reaction(console, "alice", "huzzah"),
                    reaction(console, "alice", "bob", emoji="thumbsup")):
        assert silent(await handled(console, ignored))
    assert await rows(console) == 0


async def test_a_reaction_beyond_the_allowance_is_refused_and_can_be_given_tomorrow(console: ConsoleSession) -> None:
    for n in range(5):
        await handled(console, reaction(console, "alice", "bob", msg=str(n)))
    refused = await handled(console, reaction(console, "alice", "bob", msg="late"))
    assert "0 of your 5" in plain_text(refused.replies[0])
    console.core.ctx.clock.advance(days=1)  # type: ignore[attr-defined]
    assert "Sent!" in plain_text((await handled(console, reaction(console, "alice", "bob", msg="late"))).replies[0])


def shortcut(console: ConsoleSession, who: str, author: str) -> Shortcut:
    ref = MessageRef("console", "local", "#support", "9")
    return Shortcut(console.person(who), support(console), GIVE_SHORTCUT, console.person(author), ref, LINK)


async def test_the_shortcut_form_names_the_author_links_the_message_and_offers_the_values(
    console: ConsoleSession,
) -> None:
    form = (await handled(console, shortcut(console, "alice", "bob"))).form
    assert form is not None and form.id == GIVE_FORM
    note = next(f for f in form.fields if isinstance(f, Note))
    assert console.person("bob") in note.parts
    assert [f.name for f in form.fields if isinstance(f, TextInput | Select)] == ["reason", "values"]
    values = next(f for f in form.fields if isinstance(f, Select))
    assert ("🦉 ownership", "ownership") in values.options and values.multi and values.optional
    assert json.loads(form.context)["link"] == LINK


async def test_the_submitted_form_gives_kudos_and_a_refusal_keeps_what_was_typed(console: ConsoleSession) -> None:
    form = (await handled(console, shortcut(console, "alice", "bob"))).form
    assert form is not None

    def submit(values: dict[str, str | tuple[str, ...]]) -> Submitted:
        return Submitted(console.person("alice"), support(console), form.id, values, form.context)

    refused = await handled(console, submit({"reason": "", "values": ("teamwork",)}))
    assert refused.form is not None and "Say why" in str(refused.form.fields[0])
    assert next(f for f in refused.form.fields if isinstance(f, Select)).initial == ("teamwork",)
    assert await rows(console) == 0

    sent = await handled(console, submit({"reason": "thanks for the macro", "values": ("teamwork",)}))
    assert "Sent!" in plain_text(sent.replies[0])
    [post] = [s for s in console.messenger.shown if s.where == "#kudos"]
    assert "thanks for the macro" in post.text and "🤝 teamwork" in post.text and LINK in post.text


async def test_no_shortcut_form_for_your_own_or_a_bots_message(console: ConsoleSession) -> None:
    own = await handled(console, shortcut(console, "alice", "alice"))
    bot = await handled(console, shortcut(console, "alice", "huzzah"))
    assert own.form is None and "can't give yourself" in plain_text(own.replies[0])
    assert bot.form is None and "is a bot" in plain_text(bot.replies[0])


async def test_a_tampered_form_context_is_answered_not_crashed(console: ConsoleSession) -> None:
    answer = await handled(console, Submitted(console.person("alice"), support(console), GIVE_FORM,
                                              {"reason": "x"}, "not json"))
    assert "out of date" in plain_text(answer.replies[0])


async def test_the_home_page_counts_and_lists_the_latest_thanks(console: ConsoleSession) -> None:
    await console.say("alice", "@bob thanks for the late-night save #ownership")
    await console.say("carol", "@bob thanks for the macro")
    page = plain_text(await console.core.home(console.person("bob"), prefix="/huzzah "))
    assert "This week: received 2 · given 0" in page and "All time: received 2 · given 0" in page
    assert page.index("thanks for the macro") < page.index("thanks for the late-night save")
    assert "🦉 #ownership: We see it through." in page
    empty = plain_text(await console.core.home(console.person("dave")))
    assert "No huzzahs yet" in empty
