"""What Huzzah counts for whoever runs it, through a neutral port: the core and the platforms say what happened,
the composition root (`huzzah.metrics`) decides how it is exposed (Prometheus), so `bot/` names no library.

Counts only, never who or what: no label carries a person, a channel, a poll, a round, an option or a mood,
and check-in answers are counted when their round closes, not as they come in — a counter that moved at
10:15 would time an anonymous answer as surely as a stored timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Metric:
    """A counter: `name` without prefix or `_total` (the exposition adds them), its help line and label names.
    Label values must come from a small fixed set (a source, an outcome, a platform) — never from people."""

    name: str
    help: str
    labels: tuple[str, ...] = ()
    known: tuple[tuple[str, ...], ...] = ()
    """Label values to show as zeros from the start (a dashboard or an alert on `increase()` sees the series
    before its first event)."""


class Metrics(Protocol):
    def count(self, metric: Metric, amount: float = 1.0, **labels: str) -> None:
        """Add `amount` to `metric` under these label values; never raises."""


class NoMetrics:
    """Counting switched off (the console, the demo, tests that do not look)."""

    def count(self, metric: Metric, amount: float = 1.0, **labels: str) -> None:
        return None


KUDOS_GIVEN = Metric("kudos_given", "Kudos stored, one per recipient, by how they were given "
                     "(command, reaction, shortcut).", ("source",), (("command",), ("reaction",), ("shortcut",)))
KUDOS_JOINED = Metric("kudos_joined", "Times someone joined a kudos with Me too.")
CHECKIN_INVITATIONS = Metric("checkin_invitations", "Check-in questions queued: scheduled, or asked for with "
                             "`checkin`.", ("how",), (("scheduled",), ("asked",)))
CHECKIN_REMINDERS = Metric("checkin_reminders", "Check-in reminders queued (one per person and round at most).")
CHECKIN_ROUNDS_CLOSED = Metric("checkin_rounds_closed", "Check-in rounds closed.")
CHECKIN_ANSWERS = Metric("checkin_answers", "Mood answers of closed rounds, added when a round closes (never as "
                         "they come in, so no series times an answer).")
CHECKIN_VENTS = Metric("checkin_vents", "Vents kept in closed rounds, added when a round closes.")
POLLS_ASKED = Metric("polls_asked", "Polls posted.")
POLL_VOTES = Metric("poll_votes", "Poll button presses that cast, changed or took back a vote.")
POLLS_CLOSED = Metric("polls_closed", "Polls closed, by whom: creator (early) or deadline.", ("by",),
                      (("creator",), ("deadline",)))
DIGESTS = Metric("digests", "Weekly digests settled per team and week, by outcome (posted, skipped: too late).",
                 ("outcome",), (("posted",), ("skipped",)))
OUTBOX_DELIVERIES = Metric("outbox_deliveries", "Deliveries the outbox handed to a platform, by outcome: sent, "
                           "retry (it will try again), failed (given up).", ("outcome",),
                           (("sent",), ("retry",), ("failed",)))
PLATFORM_CALLS = Metric("platform_api_calls", "Calls to a platform's API after its in-place retries, by method and "
                        "outcome (ok, error, rate_limited, unreachable).", ("platform", "method", "outcome"))
PLATFORM_RETRIES = Metric("platform_api_retries", "A platform API call tried again in place, by reason "
                          "(rate_limited, server_error, unreachable).", ("platform", "reason"))
PLATFORM_RATE_LIMITED = Metric("platform_api_rate_limited", "HTTP 429 answers from a platform's API, whether "
                               "waited out in place or left to the outbox.", ("platform",))

ALL: tuple[Metric, ...] = (
    KUDOS_GIVEN, KUDOS_JOINED, CHECKIN_INVITATIONS, CHECKIN_REMINDERS, CHECKIN_ROUNDS_CLOSED, CHECKIN_ANSWERS,
    CHECKIN_VENTS, POLLS_ASKED, POLL_VOTES, POLLS_CLOSED, DIGESTS, OUTBOX_DELIVERIES, PLATFORM_CALLS,
    PLATFORM_RETRIES, PLATFORM_RATE_LIMITED,
)
"""Declared up front, so a dashboard sees zeros before the first event."""
