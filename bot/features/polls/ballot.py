"""Finding an anonymous voter's ballot without storing who they are.

Each anonymous poll gets its own random secret; a ballot is filed under an HMAC of the account keyed with
both that secret and the server key (which never touches the database). While the poll is open the same
person always maps to the same ballot (so they can change their vote), different polls map the same person
to unrelated keys, the database alone (secret and all) cannot recompute any of them, and once the secret is
wiped at closing no one can — not even with the server key and a list of every account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.people import Person
from storage.keys import ServerKey

SECRET_BYTES = 32


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


BALLOT_PLATFORM_NAMES = {"msteams": "teams"}
"""Ballots cast before Microsoft Teams was renamed `msteams` keep matching their voters."""


def ballot_key(server_key: ServerKey, secret: bytes, voter: Person) -> str:
    platform, *account_parts = voter.key
    account = "\x1f".join((BALLOT_PLATFORM_NAMES.get(platform, platform), *account_parts)).encode("utf-8")
    return hmac.new(server_key.subkey("poll ballot", secret), account, hashlib.sha256).hexdigest()
