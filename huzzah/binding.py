"""The listening socket of `huzzah serve`: where it listens by default, and taking it with a one-line reason when
it cannot be had. Apart from `huzzah.server` so that the CLI can name the default without loading the server."""

from __future__ import annotations

import errno
import socket

from bot.config import ConfigError

LOOPBACK = "127.0.0.1"
"""Where `serve` listens unless told otherwise: this machine only."""


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or ConfigError saying in one line why not (a port in use is otherwise a 33-line
    OSError). Opened before the database is touched, so a second copy started by mistake changes nothing."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                      flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        raise ConfigError(f"--host {host}: no such address — use 127.0.0.1 (this machine only) or 0.0.0.0 "
                          "(every interface)") from None
    try:
        return socket.create_server(address, family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            why = f"port {port} on {host} is already in use (another Huzzah?) — stop it, or choose another --port"
        elif exc.errno == errno.EACCES:
            why = f"may not listen on port {port} (ports below 1024 need privileges) — choose --port 3000 or above"
        elif exc.errno == errno.EADDRNOTAVAIL:
            why = f"--host {host} is not an address of this machine — use 127.0.0.1 or 0.0.0.0"
        else:
            why = f"cannot listen on {host}:{port} ({exc.strerror or exc})"
        raise ConfigError(why) from None
