"""Huzzah's platform-neutral core: it never imports a chat platform's SDK."""
