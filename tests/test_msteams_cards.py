"""Rendering neutral messages and forms as Adaptive Cards, and reading Teams' activities back."""

from __future__ import annotations

import base64
import io
import json
import random

from botbuilder.schema import Activity
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from adapters.msteams.cards import form_card, message_activity, message_card
from adapters.msteams.limits import CARD_MAX_BYTES
from adapters.msteams.translate import incoming_of
from bot.forms import Checkboxes, Form, Note, Select, TextInput
from bot.incoming import Pressed, Said, Submitted
from bot.messages import (
    Button,
    Buttons,
    Choices,
    Divider,
    Fields,
    Image,
    Link,
    Strong,
    footnote,
    message,
    text,
)
from bot.people import Person
from tests.msteams_support import BOT, CHANNEL_ID, TENANT, card_submit, channel_message, personal_message, user

BOB = Person("msteams", TENANT, "29:1bob", "Bob")
SERVICE = "https://smba.trafficmanager.net/emea/"


def png(width: int, height: int, noisy: bool = False) -> bytes:
    image = PILImage.new("RGB", (width, height), "white")
    if noisy:
        image = PILImage.frombytes("RGB", (width, height), random.Random(7).randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_every_block_has_a_card_element_with_a_plain_text_fallback() -> None:
    msg = message(
        text("🎉 ", Strong("Huzzah for "), BOB, "!"),
        text("thanks for *everything*", quote=True),
        Fields((("Mood", "4.2"), ("Answers", "12"))),
        Divider(),
        Image(alt="Mood by week: 3.9, 4.1, 4.2", png=png(40, 20), title="Trend"),
        footnote("from ", Link("https://example.com/x", "the message")),
        Buttons((Button("Yes", "poll.vote", "1", "primary"), Button("Close", "poll.close", "1", "danger"))),
        summary="Huzzah for Bob",
    )
    card = message_card(msg)
    body = card["body"]

    assert [e["type"] for e in body] == [
        "TextBlock", "Container", "FactSet", "TextBlock", "Image", "TextBlock", "ActionSet",
    ]
    assert body[0]["text"] == "🎉 **Huzzah for** <at>Bob</at>!"
    assert card["msteams"]["entities"] == [{"type": "mention", "text": "<at>Bob</at>",
                                            "mentioned": {"id": "29:1bob", "name": "Bob"}}]
    assert body[1]["style"] == "emphasis" and body[1]["items"][0]["text"] == r"thanks for \*everything\*"
    assert body[2]["facts"] == [{"title": "Mood", "value": "4.2"}, {"title": "Answers", "value": "12"}]
    assert body[3]["separator"] is True and body[3]["text"] == "Trend"
    assert body[4]["url"].startswith("data:image/png;base64,") and body[4]["altText"].startswith("Mood by week")
    assert base64.b64decode(body[4]["url"].split(",", 1)[1]).startswith(b"\x89PNG")
    assert body[5]["size"] == "Small" and body[5]["isSubtle"] is True
    assert "[the message](https://example.com/x)" in body[5]["text"]
    actions = body[6]["actions"]
    assert [(a["title"], a.get("style")) for a in actions] == [("Yes", "positive"), ("Close", "destructive")]
    assert actions[0]["data"] == {"huzzah": "press", "action": "poll.vote", "value": "1"}
    assert "Huzzah for @Bob!" in card["fallbackText"] and "[Yes]" in card["fallbackText"]
    activity = message_activity(msg)
    assert activity.summary == "Huzzah for Bob"
    assert activity.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"


def test_words_people_typed_never_become_markup_or_mentions() -> None:
    card = message_card(message(text("<at>Carol</at> **bold** [click](https://evil) _x_ `code`\n- item")))
    shown = card["body"][0]["text"]
    assert "<at>" not in shown and "\\<at\\>" in shown
    assert "\\*\\*bold\\*\\*" in shown and "\\[click\\]" in shown and "\\- item" in shown
    assert "entities" not in card["msteams"]


def big_chart() -> bytes:
    """A 1200×450 chart as a plotting library saves it: smoothed edges and text in thousands of colours."""
    width, height, s = 1200, 450, 3
    image = PILImage.new("RGB", (width * s, height * s), "white")
    pen = ImageDraw.Draw(image)
    pen.text((60 * s, 15 * s), "Mood and kudos by week", fill="black", font=ImageFont.load_default(size=24 * s))
    moods = [3.9, 4.1, 3.7, 4.0, 4.2, 3.8, 3.6, 4.1, 4.3, 4.0, 3.9, 4.2]
    bars = [2, 1, 0, 1, 3, 0, 1, 2, 2, 1, 0, 3]
    small = ImageFont.load_default(size=16 * s)
    for i, bar in enumerate(bars):
        x = (80 + i * 90) * s
        pen.rectangle((x - 30 * s, (400 - bar * 40) * s, x + 30 * s, 400 * s), fill=(160, 190, 230))
        pen.text((x, 420 * s), f"W{36 + i}", fill="black", font=small, anchor="mt")
    points = [((80 + i * 90) * s, (400 - (m - 3.5) * 300) * s) for i, m in enumerate(moods)]
    pen.line(points, fill=(31, 119, 180), width=4 * s)
    for x, y in points:
        pen.ellipse((x - 8 * s, y - 8 * s, x + 8 * s, y + 8 * s), fill=(31, 119, 180))
    out = io.BytesIO()
    image.resize((width, height), PILImage.Resampling.LANCZOS).save(out, format="PNG")
    return out.getvalue()


def test_a_large_chart_is_compacted_to_fit_the_card() -> None:
    chart = io.BytesIO(big_chart())
    assert len(chart.getvalue()) * 4 / 3 > CARD_MAX_BYTES, "as drawn, the chart would not fit"

    card = message_card(message(Image(alt="Mood by week", png=chart.getvalue())))
    [image] = card["body"]
    assert image["type"] == "Image" and image["altText"] == "Mood by week"
    shown = base64.b64decode(image["url"].split(",", 1)[1])
    assert PILImage.open(io.BytesIO(shown)).size == (1200, 450) and len(json.dumps(card)) <= CARD_MAX_BYTES


def test_an_image_too_big_for_teams_becomes_its_alt_text() -> None:
    big = png(400, 400, noisy=True)
    assert len(big) > CARD_MAX_BYTES
    card = message_card(message(text("Digest"), Image(alt="Mood rose from 3.9 to 4.2", png=big)))
    assert len(json.dumps(card)) <= CARD_MAX_BYTES
    assert card["body"][1] == {"type": "TextBlock", "text": "Mood rose from 3.9 to 4.2", "wrap": True,
                               "isSubtle": True}


def test_a_form_becomes_inputs_and_comes_back_as_submitted() -> None:
    form = Form("checkin.vent", "Anything on your mind?", "Send anonymously", (
        Note(("Only the words are kept — never who wrote them.",)),
        TextInput("vent", "What happened", multiline=True, max_length=2000, hint="Say it here"),
        Select("topic", "Topic", (("Tools", "tools"), ("Queue", "queue")), optional=True),
        Checkboxes("tags", "Tags", (("Angry caller", "angry"), ("Outage", "outage"))),
    ), context="round:7")
    card = form_card(form)
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert inputs["field:vent"]["isMultiline"] and inputs["field:vent"]["maxLength"] == 2000
    assert inputs["field:vent"]["isRequired"] and inputs["field:vent"]["placeholder"] == "Say it here"
    assert inputs["field:topic"]["style"] == "compact" and not inputs["field:topic"]["isRequired"]
    assert inputs["field:tags"]["isMultiSelect"] and inputs["field:tags"]["style"] == "expanded"
    [submit] = card["actions"]
    assert submit["title"] == "Send anonymously"

    typed = {**submit["data"], "field:vent": "the queue was brutal", "field:topic": "queue",
             "field:tags": "angry,outage"}
    activity = Activity().deserialize(card_submit(SERVICE, user("Alice"), "a:1personal", "1234", typed))
    incoming = incoming_of(activity)
    assert isinstance(incoming, Submitted)
    assert incoming.form == "checkin.vent" and incoming.context == "round:7"
    assert incoming.values == {"vent": "the queue was brutal", "topic": "queue", "tags": ("angry", "outage")}
    assert incoming.channel.is_direct


def test_buttons_and_choices_come_back_as_presses_on_the_card() -> None:
    card = message_card(message(
        Buttons((Button("😀", "checkin.mood", "5"),)),
        Choices("poll.vote", "Pick one", (("Tuesday", "tue"), ("Friday", "fri"))),
    ))
    press = card["body"][0]["actions"][0]["data"]
    chooser, choose = card["body"][1], card["body"][2]["actions"][0]["data"]

    pressed = incoming_of(Activity().deserialize(card_submit(SERVICE, user("Alice"), "a:1p", "99", press)))
    assert isinstance(pressed, Pressed) and (pressed.action, pressed.value) == ("checkin.mood", "5")
    assert pressed.message is not None and pressed.message.id == "99"

    chosen = {**choose, chooser["id"]: "fri"}
    conversation = f"{CHANNEL_ID};messageid=42"
    pressed = incoming_of(Activity().deserialize(card_submit(SERVICE, user("Alice"), conversation, "42", chosen)))
    assert isinstance(pressed, Pressed) and (pressed.action, pressed.value) == ("poll.vote", "fri")
    assert pressed.channel.id == CHANNEL_ID and pressed.message.channel == CHANNEL_ID  # type: ignore[union-attr]


def test_mentions_resolve_to_people_in_order_and_the_bot_is_dropped() -> None:
    bob, bob2 = user("Bob"), {"id": "29:1other-bob", "name": "Bob"}
    raw = channel_message(SERVICE, user("Alice"), "<at>Huzzah</at> <at>Bob</at> and <at>Bob</at> thanks &lt;3 #craft",
                          [BOT, bob, bob2])
    said = incoming_of(Activity().deserialize(raw))
    assert isinstance(said, Said)
    people = [p for p in said.parts if isinstance(p, Person)]
    assert [p.user_id for p in people] == [bob["id"], "29:1other-bob"]
    assert said.parts[-1] == " thanks <3 #craft"
    assert said.sender.tz == "Europe/London" and said.sender.workspace == TENANT
    assert said.channel.id == CHANNEL_ID and not said.channel.is_direct


def test_a_mention_without_an_entity_stays_words_and_bots_are_flagged() -> None:
    raw = personal_message(SERVICE, user("Alice"), "kudos <at>Ghost</at> <at>Helper</at> thanks",
                           [{"id": "28:helper-bot", "name": "Helper"}])
    said = incoming_of(Activity().deserialize(raw))
    assert isinstance(said, Said)
    assert said.parts[0] == "kudos @Ghost "
    assert isinstance(said.parts[1], Person) and said.parts[1].is_bot
