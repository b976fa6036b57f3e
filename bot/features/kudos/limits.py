"""Kudos' hard limits, protecting people and platforms."""

MAX_RECIPIENTS = 10
MAX_REASON_CHARS = 1000
HOME_LATEST_KUDOS = 5
"""How many of the newest kudos about you the home screen shows."""
