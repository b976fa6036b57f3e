"""Check-ins' hard limits and how often team members are looked up."""

MAX_VENT_CHARS = 3000
"""A vent is a few paragraphs; the form stops there."""
ROSTER_REFRESH_SECONDS = 3600
"""Team channel members are asked of the platform at most this often (check-in fan-out and `checkin`)."""
ROSTER_RECHECK_SECONDS = 60
"""Someone not found in a team is looked up again when the member list is older than this (they just joined)."""
MOOD_TREND_ROUNDS = 6
"""How many rounds a team's mood trend spans."""
