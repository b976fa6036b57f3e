"""Finding an anonymous voter's ballot without storing who they are.

Each anonymous poll gets its own random secret; a ballot is filed under HMAC-SHA256(secret, account).
While the poll is open the same person always maps to the same ballot (so they can change their vote),
different polls map the same person to unrelated keys, and once the secret is wiped at closing no one
can recompute the mapping — not even with the whole database and a list of every account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.people import Person

SECRET_BYTES = 32


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


BALLOT_PLATFORM_NAMES = {"msteams": "teams"}
"""Ballots cast before Microsoft Teams was renamed `msteams` keep matching their voters."""


def ballot_key(secret: bytes, voter: Person) -> str:
    platform, *account_parts = voter.key
    account = "\x1f".join((BALLOT_PLATFORM_NAMES.get(platform, platform), *account_parts)).encode("utf-8")
    return hmac.new(secret, account, hashlib.sha256).hexdigest()
