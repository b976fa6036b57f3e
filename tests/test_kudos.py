"""Kudos end to end through the console adapter, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.features import FEATURES
from storage.tables.kudos import kudos, kudos_cogivers, kudos_recipients, kudos_values


async def count(console: ConsoleSession, table) -> int:  # type: ignore[no-untyped-def]
    async with console.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


def where(shown, place: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in shown if s.where == place]


async def test_kudos_round_trip_posts_publicly_tells_recipients_and_confirms(console: ConsoleSession) -> None:
    shown = await console.say(
        "alice", "@bob @carol thanks for staying late with the outage customer #ownership #teamwork"
    )

    post = where(shown, "#kudos")
    assert len(post) == 1
    assert "Huzzah for @bob and @carol" in post[0]
    assert "> thanks for staying late with the outage customer" in post[0]
    assert "🦉 ownership · 🤝 teamwork" in post[0] and "from @alice" in post[0]
    assert len(where(shown, "DM @bob")) == 1 and len(where(shown, "DM @carol")) == 1
    assert "Sent!" in where(shown, "only @alice")[0]
    assert await count(console, kudos) == 1
    assert await count(console, kudos_recipients) == 2
    assert await count(console, kudos_values) == 2


def only(shown, name: str) -> str:  # type: ignore[no-untyped-def]
    """The private reply the bot showed to `name` (and nothing was posted publicly)."""
    assert not [s for s in shown if s.where == "#kudos"], "a refused kudos must not be posted"
    replies = where(shown, f"only @{name}")
    assert len(replies) == 1
    return replies[0]


async def test_self_kudos_is_refused_and_nothing_is_stored(console: ConsoleSession) -> None:
    reply = only(await console.say("alice", "@alice thanks me for being awesome"), "alice")
    assert "can't give yourself" in reply
    assert await count(console, kudos) == 0


async def test_kudos_to_the_bot_is_refused(console: ConsoleSession) -> None:
    reply = only(await console.say("alice", "@huzzah thanks for existing"), "alice")
    assert "bot" in reply and "Mention a person" in reply
    assert await count(console, kudos) == 0


async def test_unknown_person_is_named(console: ConsoleSession) -> None:
    reply = only(await console.say("alice", "@zed thanks for the help"), "alice")
    assert "@zed" in reply
    assert await count(console, kudos) == 0


async def test_unknown_value_lists_the_known_ones_and_the_closest(console: ConsoleSession) -> None:
    reply = only(await console.say("alice", "@bob thanks for the save #ownershp"), "alice")
    assert "#ownershp isn't one of our values" in reply
    assert "Did you mean #ownership?" in reply
    assert "#ownership, #teamwork, #empathy" in reply
    assert await count(console, kudos) == 0


async def test_values_match_case_insensitively_and_are_stored_by_their_name(console: ConsoleSession) -> None:
    shown = await console.say("alice", "@bob thanks for the save #OwnerShip")
    assert "🦉 ownership" in where(shown, "#kudos")[0]


async def test_a_value_tagged_twice_in_any_case_counts_once(console: ConsoleSession) -> None:
    shown = await console.say("alice", "@bob thanks for the save #ownership #OwnerShip")
    assert "Sent!" in where(shown, "only @alice")[0] and where(shown, "#kudos")[0].count("🦉 ownership") == 1
    assert await count(console, kudos_values) == 1


async def test_empty_reason_asks_why(console: ConsoleSession) -> None:
    reply = only(await console.say("alice", "@bob #ownership"), "alice")
    assert "Say why" in reply
    assert await count(console, kudos) == 0


async def test_too_long_reason_gives_the_limit(console: ConsoleSession) -> None:
    reply = only(await console.say("alice", "@bob " + "so good " * 130), "alice")
    assert "keep it under 1,000" in reply
    assert await count(console, kudos) == 0


async def test_eleven_recipients_are_too_many(core) -> None:  # type: ignore[no-untyped-def]
    crowd = [f"agent{i}" for i in range(12)]
    session = ConsoleSession(core, ConsoleDirectory(crowd), channel="#support")
    line = " ".join(f"@{n}" for n in crowd[1:12]) + " thanks for the launch"
    reply = only(await session.say("agent0", line), "agent0")
    assert "at most 10" in reply
    assert await count(session, kudos) == 0


async def test_daily_allowance_holds_and_refills_the_next_day(console: ConsoleSession, clock) -> None:  # type: ignore[no-untyped-def]
    await console.say("alice", "@bob @carol thanks for the handover")
    await console.say("alice", "@dave @erin @frank thanks for the cover")
    reply = only(await console.say("alice", "@grace thanks for the doc"), "alice")
    assert "0 of your 5 daily thank-yous left" in reply
    assert await count(console, kudos) == 2

    clock.advance(days=1)
    shown = await console.say("alice", "@grace thanks for the doc")
    assert len(where(shown, "#kudos")) == 1
    assert "4 thank-yous left" in where(shown, "only @alice")[0]


async def test_text_in_any_script_and_emoji_is_kept_exactly(console: ConsoleSession) -> None:
    reason = "谢谢你 — cảm ơn bạn đã giúp 🙏🏽 with the Zürich caller"
    shown = await console.say("alice", f"@bob {reason} #teamwork")
    assert f"> {reason}" in where(shown, "#kudos")[0]
    assert f"> {reason}" in where(shown, "DM @bob")[0]


async def test_me_too_adds_a_co_giver_and_updates_the_post(console: ConsoleSession) -> None:
    await console.say("alice", "@bob thanks for the save #ownership")
    shown = await console.press("carol", "Me too")
    assert "joined the thanks" in where(shown, "only @carol")[0]
    edited = [s.text for s in shown if s.where.startswith("(edited)")]
    assert edited and "from @alice with @carol" in edited[-1]


async def test_me_too_spends_the_co_givers_own_allowance(console: ConsoleSession) -> None:
    await console.say("carol", "@erin @frank @grace @heidi thanks for the fire drill")
    await console.say("alice", "@bob @dave thanks for the weekend cover")

    refused = where(await console.press("carol", "Me too"), "only @carol")[0]
    assert "You have 1 of your 5 daily thank-yous left and this needs 2" in refused
    assert await count(console, kudos_cogivers) == 0

    await console.press("erin", "Me too")
    assert "You have 2 thank-yous left today" in where(await console.say("erin", "@frank thanks"), "only @erin")[0]


async def test_me_too_is_refused_for_the_recipient_and_the_giver(console: ConsoleSession) -> None:
    await console.say("alice", "@bob thanks for the save")
    assert "for you" in where(await console.press("bob", "Me too"), "only @bob")[0]
    assert "already part" in where(await console.press("alice", "Me too"), "only @alice")[0]


async def test_stats_count_this_week_and_all_time_with_top_values(console: ConsoleSession, clock) -> None:  # type: ignore[no-untyped-def]
    await console.say("alice", "@bob thanks for the save #ownership")
    clock.advance(days=7)
    await console.say("carol", "@bob thanks for the macro #ownership #teamwork")
    stats = where(await console.say("bob", "stats"), "only @bob")[0]
    assert "This week: given 0 · received 1" in stats
    assert "All time: given 0 · received 2" in stats
    assert "🦉 ownership (2)" in stats
    about_bob = where(await console.say("alice", "stats @bob"), "only @alice")[0]
    assert "@bob's huzzahs" in about_bob


async def test_help_lists_every_command_with_an_example(console: ConsoleSession) -> None:
    reply = where(await console.say("alice", "help"), "only @alice")[0]
    for entry in (e for f in FEATURES for e in f.help):
        assert entry.usage in reply and entry.example in reply


async def test_gibberish_gets_help_not_an_exception(console: ConsoleSession) -> None:
    reply = where(await console.say("alice", "}{ DROP TABLE kudos; --"), "only @alice")[0]
    assert "I don't know the command" in reply and "e.g." in reply
