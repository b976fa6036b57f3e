"""Each person in their own language: from the platform, by their own choice, and channel posts in the
workspace's — with dates, numbers and command words to match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.console.directory import ConsoleDirectory
from adapters.console.repl import chat
from adapters.console.session import ConsoleSession
from adapters.msteams.translate import incoming_of
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.features import FEATURES
from bot.features.checkins.views import crisis
from bot.features.digest.audience import audience_of, readers
from bot.features.kudos.grammar import GiveKudos
from bot.grammar import CORE_VERBS
from bot.i18n import language_of, speaking, when
from bot.i18n.aliases import aliases
from bot.people import Person
from bot.registry import grammar_of
from bot.settings import load_settings
from storage.db import Database
from storage.people import upsert_person
from storage.privacy import find, forget, holdings
from storage.tables.people import people
from tests.checkin_support import FRIDAY
from tests.conftest import TEAM
from tests.slack_support import SlackHarness, app_home_opened
from tests.test_checkins_slack import fan_out, with_roster  # noqa: F401  (a fixture, used by name)
from tests.test_digest import at, build_fixture_week, digest_core, digest_settings, team_console  # noqa: F401
from tests.test_polls_slack import ask
from tests.test_slack_kudos import private, words


@pytest.mark.parametrize(("tag", "code"), [
    ("vi-VN", "vi"), ("zh-TW", "zh_Hant"), ("zh_TW", "zh_Hant"), ("zh-HK", "zh_Hant"), ("zh-Hant", "zh_Hant"),
    ("zh-CN", "zh_Hans"), ("zh", "zh_Hans"), ("es-ES", "es"), ("es-419", "es"), ("en-US", "en"),
    ("Español", "es"), ("ja-JP", None), ("klingon", None), ("", None),
])
def test_platform_locales_and_typed_names_map_to_a_language(tag: str, code: str | None) -> None:
    assert language_of(tag) == code


def test_dates_and_numbers_are_written_the_readers_way() -> None:
    moment = FRIDAY.replace(hour=17)
    shown = {}
    for code in ("en", "es", "vi", "zh_Hant"):
        with speaking(code):
            shown[code] = when(moment, "MMMEd")
    assert shown == {"en": "Fri 20 Nov", "es": "vie, 20 nov", "vi": "Thứ 6, 20 thg 11", "zh_Hant": "11月20日週五"}


async def test_a_vietnamese_slack_user_gets_the_kudos_confirmation_and_help_in_vietnamese(
    slack: SlackHarness
) -> None:
    slack.api.locales["UALICE"] = "vi-VN"
    await slack.command("<@UBOB> thanks for the save #ownership", user="UALICE")
    await slack.settle()
    [confirmation] = private(slack, "UALICE")
    assert "Đã gửi!" in confirmation and "Hôm nay bạn còn 4 lượt cảm ơn." in confirmation
    [dm] = [m for m in slack.api.messages if m["channel"] == "DUBOB"]
    assert "thanked you" in dm["text"], "Bob's Slack is in English"
    [post] = slack.api.posts_in("CKUDOS")
    assert "Huzzah for" in words(post["blocks"]), "channel posts are in the workspace's language"

    await slack.command("help", user="UALICE")
    await slack.settle()
    shown = private(slack, "UALICE")[-1]
    assert "cảm ơn nhau, check-in, cùng nhau quyết định" in shown and "Cảm ơn công khai tối đa 10 đồng nghiệp" in shown
    assert "poll \"question\"" in shown, "commands themselves stay as typed"


async def test_a_vietnamese_slack_users_app_home_is_in_vietnamese_with_dates_written_their_way(
    slack: SlackHarness
) -> None:
    slack.api.locales["UBOB"] = "vi-VN"
    await slack.command("<@UBOB> thanks for the late-night save #ownership", user="UALICE")
    await slack.settle()
    await slack.event(app_home_opened("UBOB"))
    await slack.settle()
    [published] = slack.api.calls_to("views.publish")
    shown = words(published["view"]["blocks"])
    assert "Huzzah của bạn" in shown and "nhận 1 · tặng 0" in shown and "từ <@UALICE>" in shown
    assert "thg 11, 2026" in shown, "the date as Vietnamese write it"


async def test_a_vietnamese_slack_user_gets_the_check_in_dm_in_vietnamese(
    with_roster: SlackHarness, clock: FakeClock  # noqa: F811
) -> None:
    with_roster.api.locales["UBOB"] = "vi-VN"
    dms = await fan_out(with_roster, clock)
    assert "Tuần này của bạn thế nào?" in dms["UBOB"]["text"]
    asked = json.dumps(dms["UBOB"]["blocks"], ensure_ascii=False)
    assert "💬 Trút bầu tâm sự" in asked and "Ẩn danh từ thiết kế" in asked
    assert "How was your week?" in dms["UALICE"]["text"]


async def test_a_spanish_slack_users_poll_closes_on_vie_1700_and_is_answered_in_spanish(slack: SlackHarness) -> None:
    slack.api.locales["UCAROL"] = "es-ES"
    poll = await ask(slack, 'poll "¿Turnos de diciembre?" "4x10" "5x8" --closes "vie 17:00"')
    answer = slack.api.ephemerals("UCAROL")[-1]["text"]
    assert "📊 Tu encuesta ya está en" in answer and "Cierra el vie, 20 nov, 17:00 CET" in answer
    assert "closes Fri 20 Nov, 16:00 UTC" in json.dumps(poll["blocks"], ensure_ascii=False), "the channel reads English"


async def test_a_zh_tw_manager_gets_the_digest_in_traditional_chinese(
    team_console: ConsoleSession, clock: FakeClock  # noqa: F811
) -> None:
    clock.set(at(10, 9))
    [chosen] = await team_console.say("carol", "language zh-TW", "@")
    assert "好了——從現在起我用繁體中文和你交談。" in chosen.text
    await build_fixture_week(team_console, clock)
    clock.set(at(23, 9, 1))
    await team_console.core.tick()
    await team_console.core.outbox.drain()
    to_carol = [s for s in team_console.messenger.shown if s.where == "DM @carol" and "📰" in s.text]
    to_leads = [s for s in team_console.messenger.shown if s.where == "#leads"]
    assert len(to_carol) == 2 and all("每週摘要" in s.text and "熱門價值觀" in s.text for s in to_carol)
    assert "2026年11月16日至22日" in to_carol[0].text
    assert len(to_leads) == 2 and all("weekly digest" in s.text for s in to_leads)


async def test_a_manager_named_by_id_reads_the_language_their_platform_last_gave(
    digest_core: Huzzah, clock: FakeClock  # noqa: F811
) -> None:
    async with digest_core.ctx.db.transaction() as conn:
        await upsert_person(conn, Person("console", "console", "carol", "carol", locale="zh-TW"), clock.now())
        await upsert_person(conn, Person("console", "console", "alice", "alice"), clock.now())
        found = await readers(conn, "digest:Support:2026-W47", "Support", audience_of(digest_core.settings, "Support"))
    assert sorted((type(r.to).__name__, r.language) for r in found) == [("Channel", "en"), ("Person", "zh_Hant")]


async def test_language_alone_shows_the_current_one_and_the_choices_and_auto_follows_the_platform_again(
    console: ConsoleSession
) -> None:
    [shown] = await console.say("alice", "language")
    assert "I speak English to you." in shown.text
    assert "`zh-TW` 繁體中文" in shown.text and "`vi` Tiếng Việt" in shown.text
    [refused] = await console.say("alice", "language klingon")
    assert "I don't speak “klingon” yet. Choose one of:" in refused.text
    await console.say("alice", "language es")
    [helped] = await console.say("alice", "ayuda")
    assert "da las gracias, cuéntanos cómo estás, decidid juntos" in helped.text
    [back] = await console.say("alice", "language auto")
    assert "follow your chat app's language setting again" in back.text
    [helped] = await console.say("alice", "help")
    assert "say thanks, check in, decide together" in helped.text


async def test_the_console_lang_command_sets_the_language(core: Huzzah) -> None:
    session = ConsoleSession(core, ConsoleDirectory(TEAM), channel="#support")
    typed = iter(["/lang vi", "help", "/quit"])
    seen: list[str] = []
    assert await chat(session, "alice", ask=lambda prompt, **_: next(typed), out=lambda s: seen.append(s.text)) == 0
    assert any("từ giờ mình sẽ nói Tiếng Việt với bạn" in s for s in seen)
    assert any("Hướng dẫn Huzzah" in s or "cùng nhau quyết định" in s for s in seen)


async def test_privacy_shows_and_forget_erases_a_language_choice(console: ConsoleSession, db: Database) -> None:
    await console.say("bob", "language zh-CN")
    async with db.transaction() as conn:
        [bob] = await find(conn, "bob")
        held = await holdings(conn, bob)
        assert held.rows["people"][0]["language"] == "zh_Hans"
        await forget(conn, bob)
        assert (await conn.execute(select(people).where(people.c.user_id == "bob"))).first() is None


@pytest.mark.parametrize("line", ["感谢 @bob 谢谢你帮我顶班", "感謝 @bob 幫我代班", "cảm ơn @bob đã trực thay mình",
                                  "gracias @bob por cubrir mi turno", "kudos @bob thanks for the cover"])
def test_command_words_in_each_language_give_kudos(console: ConsoleSession, line: str) -> None:
    bob = console.person("bob")
    parts = console.directory.parts(line)
    command = grammar_of(FEATURES).parse(parts)
    assert isinstance(command, GiveKudos) and command.recipients == (bob,)


def test_aliases_name_real_verbs_and_never_shadow_an_english_one() -> None:
    verbs = {v for feature in FEATURES for v in feature.verbs} | set(CORE_VERBS)
    assert aliases() and set(aliases().values()) <= verbs
    assert not set(aliases()) & verbs


async def test_help_lists_the_language_command_in_the_readers_language(console: ConsoleSession) -> None:
    await console.say("dave", "语言 zh-CN")
    [helped] = await console.say("dave", "帮助")
    assert "language [zh-TW]" in helped.text and "查看或选择我和你交流的语言" in helped.text


def test_crisis_resources_are_configured_per_language(tmp_path: Path) -> None:
    config = tmp_path / "app.yaml"
    config.write_text(
        "crisis:\n  languages:\n    vi-VN:\n      message: Bạn không đơn độc.\n"
        "      resources: [{name: Đường dây nóng, contact: '1800 1567'}]\n",
        encoding="utf-8",
    )
    settings = load_settings(config, platforms=["console"])
    with speaking("vi"):
        local = crisis(settings)
    with speaking("es"):
        default = crisis(settings)
    assert "Bạn không đơn độc." in str(local) and "1800 1567" in str(local)
    assert "estas personas están ahí para escucharte" in str(default) and "findahelpline.com" in str(default)


def test_the_workspace_language_must_be_one_huzzah_speaks(tmp_path: Path) -> None:
    config = tmp_path / "app.yaml"
    config.write_text("language: ja\n", encoding="utf-8")
    with pytest.raises(Exception, match="language: got 'ja' — Huzzah speaks en, zh-CN, zh-TW, vi, es"):
        load_settings(config, platforms=["console"])
    config.write_text("language: zh-TW\n", encoding="utf-8")
    assert load_settings(config, platforms=["console"]).language == "zh_Hant"


async def test_channel_posts_follow_the_workspace_language(settings: Settings, db: Database, clock: FakeClock) -> None:
    core = Huzzah(settings.model_copy(update={"language": "es"}), db, clock)
    console = ConsoleSession(core, ConsoleDirectory(TEAM), channel="#support")
    shown = await console.say("alice", "@bob thanks for the save #ownership")
    assert any(s.where == "#kudos" and "Huzzah para" in s.text for s in shown)
    assert any(s.where == "only @alice" and "¡Enviado!" in s.text for s in shown)


def test_a_teams_activity_locale_reaches_the_core() -> None:
    from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

    activity = Activity(type="message", text="help", locale="zh-TW", from_property=ChannelAccount(id="29:a", name="A"),
                        conversation=ConversationAccount(id="a:1", conversation_type="personal", tenant_id="t1"),
                        channel_data={"tenant": {"id": "t1"}})
    incoming = incoming_of(activity)
    assert incoming is not None and incoming.sender.locale == "zh-TW"
