"""A kudos is stored from what is in hand, in few statements: people upserted at once, the record built without
reading it back, its deliveries queued together — each the same as the slower way it replaced, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.messages import say
from bot.outbox import send_all_later, send_later
from bot.outgoing import Direct, Refresh
from bot.people import Person
from bot.speakers import language_in, language_stored
from storage.db import Database
from storage.delivery import status_of
from storage.kudos import NewKudos, add_all_kudos, get_kudos
from storage.people import choose_language, upsert_people


def person(user_id: str, name: str = "", *, tz: str | None = None, locale: str | None = None,
           active: bool = True) -> Person:
    return Person("slack", "T1", user_id, name, tz=tz, active=active, locale=locale)


async def test_people_are_upserted_at_once_and_what_the_platform_did_not_say_is_kept(
    db: Database, clock: FakeClock
) -> None:
    async with db.transaction() as conn:
        first = await upsert_people(conn, [person("UB", "bob", tz="Europe/Paris", locale="fr-FR"), person("UA")],
                                    clock.now())
    later = clock.now() + timedelta(days=1)
    async with db.transaction() as conn:
        again = await upsert_people(conn, [
            person("UC", "carol", locale="vi-VN"), person("UB", "", tz="", active=False), person("UA", "alice"),
            person("UA", "another copy of alice"),
        ], later)
    assert {p.user_id: s.id for p, s in again.items() if p.user_id != "UC"} == {
        p.user_id: s.id for p, s in first.items()
    }
    bob = again[person("UB")].person
    assert (bob.name, bob.tz, bob.locale, bob.active) == ("bob", "Europe/Paris", "fr-FR", False)
    assert again[person("UA")].person.name == "alice"  # the first of two copies of one account
    assert again[person("UC")].person.locale == "vi-VN" and again[person("UC")].language is None
    async with db.transaction() as conn:
        assert await upsert_people(conn, [], later) == {}


async def test_the_language_read_from_the_upsert_is_the_one_language_in_finds(db: Database, clock: FakeClock) -> None:
    async with db.transaction() as conn:
        await upsert_people(conn, [person("UB", "bob", locale="vi-VN"), person("UC", "carol", locale="es-ES")],
                            clock.now())
        await choose_language(conn, person("UC"), "zh_Hant", clock.now())
        for told in (person("UA", "alice"), person("UB", "bob"), person("UC", "carol", locale="vi-VN"),
                     person("UB", "bob", locale="es-ES")):
            stored = (await upsert_people(conn, [told], clock.now()))[told]
            assert language_stored(stored) == await language_in(conn, told), told


async def test_the_record_of_a_kudos_just_added_is_the_one_read_back(db: Database, clock: FakeClock) -> None:
    giver, zed, amy, mentioned = person("UG", "gina"), person("UZ", "zed"), person("UAMY", "amy"), person("UM", "mo")
    async with db.transaction() as conn:
        await upsert_people(conn, [zed], clock.now())  # known before, so zed's row comes first
        await upsert_people(conn, [person("UAMY", "amy", tz="Asia/Ho_Chi_Minh", locale="vi-VN")], clock.now())
        named = await upsert_people(conn, [giver, zed, amy, mentioned], clock.now())
        [added] = await add_all_kudos(conn, [NewKudos(
            team="Support", platform="slack", workspace="T1", channel="CSUPPORT", giver=giver,
            recipients=[amy, zed], values=("teamwork", "Ownership", "craft"),
            reason=("thanks for the handover, with ", mentioned, " too"),
            link="https://example.invalid/m/1", source="command",
        )], named, clock.now())
        read = await get_kudos(conn, added.id)
    assert repr(added) == repr(read)  # every field of every person, not only who they are
    assert [p.user_id for p in added.recipients] == ["UZ", "UAMY"]


async def test_a_kudos_deliveries_are_queued_at_once_and_each_key_only_once(db: Database, clock: FakeClock) -> None:
    now = clock.now()
    to_a, to_b = Direct(person("UA"), say("hello")), Direct(person("UB"), say("hello"))
    async with db.transaction() as conn:
        assert await send_all_later(conn, {"k:a": to_a, "k:b": to_b}, now) == {"k:a", "k:b"}
        assert await send_all_later(conn, {"k:b": to_b, "k:c": to_b}, now) == {"k:c"}
        assert not await send_later(conn, to_a, now, key="k:a")
        assert await send_later(conn, to_a, now, key="k:d")
        assert await status_of(conn, "k:c") == "pending"
        with pytest.raises(ValueError, match="need a delivery key"):
            await send_all_later(conn, {"": to_a}, now)
        with pytest.raises(ValueError, match="queue them with send_later"):
            await send_all_later(conn, {"edit": Refresh("kudos:1", "kudos", "1")}, now)
