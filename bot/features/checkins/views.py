"""What check-ins say: the weekly question, the vent form, and every kind refusal.

No message here ever contains an answer: moods are button presses and vents are typed into a form, so
nothing anyone answers becomes a chat message in the platform's own history (exports, legal holds).
"""

from __future__ import annotations

from bot.config import Settings
from bot.features.checkins.limits import MAX_VENT_CHARS
from bot.features.checkins.settings import CrisisSettings
from bot.forms import Checkboxes, Form, Note, TextInput
from bot.i18n import N_, current, tr, tr_parts
from bot.messages import Button, Buttons, Inline, Link, Message, Strong, footnote, message, say, text

MOOD_ACTION = "checkin.mood"
VENT_ACTION = "checkin.vent"
VENT_FORM = "checkin.vent"
VENT_FIELD = "text"
DISCARD_FIELD = "discard"
DISCARD = "discard"
MOODS = ((1, "😫"), (2, "🙁"), (3, "😐"), (4, "🙂"), (5, "😄"))


def anonymity_promise(settings: Settings) -> str:
    a = settings.anonymity
    return tr(
        "🔒 Anonymous by design: answers stay sealed until the round closes, then are kept only as team tallies, "
        "with no name, id or time; managers see closed rounds' figures only from {figures}+ answers "
        "(words only from {words}+).", figures=a.min_group_size, words=a.min_free_text_group,
    )


def mood_buttons(round_id: str) -> Buttons:
    return Buttons(tuple(Button(f"{emoji} {mood}", MOOD_ACTION, f"{round_id}:{mood}") for mood, emoji in MOODS))


def question(settings: Settings, round_id: str, closes: str, *, reminder: bool = False) -> Message:
    """The weekly DM (or its one reminder): five mood buttons, and the promise in one sentence."""
    opening = tr("Still time to check in — how was your week?") if reminder else tr("👋 How was your week?")
    return message(
        text(*tr_parts("{question} 1 is awful, 5 is great.", question=Strong(opening))),
        mood_buttons(round_id),
        Buttons((Button(tr("💬 Get something off your chest"), VENT_ACTION, round_id),)),
        footnote(anonymity_promise(settings)),
        footnote(tr("Answers close {closes}. Change your day with `checkin at thu 22:00`, or stop with "
                    "`checkin off`.", closes=closes)),
        summary=tr("How was your week? (anonymous check-in)"),
    )


def vent_form(settings: Settings, round_id: str = "") -> Form:
    return Form(
        id=VENT_FORM,
        title=tr("Get it off your chest"),
        submit=tr("Send anonymously"),
        fields=(
            TextInput(VENT_FIELD, tr("Anything you want to get off your chest?"), multiline=True,
                      max_length=MAX_VENT_CHARS, hint=tr("No names needed — write it the way you'd say it.")),
            Checkboxes(DISCARD_FIELD, tr("If you only need to say it"),
                       ((tr("Just let it out — don't keep it"), DISCARD),)),
            Note((anonymity_promise(settings),)),
        ),
        context=round_id,
    )


THANKS = N_("✅ Thanks — recorded. Nobody, including me, can tell which answer was yours.")
ALREADY = N_(
    "You've already answered this round — one answer each keeps the picture fair. "
    "If something's on your mind, `vent` is always open."
)
CLOSED = N_(
    "This round has closed, so I can't count that one — thank you for wanting to answer. "
    "Your next check-in will come as usual."
)
NOT_YOURS = N_(
    "This check-in wasn't sent to you, so I can't count an answer to it. If you're in a team, type `checkin` "
    "to get your own — and `vent` is open any time."
)
VENT_NOT_YOURS = N_(
    "This check-in wasn't sent to you, so I didn't keep what you wrote. If you're in a team, type `checkin` "
    "to get your own — or `vent` to write it down any time."
)
SWITCHED_OFF = N_("Check-ins are switched off in this workspace (`checkins.enabled` in app.yaml).")
STALE = N_("I don't know that check-in any more. Type `checkin` to answer this week's.")
NO_TEAM = N_(
    "You're not in any team's channels, so there's no check-in for you. If that's wrong, ask whoever runs "
    "Huzzah to add your team's channel under `teams` in app.yaml."
)
VENT_KEPT = N_("💛 Thank you for sharing. It's kept anonymously and only ever shown with many others.")
VENT_DISCARDED = N_("💛 Let out, and let go — nothing was kept. I hope it helped to write it down.")
VENT_TOO_LATE = N_(
    "This round closed just as you sent that, so nothing was kept — please send it again with `vent`, and it "
    "goes to the next round."
)
VENT_EMPTY = N_("Nothing to keep — the box was empty. `vent` is here whenever you need it.")
VENT_TOO_LONG = N_(
    "That's longer than I keep ({limit} characters at most). Nothing was kept — please shorten it "
    "and send it again."
)
TYPED_IN_CHAT = N_(
    "I didn't keep what you typed after `vent` — chat messages stay in the workspace's records. "
    "Use this private form instead:"
)


def told(words: str, **values: object) -> Message:
    """One of the messages above, in the reader's language."""
    return say(tr(words, **values))


def crisis(settings: Settings) -> Message:
    """The writer's private lifeline; nobody else is told anything."""
    help_ = settings.section(CrisisSettings).for_language(current())
    lines = []
    for resource in help_.resources:
        parts: list[Inline] = [Strong(tr(resource.name))]
        if resource.contact:
            parts.append(f" — {tr(resource.contact)}")
        if resource.url:
            parts += [" — ", Link(resource.url)]
        lines.append(text("• ", *parts))
    return message(
        text("💛 ", tr(help_.message)),
        *lines,
        footnote(tr("Only you can see this. Nobody else has been told anything.")),
        summary=tr("Support is available"),
    )
