"""The composition root: the CLI and the server wire the core, storage and adapters together.

It lives outside `bot/` so the core never reaches for an adapter, even to start one.
"""
