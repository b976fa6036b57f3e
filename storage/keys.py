"""The server key: the one secret the database never holds, so a copy of the database alone re-identifies no one.

It keys the "already answered" marks and anonymous ballots (HMAC), and it locks each open check-in round's
private key. It comes from `HUZZAH_SECRET_KEY`, or the file `HUZZAH_SECRET_KEY_FILE` names; the embedded SQLite
default makes one beside the database file (with a warning) so a first run just works. PostgreSQL — production
— refuses to start without one: a key made up on one instance would lock the others out of open rounds.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox
from sqlalchemy.engine import make_url

from bot.config import ConfigError

ENV = "HUZZAH_SECRET_KEY"
FILE_ENV = "HUZZAH_SECRET_KEY_FILE"
MIN_CHARS = 32
HOW_TO = (f"set {ENV} to a random value of at least {MIN_CHARS} characters (e.g. the output of "
          f"`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`), or {FILE_ENV} to a file holding one")

log = logging.getLogger(__name__)


class ServerKey:
    def __init__(self, secret: str) -> None:
        if len(secret.strip()) < MIN_CHARS:
            raise ConfigError(f"the server key is shorter than {MIN_CHARS} characters — {HOW_TO}")
        self._root = hashlib.sha256(secret.strip().encode("utf-8")).digest()

    def subkey(self, purpose: str, salt: bytes = b"") -> bytes:
        """A 32-byte key for one use only, so a key of one kind never opens or matches another kind."""
        return hmac.new(self._root, purpose.encode("utf-8") + b"\x00" + salt, hashlib.sha256).digest()

    def keyed(self, purpose: str, *parts: object) -> str:
        """HMAC of `parts`: the same for the same parts, and nothing a reader of the database can recompute."""
        message = "\x1f".join(map(str, parts)).encode("utf-8")
        return hmac.new(self.subkey(purpose), message, hashlib.sha256).hexdigest()

    def new_round_keys(self) -> tuple[bytes, bytes]:
        """(public key, private key locked with this server key) for a new check-in round."""
        private = PrivateKey.generate()
        return bytes(private.public_key), bytes(SecretBox(self.subkey("round key")).encrypt(bytes(private)))

    def round_opener(self, locked: bytes) -> SealedBox[PrivateKey] | None:
        """What opens answers sealed to a round: its private key, unlocked in memory only. None when the round
        was locked with another server key (it was changed while the round was open)."""
        try:
            return SealedBox(PrivateKey(SecretBox(self.subkey("round key")).decrypt(locked)))
        except CryptoError:
            return None


def seal(public_key: bytes, payload: bytes) -> bytes:
    """Anyone may seal to a round; only its private key (so only the closing, holding the server key) opens."""
    return bytes(SealedBox(PublicKey(public_key)).encrypt(payload))


def load_server_key(url: str) -> ServerKey:
    """The key from the environment, or a key file; for a SQLite file, one made beside it the first time."""
    if os.environ.get(ENV, "").strip():
        return ServerKey(os.environ[ENV])
    if named := os.environ.get(FILE_ENV, "").strip():
        try:
            return ServerKey(Path(named).read_text(encoding="utf-8"))
        except OSError as exc:
            reason = f"cannot read the server key file ({exc.strerror})"
            raise ConfigError(f"{FILE_ENV}={named}: {reason} — {HOW_TO}") from None
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise ConfigError(f"no server key for PostgreSQL — {HOW_TO}; every instance needs the same one")
    if not parsed.database or parsed.database == ":memory:":
        return ServerKey(secrets.token_urlsafe(32))  # an in-memory database dies with its key
    path = Path(parsed.database).with_suffix(".key")
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32) + "\n", encoding="utf-8")
        log.warning("%s is not set: created the server key %s beside the SQLite file — back it up with the "
                    "database, and set %s in production", ENV, path.resolve(), ENV)
    return ServerKey(path.read_text(encoding="utf-8"))
