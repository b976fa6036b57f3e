"""Fakes of the platforms' far side, served on loopback so the real SDK clients talk to them over HTTP."""
