"""Platform adapters: verify, translate to the core's Incoming, render its messages, deliver. No business rules."""
