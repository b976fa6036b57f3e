"""The neutral message tree and forms as Block Kit: the kudos post, fallbacks, escaping, modals, limits."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.slack.render import (
    action_name,
    blocks_of,
    fallback,
    form_values,
    home_view,
    message_payload,
    modal,
)
from bot.config import Settings
from bot.features.kudos.views import ME_TOO, public_post
from bot.forms import Checkboxes, Form, Note, Select, TextInput
from bot.messages import Button, Buttons, Choices, Image, Link, Strong, message, say, text
from bot.people import Person
from storage.kudos import KudosRecord

ALICE = Person("slack", "T1", "UALICE", "alice")
BOB = Person("slack", "T1", "UBOB", "bob")
CAROL = Person("slack", "T1", "UCAROL", "carol")


def kudos_post(settings: Settings, cogivers: tuple[Person, ...] = ()):  # type: ignore[no-untyped-def]
    record = KudosRecord(
        id=7, team="Support", giver=ALICE, recipients=(BOB,), cogivers=cogivers, values=("ownership",),
        reason=("thanks for the save with ", CAROL, " <script>"), link="",
        created_at=datetime(2026, 11, 16, tzinfo=UTC),
    )
    return public_post(settings, record)


def test_the_kudos_post_as_block_kit(settings: Settings) -> None:
    payload = message_payload(kudos_post(settings))
    headline, reason, byline, actions = payload["blocks"]
    assert headline == {"type": "section", "text": {"type": "mrkdwn", "text": "🎉 *Huzzah for* <@UBOB>*!*"}}
    assert reason["text"]["text"] == ">thanks for the save with <@UCAROL> &lt;script&gt;"
    assert byline["type"] == "context" and byline["elements"][0]["text"] == "🦉 ownership  —  from <@UALICE>  ·  no. 7"
    assert actions == {"type": "actions", "elements": [{
        "type": "button", "text": {"type": "plain_text", "text": "🙌 Me too", "emoji": True},
        "action_id": ME_TOO, "value": "7",
    }]}


def test_the_text_fallback_is_the_notification_line(settings: Settings) -> None:
    assert fallback(kudos_post(settings)) == "🎉 Huzzah for @bob from @alice"
    assert fallback(say("plain words")) == "plain words"
    assert fallback(say("Lunch <@UBOB>? & more")) == "Lunch &lt;@UBOB&gt;? &amp; more"


def test_co_givers_are_listed_on_the_post(settings: Settings) -> None:
    byline = blocks_of(kudos_post(settings, cogivers=(CAROL,)))[2]
    assert "from <@UALICE> with <@UCAROL>" in byline["elements"][0]["text"]


def test_people_of_other_platforms_links_and_bold() -> None:
    console = Person("console", "local", "zed", "zed")
    [block] = blocks_of(message(text(console, " ", Strong(" loud "), " ", Link("https://x.test/a|b>", "a|b"))))
    assert block["text"]["text"] == "@zed  *loud*  <https://x.test/a%7Cb%3E|a¦b>"


def test_repeated_actions_in_one_block_get_distinct_action_ids_that_map_back() -> None:
    msg = message(Buttons((Button("Yes", "poll.vote", "1"), Button("No", "poll.vote", "2", style="danger"))))
    [actions] = blocks_of(msg)
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(set(ids)) == 2 and {action_name(i) for i in ids} == {"poll.vote"}
    assert actions["elements"][1]["style"] == "danger"


def test_choices_images_and_too_many_blocks() -> None:
    msg = message(
        Choices("poll.pick", "Pick one", (("Tea", "t"), ("Coffee", "c"))),
        Image("Mood rose from 3.1 to 3.8", png=b"\x89PNG", title="Mood"),
        Image("A chart", url="https://example.test/c.png"),
    )
    select, chart_words, image = blocks_of(msg)
    assert select["elements"][0]["type"] == "static_select" and len(select["elements"][0]["options"]) == 2
    assert "Mood rose from 3.1 to 3.8" in chart_words["elements"][0]["text"]
    assert image == {"type": "image", "image_url": "https://example.test/c.png", "alt_text": "A chart"}
    many = blocks_of(message(*[text(f"line {i}") for i in range(80)]))
    assert len(many) == 50 and "more than fits" in many[-1]["elements"][0]["text"]
    assert len(home_view(message(*[text(f"line {i}") for i in range(80)]))["blocks"]) == 80


def test_any_form_renders_as_a_modal_and_its_answers_come_back() -> None:
    form = Form("vent.write", "Anything on your mind? (anonymous)", "Send anonymously", (
        Note(("Nobody can see who wrote this.",)),
        TextInput("vent", "Your words", multiline=True, optional=True, max_length=2000, hint="optional"),
        Select("mood", "Mood", (("1 😞", "1"), ("5 😄", "5")), initial=("5",)),
        Select("teams", "Teams", (("Support", "s"), ("Billing", "b")), multi=True, optional=True),
        Checkboxes("opts", "Options", (("Anonymous", "anon"),)),
    ), context="round:3")
    view = modal(form, {"context": form.context, "channel": "C1"})
    assert view["type"] == "modal" and view["callback_id"] == "vent.write"
    assert len(view["title"]["text"]) <= 24 and view["submit"]["text"] == "Send anonymously"
    assert '"context": "round:3"' in view["private_metadata"]
    kinds = [b["element"]["type"] for b in view["blocks"] if b["type"] == "input"]
    assert kinds == ["plain_text_input", "static_select", "multi_static_select", "checkboxes"]
    mood = view["blocks"][2]["element"]
    assert mood["initial_option"]["value"] == "5"

    state = {
        "vent": {"vent": {"type": "plain_text_input", "value": "long week"}},
        "mood": {"mood": {"type": "static_select", "selected_option": {"value": "5"}}},
        "teams": {"teams": {"type": "multi_static_select", "selected_options": [{"value": "s"}, {"value": "b"}]}},
        "opts": {"opts": {"type": "checkboxes", "selected_options": []}},
    }
    assert form_values(state) == {"vent": "long week", "mood": "5", "teams": ("s", "b"), "opts": ()}


def test_a_form_with_only_notes_has_no_submit_button() -> None:
    view = modal(Form("info", "About", "OK", (Note(("Just so you know.",)),)), {})
    assert "submit" not in view
