"""How a poll looks: the channel message (redrawn after votes), the results reply, and private answers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.features.kudos.views import names as mentions
from bot.features.polls.deadline import describe
from bot.features.polls.limits import POLL_NAMES_SHOWN
from bot.i18n import N_, listing, percent, tr, tr_parts, tr_plural, tr_plural_parts
from bot.messages import Block, Button, Buttons, Inline, Message, Strong, footnote, message, text
from bot.people import Person
from storage.polls import BY_ASKER, PollRecord, Tally

VIEW = "poll"
VOTE = "poll.vote"
CLOSE = "poll.close"
BAR_WIDTH = 10

ANONYMOUS_LINE = N_("🔒 Anonymous: no one sees who voted for what — and once it closes, not even the database can "
                    "tell.")
TOO_FEW_VOTERS = N_("too few voters to show anonymously")
NAMED_LINE = N_("👀 Named: everyone can see who voted for what.")


def track_key(poll_id: int) -> str:
    return f"poll:{poll_id}"


def vote_value(poll_id: int, position: int) -> str:
    return f"{poll_id}:{position}"


def _bar(n: int, voters: int) -> str:
    filled = round(BAR_WIDTH * n / voters) if voters else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _count(n: int, voters: int) -> str:
    votes = tr_plural("{n} vote", "{n} votes", n)
    return tr("{votes} · {percent}", votes=votes, percent=_percent(n, voters)) if voters else votes


def _percent(n: int, voters: int) -> str:
    return percent(n / voters)


def _voted(voters: int) -> str:
    return tr_plural("{n} person has voted", "{n} people have voted", voters)


def winners(tally: Tally) -> tuple[int, ...]:
    top = max(tally.counts, default=0)
    return tuple(i for i, n in enumerate(tally.counts) if n == top) if top else ()


def _who(people: tuple[Person, ...], *, mention: bool) -> tuple[Inline, ...]:
    shown = list(people[:POLL_NAMES_SHOWN])
    parts: tuple[Inline, ...] = mentions(shown) if mention else (", ".join(p.label for p in shown),)
    hidden = len(people) - len(shown)
    return tr_plural_parts("{names} and {n} more", "{names} and {n} more", hidden, names=parts) if hidden else parts


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
    return text(tr("🔒 {voted} — {why}, so the split stays unknown.", voted=_voted(tally.voters),
                   why=tr(TOO_FEW_VOTERS)))


def _how(poll: PollRecord) -> str:
    if poll.multi:
        return tr("Pick as many as you like — press an option again to take it back")
    return tr("Pick one — you can change your vote until it closes")


def poll_message(poll: PollRecord, tally: Tally, zone: ZoneInfo, min_voters: int) -> Message:
    """The poll in its channel, as it stands: live counts (or hidden ones), buttons while open, 'closed' after."""
    privacy = tr(ANONYMOUS_LINE if poll.anonymous else NAMED_LINE)
    if poll.closed_at is not None:
        when = describe(poll.closed_at, zone)
        voted = _voted(tally.voters)
        how = tr_parts("Closed by {asker}, {when} · {voted} · asked by {asker}", asker=poll.creator, when=when,
                       voted=voted) if poll.closed_by == BY_ASKER else \
            tr_parts("Closed at its deadline, {when} · {voted} · asked by {asker}", when=when, voted=voted,
                     asker=poll.creator)
        return message(
            text("📊 ", *tr_parts("{question}  —  closed", question=Strong(poll.question))),
            *([_too_few(tally)] if withheld(poll, tally, min_voters) else _option_lines(poll, tally, mention=True)),
            footnote(*how),
            footnote(privacy),
            summary=tr("📊 Poll closed: {question}", question=poll.question),
        )
    if counts_hidden(poll):
        hidden = tr("🙈 Results stay hidden until the poll closes, so nobody follows the crowd. {voted} so far.",
                    voted=_voted(tally.voters)) if poll.hide_results else \
            tr("🙈 Results stay hidden until the poll closes, so no one can tell a vote by watching it arrive. "
               "{voted} so far.", voted=_voted(tally.voters))
        results: list[Block] = [text(hidden)]
    else:
        results = _option_lines(poll, tally, mention=True)
    closes = tr("closes {when}", when=describe(poll.closes_at, zone)) if poll.closes_at else \
        tr("open until the asker closes it")
    buttons = tuple(Button(label, VOTE, vote_value(poll.id, i)) for i, label in enumerate(poll.options))
    return message(
        text("📊 ", Strong(poll.question)),
        *results,
        Buttons((*buttons, Button(tr("Close poll"), CLOSE, str(poll.id), style="danger"))),
        footnote(*tr_parts("{how} · {closes} · asked by {asker}", how=_how(poll), closes=closes,
                           asker=poll.creator)),
        footnote(privacy),
        summary=tr("📊 Poll: {question}", question=poll.question),
    )


def _verdict(poll: PollRecord, tally: Tally, top: tuple[int, ...]) -> Block:
    if not top:
        return text(tr("Nobody voted this time."))
    if len(top) > 1:
        tied = listing([f"“{poll.options[i]}”" for i in top])
        return text(tr("🤝 It's a tie: {tied}, {count} each.", tied="".join(map(str, tied)),
                       count=_count(tally.counts[top[0]], tally.voters)))
    n, voters = tally.counts[top[0]], tally.voters
    winner, percent = Strong(poll.options[top[0]]), _percent(n, voters)
    if poll.multi:
        return text("🏆 ", *tr_plural_parts("{winner} wins picked by {n} of {voters} voter ({percent}).",
                                           "{winner} wins picked by {n} of {voters} voters ({percent}).",
                                           voters, winner=winner, n=n, voters=voters, percent=percent))
    return text("🏆 ", *tr_plural_parts("{winner} wins with {n} of {voters} vote ({percent}).",
                                       "{winner} wins with {n} of {voters} votes ({percent}).",
                                       voters, winner=winner, n=n, voters=voters, percent=percent))


def results_message(poll: PollRecord, tally: Tally, min_voters: int) -> Message:
    """The reply in the poll's thread when it closes. Names are written out, not mentioned: no one is pinged."""
    voted = _voted(tally.voters)
    if withheld(poll, tally, min_voters):
        return message(text(*tr_parts("🏁 The poll has closed: {question}", question=Strong(poll.question))),
                       _too_few(tally), summary=tr("🏁 Poll closed: {question}", question=poll.question))
    return message(
        text(*tr_parts("🏁 The poll has closed: {question}", question=Strong(poll.question))),
        _verdict(poll, tally, winners(tally)),
        *_option_lines(poll, tally, mention=False),
        footnote(tr("{voted} · anonymous, so there are no names to show", voted=voted) if poll.anonymous else voted),
        summary=tr("🏁 Poll closed: {question}", question=poll.question),
    )


def posted(poll: PollRecord, zone: ZoneInfo) -> Message:
    """The asker's private confirmation, with the deadline in their own time zone."""
    closes = tr("It closes {when}", when=describe(poll.closes_at, zone)) if poll.closes_at else tr("It stays open")
    return message(text(*tr_parts(
        "📊 Your poll is up in {channel}. {closes} — or press {close} when you've heard enough. "
        "Only you can close it.", channel=poll.channel.label, closes=closes, close=Strong(tr("Close poll")),
    )))


def not_posted(poll: PollRecord) -> Message:
    """To the asker, when the poll could never be posted."""
    return message(text(tr(
        "⚠️ I couldn't post your poll “{question}” in {channel}, so no one can vote on it. "
        "Ask whoever runs Huzzah to invite the bot there, or ask your poll in another channel.",
        question=poll.question, channel=poll.channel.label,
    )))


def vote_counted(poll: PollRecord, before: frozenset[int], after: frozenset[int]) -> Message:
    """What a voter sees privately: their own choice, never anyone else's (nor counts on a hidden poll)."""
    def listed(picks: frozenset[int]) -> list[Inline]:
        out: list[Inline] = []
        for n, i in enumerate(sorted(picks)):
            out += [", " if n else "", Strong(poll.options[i])]
        return out

    lines: list[Inline] = []
    if poll.multi:
        dropped = before - after
        lines += tr_parts("↩️ You took back {picks}. ", picks=listed(dropped)) if dropped else [tr("✅ Counted. ")]
        lines += tr_parts("Your picks: {picks}.", picks=listed(after)) if after else \
            [tr("You have no picks on this poll now.")]
    elif before == after:
        lines += tr_parts("You've already voted for {picks} — press another option to change your vote.",
                          picks=listed(after))
    elif before:
        lines += tr_parts("✅ Changed — your vote is now {picks}.", picks=listed(after))
    else:
        lines += tr_parts("✅ Your vote for {picks} counted.", picks=listed(after))
    if counts_hidden(poll):
        lines.append(tr(" Results are hidden until the poll closes."))
    if poll.anonymous:
        lines.append(tr(" 🔒 No one else can see what you picked."))
    return message(text(*lines))


CLOSED = N_("This poll has closed — its results are in the poll's thread.")
GONE = N_("That poll no longer exists.")
ALREADY_CLOSED = N_("This poll is already closed — its results are in the poll's thread.")
CLOSED_NOW = N_("🏁 Closed. The results are posted in the poll's thread.")
IN_A_CHANNEL = N_(
    "Polls are for channels — run `poll` in the channel where you want to ask, and everyone there can vote."
)


def only_the_asker(poll: PollRecord, zone: ZoneInfo) -> Message:
    if poll.closes_at:
        return message(text(*tr_parts("Only the person who asked can close it — that's {asker}; otherwise it "
                                      "closes {when}.", asker=poll.creator, when=describe(poll.closes_at, zone))))
    return message(text(*tr_parts("Only the person who asked can close it — that's {asker}.", asker=poll.creator)))
