"""How a poll looks: the channel message (redrawn after votes), the results reply, and private answers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.features.kudos.views import names as mentions
from bot.features.polls.deadline import describe
from bot.features.polls.limits import POLL_NAMES_SHOWN
from bot.messages import Block, Button, Buttons, Inline, Message, Strong, footnote, message, say, text
from bot.people import Person
from storage.polls import BY_ASKER, PollRecord, Tally

VIEW = "poll"
VOTE = "poll.vote"
CLOSE = "poll.close"
BAR_WIDTH = 10

ANONYMOUS_LINE = "🔒 Anonymous: no one sees who voted for what — and once it closes, not even the database can tell."
TOO_FEW_VOTERS = "too few voters to show anonymously"
NAMED_LINE = "👀 Named: everyone can see who voted for what."


def track_key(poll_id: int) -> str:
    return f"poll:{poll_id}"


def vote_value(poll_id: int, position: int) -> str:
    return f"{poll_id}:{position}"


def _bar(n: int, voters: int) -> str:
    filled = round(BAR_WIDTH * n / voters) if voters else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _count(n: int, voters: int) -> str:
    share = f" · {round(100 * n / voters)}%" if voters else ""
    return f"{n} vote{'s' if n != 1 else ''}{share}"


def _voted(voters: int) -> str:
    return f"{voters} {'person has' if voters == 1 else 'people have'} voted"


def winners(tally: Tally) -> tuple[int, ...]:
    top = max(tally.counts, default=0)
    return tuple(i for i, n in enumerate(tally.counts) if n == top) if top else ()


def _who(people: tuple[Person, ...], *, mention: bool) -> list[Inline]:
    shown = list(people[:POLL_NAMES_SHOWN])
    parts: list[Inline] = mentions(shown) if mention else [", ".join(p.label for p in shown)]
    hidden = len(people) - len(shown)
    return [*parts, f" and {hidden} more"] if hidden else parts


def _option_lines(poll: PollRecord, tally: Tally, *, mention: bool) -> list[Block]:
    top = winners(tally) if poll.closed_at else ()
    blocks: list[Block] = []
    for i, label in enumerate(poll.options):
        n = tally.counts[i]
        line: list[Inline] = [
            "🏆 " if i in top else "", Strong(label), f"\n{_bar(n, tally.voters)}  {_count(n, tally.voters)}"
        ]
        if tally.names and tally.names[i]:
            line += ["  —  ", *_who(tally.names[i], mention=mention)]
        blocks.append(text(*line))
    return blocks


def counts_hidden(poll: PollRecord) -> bool:
    """Open anonymous polls show how many have voted, never the counts: an edit that moved one option's count
    would tell anyone who saw a colleague press what they picked."""
    return poll.hide_results or poll.anonymous


def withheld(poll: PollRecord, tally: Tally, min_voters: int) -> bool:
    """An anonymous poll's split is shown only from `anonymity.min_group_size` voters: with two, each would know
    the other's choice."""
    return poll.anonymous and tally.voters < min_voters


def _too_few(tally: Tally) -> Block:
    return text(f"🔒 {_voted(tally.voters)} — {TOO_FEW_VOTERS}, so the split stays unknown.")


def _how(poll: PollRecord) -> str:
    if poll.multi:
        return "Pick as many as you like — press an option again to take it back"
    return "Pick one — you can change your vote until it closes"


def poll_message(poll: PollRecord, tally: Tally, zone: ZoneInfo, min_voters: int) -> Message:
    """The poll in its channel, as it stands: live counts (or hidden ones), buttons while open, 'closed' after."""
    privacy = ANONYMOUS_LINE if poll.anonymous else NAMED_LINE
    if poll.closed_at is not None:
        when = describe(poll.closed_at, zone)
        how: list[Inline] = ["Closed by ", poll.creator, f", {when}"] if poll.closed_by == BY_ASKER else \
            [f"Closed at its deadline, {when}"]
        return message(
            text("📊 ", Strong(poll.question), "  —  closed"),
            *([_too_few(tally)] if withheld(poll, tally, min_voters) else _option_lines(poll, tally, mention=True)),
            footnote(*how, f" · {_voted(tally.voters)} · asked by ", poll.creator),
            footnote(privacy),
            summary=f"📊 Poll closed: {poll.question}",
        )
    if counts_hidden(poll):
        why = "nobody follows the crowd" if poll.hide_results else "no one can tell a vote by watching it arrive"
        results: list[Block] = [text(
            f"🙈 Results stay hidden until the poll closes, so {why}. ", f"{_voted(tally.voters)} so far.",
        )]
    else:
        results = _option_lines(poll, tally, mention=True)
    closes = f"closes {describe(poll.closes_at, zone)}" if poll.closes_at else "open until the asker closes it"
    buttons = tuple(Button(label, VOTE, vote_value(poll.id, i)) for i, label in enumerate(poll.options))
    return message(
        text("📊 ", Strong(poll.question)),
        *results,
        Buttons((*buttons, Button("Close poll", CLOSE, str(poll.id), style="danger"))),
        footnote(f"{_how(poll)} · {closes} · asked by ", poll.creator),
        footnote(privacy),
        summary=f"📊 Poll: {poll.question}",
    )


def results_message(poll: PollRecord, tally: Tally, min_voters: int) -> Message:
    """The reply in the poll's thread when it closes. Names are written out, not mentioned: no one is pinged."""
    top = winners(tally)
    if withheld(poll, tally, min_voters):
        return message(text("🏁 The poll has closed: ", Strong(poll.question)), _too_few(tally),
                       summary=f"🏁 Poll closed: {poll.question}")
    if not top:
        verdict = text("Nobody voted this time.")
    elif len(top) == 1:
        n, voters = tally.counts[top[0]], tally.voters
        share = f"{n} of {voters} {'vote' if voters == 1 else 'votes'}"
        if poll.multi:
            share = f"picked by {n} of {voters} {'voter' if voters == 1 else 'voters'}"
        verdict = text("🏆 ", Strong(poll.options[top[0]]), f" wins {'' if poll.multi else 'with '}{share}",
                       f" ({round(100 * n / voters)}%).")
    else:
        tied = " and ".join(f"“{poll.options[i]}”" for i in top)
        verdict = text(f"🤝 It's a tie: {tied}, {_count(tally.counts[top[0]], tally.voters)} each.")
    return message(
        text("🏁 The poll has closed: ", Strong(poll.question)),
        verdict,
        *_option_lines(poll, tally, mention=False),
        footnote(f"{_voted(tally.voters)}" + (" · anonymous, so there are no names to show" if poll.anonymous else "")),
        summary=f"🏁 Poll closed: {poll.question}",
    )


def posted(poll: PollRecord, zone: ZoneInfo) -> Message:
    """The asker's private confirmation, with the deadline in their own time zone."""
    closes = f"It closes {describe(poll.closes_at, zone)}" if poll.closes_at else "It stays open"
    return message(
        text(f"📊 Your poll is up in {poll.channel.label}. {closes} — or press ", Strong("Close poll"),
             " when you've heard enough. Only you can close it."),
    )


def not_posted(poll: PollRecord) -> Message:
    """To the asker, when the poll could never be posted."""
    return message(text(
        f"⚠️ I couldn't post your poll “{poll.question}” in {poll.channel.label}, so no one can vote on it. "
        "Ask whoever runs Huzzah to invite the bot there, or ask your poll in another channel.",
    ))


def vote_counted(poll: PollRecord, before: frozenset[int], after: frozenset[int]) -> Message:
    """What a voter sees privately: their own choice, never anyone else's (nor counts on a hidden poll)."""
    def listed(picks: frozenset[int]) -> list[Inline]:
        out: list[Inline] = []
        for n, i in enumerate(sorted(picks)):
            out += [", " if n else "", Strong(poll.options[i])]
        return out

    if poll.multi:
        dropped = before - after
        if dropped:
            lines: list[Inline] = ["↩️ You took back ", *listed(dropped), ". "]
        else:
            lines = ["✅ Counted. "]
        lines += ["Your picks: ", *listed(after), "."] if after else ["You have no picks on this poll now."]
    elif before == after:
        lines = ["You've already voted for ", *listed(after), " — press another option to change your vote."]
    else:
        lines = ["✅ Changed — your vote is now " if before else "✅ Your vote for ", *listed(after),
                 "." if before else " counted."]
    if counts_hidden(poll):
        lines.append(" Results are hidden until the poll closes.")
    if poll.anonymous:
        lines.append(" 🔒 No one else can see what you picked.")
    return message(text(*lines))


CLOSED = say("This poll has closed — its results are in the poll's thread.")
GONE = say("That poll no longer exists.")
ALREADY_CLOSED = say("This poll is already closed — its results are in the poll's thread.")
CLOSED_NOW = say("🏁 Closed. The results are posted in the poll's thread.")
IN_A_CHANNEL = say(
    "Polls are for channels — run `poll` in the channel where you want to ask, and everyone there can vote."
)


def only_the_asker(poll: PollRecord, zone: ZoneInfo) -> Message:
    when = f"; otherwise it closes {describe(poll.closes_at, zone)}" if poll.closes_at else ""
    return message(text("Only the person who asked can close it — that's ", poll.creator, f"{when}."))
